#include "command/scan_inputs.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <cstdint>
#include <iterator>
#include <unordered_map>

#include "gate/scan_match.h"
#include "report/sarif.h"
#include "util/error.h"
#include "util/files.h"
#include "util/huge_heap.h"
#include "util/process.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

// Source files larger than this are not read for context hashes (the finding then matches by
// fingerprint or message): generated or vendored files, not code a reviewer reads. Our limit.
constexpr size_t k_max_source_bytes = size_t{16} << 20;
// The text hashed starts at the finding's line and spans at most this many bytes.
constexpr size_t k_context_window_bytes = 4096;
// Heap a SARIF byte fills besides the findings vector, about: a finding's strings, the annotation
// made of it, a run's pending results take 1.8 bytes a byte of the 100 MB bench log. Measured;
// sizes the huge-page heap (what is reserved and never touched is address space, not memory).
constexpr size_t k_heap_bytes_per_sarif_byte = 2;

report::ChunkSource file_source(const util::FileReader& reader, size_t& offset) {
  return [&reader, &offset](char* into, size_t size) {
    const long n = reader.read_at(into, size, offset);
    if (n > 0) offset += static_cast<size_t>(n);
    return n;
  };
}

} // namespace

ScanInput read_sarif_reports(const std::vector<std::string>& patterns, const std::string& workspace) {
  ScanInput input;
  const std::vector<std::string> paths = util::expand_report_patterns(patterns, workspace);
  // The findings vector of the largest file is carved from the same heap (glibc serves a large
  // request from a free top chunk before it maps one of its own).
  size_t heap = 0, largest = 0;
  for (const auto& path : paths)
    if (const auto size = util::FileReader(path).regular_size()) {
      heap += std::min(static_cast<size_t>(*size), util::k_max_huge_heap) * k_heap_bytes_per_sarif_byte;
      largest = std::max(largest, static_cast<size_t>(*size));
    }
  heap += report::sarif_reserved_findings(largest) * sizeof(model::ScanFinding);
  util::reserve_huge_heap(std::min(heap, util::k_max_huge_heap));
  for (const auto& path : paths) {
    util::FileReader reader(path);
    util::Expected<report::SarifLog, util::ParseError> log = util::unexpected(util::ParseError{"", 0, 0});
    if (const auto size = reader.regular_size()) {
      size_t offset = 0;
      log = report::read_sarif(file_source(reader, offset), static_cast<size_t>(*size), [&offset] {
        offset = 0;
        return true;
      });
    } else {
      // A pipe or a device, or a file that could not be opened: read_file words the error.
      auto bytes = util::read_file(path);
      if (!bytes) throw util::InputError(bytes.error());
      log = report::parse_sarif(*bytes);
    }
    if (!log) throw util::InputError(util::describe(path, log.error()));
    const util::Interned source(path);
    for (auto& f : log->findings) f.source = source;
    // The first file's findings are taken whole; later ones appended once (a finding is a few
    // hundred bytes: a vector of them grown by push_back would be moved and faulted in again).
    if (input.findings.empty()) {
      input.findings = std::move(log->findings);
    } else {
      input.findings.reserve(input.findings.size() + log->findings.size());
      std::move(log->findings.begin(), log->findings.end(), std::back_inserter(input.findings));
    }
    for (auto& run : log->runs) input.runs.push_back({path, std::move(run)});
    for (const auto& [what, count] : log->notes) input.notes[what] += count;
  }
  return input;
}

void resolve_scan_paths(std::vector<model::ScanFinding>& findings, const report::RepoPaths& paths,
                        std::map<std::string, size_t>& notes) {
  // Findings name a few hundred files many times over: each URI (one interned pointer) is
  // resolved once.
  std::unordered_map<util::Interned, std::optional<util::Interned>> resolved;
  for (auto& f : findings) {
    if (f.uri.empty()) continue;
    auto [it, added] = resolved.try_emplace(f.uri);
    if (added)
      if (auto path = paths.resolve(f.uri)) it->second = util::Interned(*path);
    if (it->second) {
      f.path = *it->second;
      continue;
    }
    f.path.clear();
    f.start_line = f.end_line = 0;
    ++notes["locations naming no file of the repository (shown without a line)"];
  }
}

SourceText workspace_sources(const std::string& root) {
  return [root](const std::string& path) -> std::optional<std::string> {
    if (util::link_out_of(root + "/" + path, root)) return std::nullopt;
    auto bytes = util::read_file(root + "/" + path, k_max_source_bytes);
    if (!bytes) return std::nullopt;
    return std::move(*bytes);
  };
}

