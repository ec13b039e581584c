#pragma once
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::util {

// The whole file, or an error naming it. Reports are read once into memory and parsed in place.
Expected<std::string, std::string> read_file(const std::string& path);

// The same into a buffer the caller reuses across files (its capacity is kept): the error, or
// nullopt when the file was read.
std::optional<std::string> read_file_into(const std::string& path, std::string& into);

// A file read at offsets (pread), for readers that stream a file or split it between threads
// (each part reads its own range; the reader is shared, read-only).
class FileReader {
public:
  explicit FileReader(const std::string& path);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // The size of a regular file; nullopt when it could not be opened or is a pipe, a device or a
  // directory (those are read whole by read_file, which also words the error).
  std::optional<size_t> regular_size() const;
  // Up to size bytes at offset; fewer only at the end of the file; -1 on a read error.
  long read_at(char* into, size_t size, size_t offset) const;

private:
  int m_fd;
};

// Expands --report arguments: plain paths as given, globs with *, ? and ** against the file
// system. Sorted, deduplicated. A pattern that matches nothing is an InputError.
std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns);

// True when a glob (with ** spanning directories) matches a '/'-separated path.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace tollgate::util
