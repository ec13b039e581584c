#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::util {

// The most a file is read into memory whole: 512 MiB. Our own limit (issue 14): reports are
// parsed in memory at a few times their size, and a larger one is either a mistake or an attack
// (a 2 GB sparse file costs nothing to make). LCOV, the format that really grows this large,
// streams through report::read_coverage_file without this limit.
constexpr size_t k_max_read_bytes = size_t{512} << 20;

// The whole file, or an error naming it. Reports are read once into memory and parsed in place.
// A regular file past max_bytes is refused from its size before anything is read; a pipe or
// device is read up to max_bytes + 1 and refused there: memory stays within the limit.
Expected<std::string, std::string> read_file(const std::string& path, size_t max_bytes = k_max_read_bytes);

// The same into a buffer the caller reuses across files (its capacity is kept): the error, or
// nullopt when the file was read.
std::optional<std::string> read_file_into(const std::string& path, std::string& into,
                                          size_t max_bytes = k_max_read_bytes);

// A file read at offsets (pread), for readers that stream a file or split it between threads
// (each part reads its own range; the reader is shared, read-only).
class FileReader {
public:
  explicit FileReader(const std::string& path);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // The size of a regular file; nullopt when it could not be opened or is a pipe, a device or a
  // directory (those are read whole by read_file, which also words the error). Nothing but a
  // regular file is opened, so read_file is the only opening of a pipe or a FIFO.
  std::optional<size_t> regular_size() const;
  // Up to size bytes at offset; fewer only at the end of the file; -1 on a read error.
  long read_at(char* into, size_t size, size_t offset) const;

private:
  int m_fd;
};

// The characters that make a --report argument a glob: *, ? (and ** from two stars). No [...]
// classes: expansion does not support them, so a '[' is a literal character of a file name.
constexpr const char* k_glob_chars = "*?";

// True when a --report argument is a glob that expand_report_patterns walks the file system for;
// every command decides "named file or glob" with this one definition.
bool is_glob_pattern(std::string_view pattern);

// Expands --report arguments: plain paths as given, globs with *, ? and ** against the file
// system. Sorted, deduplicated. A pattern that matches nothing is an InputError. A path that goes
// through a symbolic link (planted by the code under test, say) to a file outside `workspace`
// ("" for the current directory) is an InputError naming the link and where it leads: a
// report-shaped file from elsewhere on the runner never reaches a summary. Paths outside the
// workspace without a link are the workflow author's choice and are kept. A directory under a
// glob's base that the walk cannot enter or read on is an InputError naming it: its reports
// would otherwise be missing without a word (the gate would pass on fewer tests).
std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns,
                                                const std::string& workspace = "");

// The files' size together (a file that cannot be sized adds nothing: reading it says why).
size_t total_file_bytes(const std::vector<std::string>& paths);

// The error above for one path, or nullopt when it does not leave the workspace through a link.
std::optional<std::string> link_out_of(const std::string& path, const std::string& workspace);

// True when a glob (with ** spanning directories) matches a '/'-separated path.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace tollgate::util