SourceText revision_sources(const std::string& root, const std::string& revision) {
  return [root, revision](const std::string& path) -> std::optional<std::string> {
    // A revision that git would read as an option is no revision.
    if (revision.empty() || revision[0] == '-') return std::nullopt;
    auto r = util::run_process({"git", "show", "--no-textconv", revision + ":" + path}, root);
    if (r.exit_status != 0 || r.out.size() > k_max_source_bytes) return std::nullopt;
    return std::move(r.out);
  };
}

void hash_contexts(std::vector<model::ScanFinding>& findings, const SourceText& sources) {
  // The findings of each file together (each file read once), in the order files are first
  // named; a hash map, not a sort of a hundred thousand paths.
  std::unordered_map<std::string_view, size_t> file_of;
  std::vector<std::vector<size_t>> by_file;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].has_location()) continue;
    const auto [it, added] = file_of.try_emplace(findings[i].path, by_file.size());
    if (added) by_file.emplace_back();
    by_file[it->second].push_back(i);
  }
  std::vector<size_t> line_starts;
  // Findings of one file on the same lines share their hash (a SHA-256): computed once per
  // (start line, line count) of the file.
  std::unordered_map<uint64_t, model::ContextHash> hashed;
  for (const auto& indices : by_file) {
    const std::optional<std::string> text = sources(findings[indices.front()].path.str());
    if (!text) continue;
    line_starts.assign(1, 0);
    for (size_t p = text->find('\n'); p != std::string::npos; p = text->find('\n', p + 1)) line_starts.push_back(p + 1);
    hashed.clear();
    for (const size_t i : indices) {
      auto& f = findings[i];
      if (static_cast<size_t>(f.start_line) > line_starts.size()) continue;
      const size_t from = line_starts[static_cast<size_t>(f.start_line) - 1];
      const size_t lines = static_cast<size_t>(std::max(f.end_line, f.start_line) - f.start_line) + 1;
      const uint64_t key = (static_cast<uint64_t>(f.start_line) << 32) | std::min<uint64_t>(lines, 0xffffffffu);
      const auto [it, added] = hashed.try_emplace(key);
      if (added) it->second = gate::context_hash(std::string_view(*text).substr(from, k_context_window_bytes), lines);
      f.context_hash = it->second;
    }
  }
  for (auto& f : findings)
    if (f.context_hash.empty() && !f.snippet.empty()) f.context_hash = gate::context_hash(f.snippet);
}

std::vector<gate::ScanAllowEntry> scan_allowlist(const YAML::Node& config, const std::string& config_path) {
  std::vector<gate::ScanAllowEntry> entries;
  if (!config.IsMap()) return entries;
  const YAML::Node scan = config["scan"];
  if (!scan || scan.IsNull()) return entries;
  const YAML::Node allow = scan["allow"];
  if (!allow || allow.IsNull()) return entries;
  const auto where = [&](const YAML::Node& n) {
    const YAML::Mark m = n.Mark();
    return m.is_null() ? config_path : fmt::format("{}:{}:{}", config_path, m.line + 1, m.column + 1);
  };
  if (!allow.IsSequence()) throw util::InputError(where(allow) + ": scan.allow must be a list of entries");
  for (const auto& item : allow) {
    if (!item.IsMap()) throw util::InputError(where(item) + ": each scan.allow entry is a mapping (rule, path, reason, expires)");
    gate::ScanAllowEntry e;
    e.where = where(item);
    for (auto [key, into, required] : {std::tuple{"rule", &e.rule, true}, {"path", &e.path, false},
                                       {"reason", &e.reason, true}, {"expires", &e.expires, true}}) {
      const YAML::Node v = item[key];
      if (!v || v.IsNull()) {
        if (required)
          throw util::InputError(fmt::format("{}: a scan.allow entry needs \"{}\"{}", e.where, key,
                                             std::string_view(key) == "expires" ? " (YYYY-MM-DD): an allowlist entry ends" : ""));
        continue;
      }
      if (!v.IsScalar() || v.Scalar().empty() || v.Scalar().size() > 1024)
        throw util::InputError(fmt::format("{}: scan.allow \"{}\" must be a text", where(v), key));
      *into = util::sanitize_utf8(v.Scalar());
    }
    if (!gate::is_calendar_date(e.expires))
      throw util::InputError(fmt::format("{}: scan.allow \"expires\" must be a date YYYY-MM-DD, not \"{}\"", where(item["expires"]),
                                         util::truncate_utf8(e.expires, 40)));
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string today_utc() {
  if (const char* fixed = std::getenv("TOLLGATE_TODAY"); fixed && gate::is_calendar_date(fixed)) return fixed;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  return fmt::format("{:04}-{:02}-{:02}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
}

} // namespace tollgate::command
