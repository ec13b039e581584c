#pragma once
// Report paths → repository-relative paths, and the merge of many reports into one set of files.
// Pure: works on RepoPaths (the `git ls-files` list), never on the file system.
#include "model/coverage.h"
#include "report/repo_paths.h"
#include "util/expected.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::report {

// --path-map FROM=TO: a report path starting with FROM starts with TO instead.
struct PathMapping {
  std::string from;
  std::string to;
};

util::Expected<PathMapping, std::string> parse_path_mapping(std::string_view spec);

// The module path of a go.mod ("module example.com/m" → "example.com/m"); "" when it has none.
std::string go_module_of(std::string_view go_mod);

struct CoveragePathOptions {
  std::vector<PathMapping> mappings; // applied first, the first matching FROM wins
  std::string go_module;             // stripped from Go profile paths
};

// In this order: --path-map; the Go module path; each source root the report names (Cobertura
// <sources>) joined with a relative path; then the path itself. Each candidate is resolved by
// RepoPaths: absolute under the workspace made relative, tracked relative paths as they are, then
// the longest suffix naming exactly one tracked file (which finds JaCoCo's package paths under
// src/main/java). nullopt when no candidate names a file of the repository.
std::optional<std::string> resolve_coverage_path(std::string_view report_path,
                                                 const std::vector<std::string>& source_roots,
                                                 const RepoPaths& repo,
                                                 const CoveragePathOptions& options);

struct MergedCoverage {
  std::vector<model::FileCoverage> files; // repository-relative, sorted by path, each merged
  std::vector<std::string> outside; // report paths that name no file of the repository (sorted)
};

// Resolves every file of every report and merges files that resolve to the same path: hits add
// per line, a line is executable if any report says so, branches merge per line. Outside a git
// checkout there is nothing to match against and every file counts under its normalised path.
MergedCoverage merge_coverage(std::vector<model::CoverageReport> reports, const RepoPaths& repo,
                              const CoveragePathOptions& options);

} // namespace tollgate::report
