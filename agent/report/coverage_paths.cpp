#include "report/coverage_paths.h"

#include "util/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace tollgate::report {

util::Expected<PathMapping, std::string> parse_path_mapping(std::string_view spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return util::unexpected(
        std::string("--path-map expects FROM=TO (for example /build/src/=src/)"));
  return PathMapping{std::string(spec.substr(0, eq)), std::string(spec.substr(eq + 1))};
}

std::string go_module_of(std::string_view go_mod) {
  while (!go_mod.empty()) {
    const size_t nl = go_mod.find('\n');
    std::string_view line = util::trim(go_mod.substr(0, nl));
    go_mod = nl == std::string_view::npos ? std::string_view() : go_mod.substr(nl + 1);
    if (!util::starts_with(line, "module") || line.size() < 7 ||
        (line[6] != ' ' && line[6] != '\t'))
      continue;
    std::string_view name = util::trim(line.substr(7));
    if (const size_t comment = name.find("//"); comment != std::string_view::npos)
      name = util::trim(name.substr(0, comment));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    return std::string(name);
  }
  return {};
}

std::optional<std::string> resolve_coverage_path(std::string_view report_path,
                                                 const std::vector<std::string>& source_roots,
                                                 const RepoPaths& repo,
                                                 const CoveragePathOptions& options) {
  std::string path(report_path);
  std::replace(path.begin(), path.end(), '\\', '/');
  for (const auto& m : options.mappings) {
    std::string from = m.from; // report paths from Windows agents: C:\agent\ matches C:/agent/
    std::replace(from.begin(), from.end(), '\\', '/');
    if (util::starts_with(path, from)) {
      path = m.to + path.substr(from.size());
      break;
    }
  }
  if (!options.go_module.empty() && path.size() > options.go_module.size() &&
      util::starts_with(path, options.go_module) && path[options.go_module.size()] == '/')
    path = path.substr(options.go_module.size() + 1);
  const bool absolute =
      !path.empty() && (path[0] == '/' || (path.size() > 2 && path[1] == ':' && path[2] == '/'));
  if (!absolute) {
    for (const auto& root : source_roots) {
      std::string joined = root;
      std::replace(joined.begin(), joined.end(), '\\', '/');
      if (!joined.empty() && joined.back() != '/') joined += '/';
      if (auto r = repo.resolve(joined + path); r && repo.is_tracked(*r)) return r;
    }
  }
  return repo.resolve(path);
}

MergedCoverage merge_coverage(std::vector<model::CoverageReport> reports, const RepoPaths& repo,
                              const CoveragePathOptions& options) {
  std::map<std::string, model::FileCoverage, std::less<>> by_path;
  std::set<std::string> outside;
  for (auto& report : reports) {
    for (auto& file : report.files) {
      std::optional<std::string> resolved =
          resolve_coverage_path(file.path, report.source_roots, repo, options);
      if (!resolved && !repo.has_file_list())
        resolved = normalize_path(file.path).value_or(file.path);
      if (!resolved) {
        outside.insert(file.path);
        continue;
      }
      auto it = by_path.find(*resolved);
      if (it == by_path.end()) {
        file.path = *resolved;
        by_path.emplace(*resolved, std::move(file));
      } else {
        it->second.merge(file);
      }
    }
    report.files.clear();
    report.files.shrink_to_fit();
  }
  MergedCoverage merged;
  merged.files.reserve(by_path.size());
  for (auto& [path, file] : by_path)
    merged.files.push_back(std::move(file));
  merged.outside.assign(outside.begin(), outside.end());
  return merged;
}

} // namespace tollgate::report
