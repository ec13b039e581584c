#include "util/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tollgate::util {

namespace fs = std::filesystem;

std::optional<std::string> read_file_into(const std::string& path, std::string& into) {
  into.clear();
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::optional<std::string>(fmt::format("{}: is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<std::string>(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size > 0) {
    into.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(into.data(), size);
    into.resize(static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return std::optional<std::string>(fmt::format("{}: read error", path));
  return std::nullopt;
}

FileReader::FileReader(const std::string& path) : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

FileReader::~FileReader() {
  if (m_fd >= 0) ::close(m_fd);
}

std::optional<size_t> FileReader::regular_size() const {
  struct stat st {};
  if (m_fd < 0 || ::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<size_t>(st.st_size);
}

long FileReader::read_at(char* into, size_t size, size_t offset) const {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(m_fd, into + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<long>(done);
}

Expected<std::string, std::string> read_file(const std::string& path) {
  std::string data;
  if (auto error = read_file_into(path, data)) return unexpected(std::move(*error));
  return data;
}

namespace {

// Recursive on the pattern, which the workflow author writes (not report content): at most one
// level per wildcard.
bool match_from(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.substr(0, 3) == "**/") {
      const auto rest = pattern.substr(3);
      if (match_from(rest, path)) return true;
      for (size_t i = 0; i < path.size(); ++i)
        if (path[i] == '/' && match_from(rest, path.substr(i + 1))) return true;
      return false;
    }
    if (pattern.substr(0, 2) == "**") {
      const auto rest = pattern.substr(2);
      for (size_t i = 0; i <= path.size(); ++i)
        if (match_from(rest, path.substr(i))) return true;
      return false;
    }
    if (pattern[0] == '*') {
      const auto rest = pattern.substr(1);
      for (size_t i = 0; i <= path.size(); ++i) {
        if (match_from(rest, path.substr(i))) return true;
        if (i < path.size() && path[i] == '/') break;
      }
      return false;
    }
    if (path.empty()) return false;
    if (pattern[0] == '?' ? path[0] == '/' : pattern[0] != path[0]) return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_from(pattern, path); }

std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns) {
  std::set<std::string> out;
  for (const auto& pattern : patterns) {
    if (pattern.find_first_of("*?") == std::string::npos) {
      out.insert(pattern); // a missing plain path is reported by the reader with its name
      continue;
    }
    // The directory part before the first wildcard is where the walk starts.
    const size_t wild = pattern.find_first_of("*?");
    const size_t slash = pattern.rfind('/', wild);
    const std::string root = slash == std::string::npos ? "." : pattern.substr(0, slash == 0 ? 1 : slash);
    const std::string rel_pattern = slash == std::string::npos ? pattern : pattern.substr(slash + 1);
    size_t matched = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string rel = fs::relative(it->path(), root, ec).generic_string();
      if (glob_match(rel_pattern, rel)) {
        out.insert(slash == std::string::npos ? rel : (root == "/" ? "/" + rel : root + "/" + rel));
        ++matched;
      }
    }
    if (matched == 0) throw InputError(fmt::format("--report {}: no file matches", pattern));
  }
  return {out.begin(), out.end()};
}

} // namespace tollgate::util
