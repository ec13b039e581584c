#include "report/repo_paths.h"

#include <algorithm>

namespace tollgate::report {

std::optional<std::string> normalize_path(std::string_view path) {
  std::string p(path);
  std::replace(p.begin(), p.end(), '\\', '/');
  const bool absolute = !p.empty() && p[0] == '/';
  std::vector<std::string_view> parts;
  std::string_view rest(p);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const auto part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out;
}

RepoPaths::RepoPaths(std::string root, std::optional<std::vector<std::string>> files,
                     FileCheck exists)
    : m_root(normalize_path(root).value_or(root)), m_exists(std::move(exists)) {
  if (!files) return;
  m_has_list = true;
  for (auto& f : *files) {
    const auto slash = f.rfind('/');
    m_by_basename[f.substr(slash == std::string::npos ? 0 : slash + 1)].push_back(f);
    m_files.insert(std::move(f));
  }
}

bool RepoPaths::is_tracked(std::string_view relative) const {
  if (m_has_list) return m_files.count(std::string(relative)) > 0;
  return !m_exists || m_exists(std::string(relative));
}

std::optional<std::string> RepoPaths::resolve(std::string_view report_path) const {
  {
    std::lock_guard lock(m_cache->mutex);
    if (const auto it = m_cache->resolved.find(report_path); it != m_cache->resolved.end()) return it->second;
  }
  auto resolved = resolve_uncached(report_path);
  std::lock_guard lock(m_cache->mutex);
  if (m_cache->resolved.size() < k_max_cached_paths) m_cache->resolved.emplace(std::string(report_path), resolved);
  return resolved;
}

std::optional<std::string> RepoPaths::resolve_uncached(std::string_view report_path) const {
  if (report_path.empty() || report_path.size() > 4096) return std::nullopt;
  // Windows drive letters (C:\src\x.cs) are absolute paths from another machine.
  const bool windows_absolute = report_path.size() > 2 && report_path[1] == ':' &&
                                (report_path[2] == '\\' || report_path[2] == '/');
  auto normal = normalize_path(windows_absolute ? report_path.substr(2) : report_path);
  if (!normal || normal->empty()) return std::nullopt;
  std::string path = std::move(*normal);
  const bool absolute = path[0] == '/';
  if (absolute && !m_root.empty() && path.size() > m_root.size() && path.compare(0, m_root.size(), m_root) == 0 &&
      path[m_root.size()] == '/') {
    const std::string relative = path.substr(m_root.size() + 1);
    if (is_tracked(relative)) return relative;
    path = relative;
  }
  if (!absolute && is_tracked(path)) return path;
  if (!m_has_list) return std::nullopt; // an absolute path outside the workspace
  // Longest suffix that names exactly one tracked file: /build/agent/src/x.cpp → src/x.cpp.
  const auto slash = path.rfind('/');
  const auto it = m_by_basename.find(path.substr(slash == std::string::npos ? 0 : slash + 1));
  if (it == m_by_basename.end()) return std::nullopt;
  const std::string* best = nullptr;
  size_t best_len = 0;
  bool ambiguous = false;
  for (const auto& candidate : it->second) {
    // Count matching trailing path components.
    size_t len = 0, components = 0;
    bool whole = false; // the report path or the candidate matched entirely
    size_t i = path.size(), j = candidate.size();
    while (i > 0 && j > 0 && path[i - 1] == candidate[j - 1]) {
      --i;
      --j;
      if ((j == 0 || candidate[j - 1] == '/') && (i == 0 || path[i - 1] == '/')) {
        len = candidate.size() - j;
        ++components;
        whole = i == 0 || j == 0;
      }
    }
    // A bare file name in another tree (site-packages/x/main.py vs src/main.py) proves nothing:
    // at least a directory must match too, unless one side matched whole.
    if (len == 0 || (components < 2 && !whole)) continue;
    if (len > best_len) {
      best = &candidate;
      best_len = len;
      ambiguous = false;
    } else if (len == best_len) {
      ambiguous = true;
    }
  }
  if (!best || ambiguous) return std::nullopt;
  return *best;
}

} // namespace tollgate::report
