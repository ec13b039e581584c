#include "report/xml_stream_file.h"

#include "report/coverage_report.h"
#include "report/coverage_xml.h"
#include "report/test_report.h"
#include "report/xml_stream.h"
#include "util/error.h"
#include "util/files.h"
#include "util/huge_heap.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace tollgate::report {

namespace {

// Windows for coverage reports: a Cobertura window's document is about four times its bytes
// (a node and two attributes per 35-byte <line>), so 256 KiB windows keep the tree in the cache
// and touch 19 MB instead of 37 MB on the 20 MB bench file (CPU time 0.16 s instead of 0.22 s;
// docs/xml-streaming.md). Records (<source>) are never cut, whatever the window.
constexpr size_t k_coverage_window_bytes = size_t{256} << 10;

// The file from `skip` on (past a byte order mark) as a source for stream_xml.
XmlSource file_source(const util::FileReader& file, size_t size, size_t skip) {
  XmlSource source;
  source.size = size - skip;
  source.read_at = [&file, skip](char* into, size_t n, size_t offset) {
    return file.read_at(into, n, offset + skip);
  };
  return source;
}

// Reads the file whole for the readers that need a document; the error (already naming the
// file) is kept apart so it is not worded twice.
auto whole_reader(const std::string& path, std::optional<std::string>& error, size_t skip) {
  return [&path, &error, skip]() -> util::Expected<std::string, util::ParseError> {
    auto bytes = util::read_file(path);
    if (!bytes) {
      error = bytes.error();
      return util::unexpected(util::ParseError{bytes.error(), 0, 0});
    }
    return bytes->substr(std::min(skip, bytes->size()));
  };
}

std::string read_error(const std::string& path, const util::ParseError& error) {
  if (error.message == "read error")
    return fmt::format("{}: read error: {}", path, std::strerror(errno));
  return util::describe(path, error);
}

} // namespace

util::Expected<model::TestRun, std::string>
read_test_report_file(const std::string& path, std::string_view forced_format,
                      std::optional<std::string>* not_a_report, bool fold_passed) {
  const util::FileReader file(path);
  const auto size = file.regular_size();
  if (!size) { // a pipe, or an error that read_file words
    auto bytes = util::read_file(path);
    if (!bytes) return util::unexpected(bytes.error());
    auto run = parse_test_report(*bytes, forced_format);
    if (!run) {
      if (not_a_report) *not_a_report = not_a_test_report(*bytes);
      return util::unexpected(util::describe(path, run.error()));
    }
    return std::move(*run);
  }
  std::optional<std::string> whole_error;
  auto run = read_test_report(file_source(file, *size, 0), forced_format, not_a_report,
                              k_xml_window_bytes, whole_reader(path, whole_error, 0), fold_passed);
  if (whole_error) return util::unexpected(*whole_error);
  if (!run) return util::unexpected(read_error(path, run.error()));
  return std::move(*run);
}

std::optional<util::Expected<model::CoverageReport, std::string>>
read_xml_coverage_file(const std::string& path, std::string_view forced_format,
                       bool* not_a_report) {
  if (!forced_format.empty() && forced_format != "cobertura" && forced_format != "jacoco" &&
      forced_format != "clover")
    return std::nullopt;
  const util::FileReader file(path);
  const auto size = file.regular_size();
  if (!size) return std::nullopt;
  // parse_coverage's checks, on the head: a byte order mark, then blanks, then '<' (forced:
  // anything but nothing).
  char head[65536];
  const long n = file.read_at(head, sizeof head, 0);
  if (n <= 0) return std::nullopt;
  const std::string_view text(head, static_cast<size_t>(n));
  const size_t skip = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const size_t first = text.find_first_not_of(" \t\r\n", skip);
  if (first == std::string_view::npos || (forced_format.empty() && text[first] != '<'))
    return std::nullopt;
  // The model (every line's hits) is filled in at once and kept: on huge pages, not faulted in
  // 4 KiB at a time (report/lcov_store does the same for LCOV).
  // Nothing for a report under util::k_min_huge_heap.
  util::reserve_huge_heap(std::min(*size, util::k_max_model_heap));
  std::optional<std::string> whole_error;
  auto parsed = read_xml_coverage(file_source(file, *size, skip), forced_format,
                                  k_coverage_window_bytes,
                                  whole_reader(path, whole_error, skip));
  if (whole_error) return util::unexpected(*whole_error);
  if (!parsed) {
    if (not_a_report) *not_a_report = is_not_a_report(parsed.error());
    return util::unexpected(read_error(path, parsed.error()));
  }
  return std::move(*parsed);
}

} // namespace tollgate::report
