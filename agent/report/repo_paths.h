#pragma once
// Turns paths found in reports into repository-relative paths, or proves they are outside the
// repository. Never touches the file system: it works on the list from `git ls-files`.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tollgate::report {

class RepoPaths {
public:
  // Whether a normalised relative path names an existing regular file under the workspace; the
  // caller does the I/O (report/ never touches the file system).
  using FileCheck = std::function<bool(const std::string& relative)>;

  // root: the workspace (absolute). files: `git ls-files` output, or nullopt outside a checkout.
  // Outside a checkout, a relative path is accepted when exists says the file is there; without
  // exists, every normalised relative path is accepted as is (coverage counts every file then).
  RepoPaths(std::string root, std::optional<std::vector<std::string>> files, FileCheck exists = {});

  // The repository-relative path for a report path: absolute under the root made relative;
  // relative paths normalised ('.' and '..' folded; escaping the root is refused); then the
  // longest suffix that names exactly one tracked file. nullopt when it is not in the repository.
  // Remembered per distinct report path (a trace repeats the same frames in every failure, and a
  // suffix match costs the files sharing a basename × the path length); safe from several threads.
  std::optional<std::string> resolve(std::string_view report_path) const;

  bool is_tracked(std::string_view relative) const;
  bool has_file_list() const { return m_has_list; }
  // A path this resolves is one that exists: from the file list or the existence check.
  bool proves_paths() const { return m_has_list || static_cast<bool>(m_exists); }

private:
  // The most distinct paths remembered: 200,000 (our limit, a few tens of MB); past it, paths are
  // resolved without being remembered, so hostile input cannot grow memory without bound.
  static constexpr size_t k_max_cached_paths = 200'000;
  struct Cache {
    std::mutex mutex;
    // Looked up by string_view (a hit allocates nothing: a failure's hundred frames ask again
    // and again for the same few files).
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::optional<std::string>, Hash, std::equal_to<>> resolved;
  };

  std::optional<std::string> resolve_uncached(std::string_view report_path) const;

  std::shared_ptr<Cache> m_cache = std::make_shared<Cache>(); // shared by copies: the lists never change
  std::string m_root;
  bool m_has_list = false;
  FileCheck m_exists;
  std::unordered_set<std::string> m_files;
  // basename → tracked paths with that basename, for suffix matching.
  std::unordered_map<std::string, std::vector<std::string>> m_by_basename;
};

// Folds "." and "..", collapses "//", turns '\' into '/'. nullopt when ".." climbs above the start.
std::optional<std::string> normalize_path(std::string_view path);

} // namespace tollgate::report
