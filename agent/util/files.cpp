#include "util/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <cstdint>
#include <fstream>
#include <set>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tollgate::util {

namespace fs = std::filesystem;

namespace {

std::string too_large(const std::string& path, size_t size_or_more, size_t max_bytes, bool exact) {
  return fmt::format("{}: {}{} bytes, past the {} MiB a file may hold to be read into memory; give a smaller report "
                     "(LCOV streams at any size)",
                     path, exact ? "" : "more than ", size_or_more, max_bytes >> 20);
}

} // namespace

std::optional<std::string> read_file_into(const std::string& path, std::string& into, size_t max_bytes) {
  into.clear();
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::optional<std::string>(fmt::format("{}: is a directory", path));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::optional<std::string>(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && static_cast<uint64_t>(st.st_size) > max_bytes)
    return too_large(path, static_cast<size_t>(st.st_size), max_bytes, true);
  // A regular file is read at its size (it may still grow: reading stops at max_bytes + 1).
  size_t chunk = regular ? static_cast<size_t>(st.st_size) + 1 : size_t{1} << 16;
  // Room for the end-of-file probe below and the parsers' padding (util::k_simd_padding) up
  // front: growing past the file's size would copy the whole buffer into fresh pages.
  if (regular) into.reserve(chunk + (size_t{1} << 16) + 64);
  for (;;) {
    const size_t room = std::min(chunk, max_bytes + 1 - into.size());
    const size_t at = into.size();
    into.resize(at + room);
    ssize_t n;
    do n = ::read(fd, into.data() + at, room);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      into.clear();
      return std::optional<std::string>(fmt::format("{}: read error: {}", path, std::strerror(errno)));
    }
    into.resize(at + static_cast<size_t>(n));
    if (n == 0) break;
    if (into.size() > max_bytes) {
      into.clear();
      into.shrink_to_fit();
      return too_large(path, max_bytes, max_bytes, false);
    }
    // Then: a regular file only needs to show its end; a pipe grows geometrically, 64 MiB at most.
    chunk = regular ? size_t{1} << 16 : std::min<size_t>(std::max<size_t>(chunk, into.size()), size_t{64} << 20);
  }
  return std::nullopt;
}

FileReader::FileReader(const std::string& path) : m_fd(-1) {
  // Only a regular file is opened. A pipe or a FIFO opened here and then again by read_file_into
  // (every caller's way for what is not a regular file) would lose what its writer sent to the
  // first opening, and a FIFO's second opening would wait for a writer that is gone. Non-blocking,
  // so that a path swapped for a FIFO after the stat is not waited on either; regular_size's
  // fstat decides on what was opened.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
}

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

Expected<std::string, std::string> read_file(const std::string& path, size_t max_bytes) {
  std::string data;
  if (auto error = read_file_into(path, data, max_bytes)) return unexpected(std::move(*error));
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

std::optional<std::string> link_out_of(const std::string& path, const std::string& workspace) {
  std::error_code ec;
  const fs::path lexical = fs::absolute(path, ec).lexically_normal();
  if (ec) return std::nullopt; // the reader words what is wrong with the path
  const fs::path real = fs::weakly_canonical(lexical, ec);
  if (ec || real == lexical) return std::nullopt;
  const fs::path root = fs::weakly_canonical(fs::absolute(workspace.empty() ? fs::current_path(ec) : fs::path(workspace), ec), ec);
  const fs::path rel = real.lexically_relative(root);
  if (!rel.empty() && *rel.begin() != "..") return std::nullopt;
  // Name the link itself: the first component of the path that is one.
  fs::path link;
  fs::path walked;
  for (const auto& part : lexical) {
    walked /= part;
    if (fs::is_symlink(walked, ec)) {
      link = walked;
      break;
    }
  }
  return fmt::format("{}: goes through the symbolic link {} to {}, outside the workspace {}; not followed", path,
                     link.empty() ? lexical.string() : link.string(), real.string(), root.string());
}

bool is_glob_pattern(std::string_view pattern) { return pattern.find_first_of(k_glob_chars) != std::string_view::npos; }

std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns, const std::string& workspace) {
  std::set<std::string> out;
  for (const auto& pattern : patterns) {
    if (!is_glob_pattern(pattern)) {
      out.insert(pattern); // a missing plain path is reported by the reader with its name
      continue;
    }
    // The directory part before the first wildcard is where the walk starts.
    const size_t wild = pattern.find_first_of(k_glob_chars);
    const size_t slash = pattern.rfind('/', wild);
    const std::string root = slash == std::string::npos ? "." : pattern.substr(0, slash == 0 ? 1 : slash);
    const std::string rel_pattern = slash == std::string::npos ? pattern : pattern.substr(slash + 1);
    size_t matched = 0;
    // No skip_permission_denied: a directory the walk cannot enter (unreadable, removed while
    // walked) would drop its reports without a word and the gate would pass on fewer tests.
    std::error_code ec;
    auto it = fs::recursive_directory_iterator(root, ec);
    fs::path last = root;
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      last = it->path();
      // Per entry, its own error code: only the walk's own errors end the walk (checked below).
      std::error_code entry_ec;
      // A link to a file is matched like a file (then refused below when it leads out of the
      // workspace); links to directories are not descended into.
      if (!(it->is_symlink(entry_ec) ? fs::is_regular_file(it->path(), entry_ec) : it->is_regular_file(entry_ec)))
        continue;
      // Lexically: fs::relative would resolve a link to where it leads.
      const std::string rel = it->path().lexically_relative(root).generic_string();
      if (glob_match(rel_pattern, rel)) {
        out.insert(slash == std::string::npos ? rel : (root == "/" ? "/" + rel : root + "/" + rel));
        ++matched;
      }
    }
    // The walk stopped on an error: the entry it was at is the directory it could not enter (or
    // the one it could not read on from). A base that does not exist matches nothing.
    if (ec && last != root) {
      std::error_code type_ec;
      const fs::path dir = fs::is_directory(fs::symlink_status(last, type_ec)) ? last : last.parent_path();
      throw InputError(fmt::format("--report {}: cannot read the directory {}: {}; its reports would be missing",
                                   pattern, dir.string(), ec.message()));
    }
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
      throw InputError(fmt::format("--report {}: cannot read the directory {}: {}", pattern, root, ec.message()));
    if (matched == 0) throw InputError(fmt::format("--report {}: no file matches", pattern));
  }
  for (const auto& path : out)
    if (auto error = link_out_of(path, workspace)) throw InputError(*error);
  return {out.begin(), out.end()};
}

size_t total_file_bytes(const std::vector<std::string>& paths) {
  size_t total = 0;
  for (const auto& path : paths) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec) total += static_cast<size_t>(size);
  }
  return total;
}

} // namespace tollgate::util
