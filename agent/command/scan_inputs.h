#pragma once
// What `tollgate scan` reads from disk and git: the SARIF files (streamed), the source lines its
// context hashes come from, the config's allowlist. The decisions are in report/ and gate/.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

#include "gate/scan_allowlist.h"
#include "model/scan.h"
#include "publish/scan_json.h"
#include "report/repo_paths.h"

namespace tollgate::command {

struct ScanInput {
  std::vector<model::ScanFinding> findings;
  std::vector<publish::ScanRunSource> runs;
  std::map<std::string, size_t> notes;
};

// Every file the patterns name, streamed through report::read_sarif. A file that is not SARIF
// 2.1.0 is an InputError naming it with the line and column (exit 2).
ScanInput read_sarif_reports(const std::vector<std::string>& patterns, const std::string& workspace);

// Repository-relative paths for the findings' URIs (RepoPaths, as coverage matches its paths);
// what names no file of the repository keeps its URI and no path, counted in notes.
void resolve_scan_paths(std::vector<model::ScanFinding>& findings, const report::RepoPaths& paths,
                        std::map<std::string, size_t>& notes);

// A file's content by repository path; nullopt when it cannot be had.
using SourceText = std::function<std::optional<std::string>(const std::string& path)>;
SourceText workspace_sources(const std::string& root);
// The file as the revision has it (`git show REV:path`).
SourceText revision_sources(const std::string& root, const std::string& revision);

// Sets each finding's context_hash from its line of `sources` (each file read once), else from
// its region snippet; findings without a line keep none.
void hash_contexts(std::vector<model::ScanFinding>& findings, const SourceText& sources);

// The config's `scan.allow` entries, checked: rule and reason strings, expires a date
// (YYYY-MM-DD); path optional. An InputError names the file, line and column.
std::vector<gate::ScanAllowEntry> scan_allowlist(const YAML::Node& config, const std::string& config_path);

// Today's date in UTC, YYYY-MM-DD (TOLLGATE_TODAY when set, for tests).
std::string today_utc();

} // namespace tollgate::command
