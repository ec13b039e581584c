#include "report/coverage_file.h"

#include "report/coverage_report.h"
#include "report/json_stream_file.h"
#include "report/lcov.h"
#include "report/xml_stream_file.h"
#include "util/error.h"
#include "util/files.h"
#include "util/parallel.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <thread>
#include <vector>

namespace tollgate::report {

namespace {

constexpr size_t k_read_size = size_t{1} << 20;
// A part's read buffer: reused for every read, and small enough to stay in the core's cache
// between the kernel's copy into it and the parse (1 MiB did not: more CPU time in both).
constexpr size_t k_part_read_size = size_t{256} << 10;
constexpr unsigned k_max_parts = 4;

std::string read_error(const std::string& path) {
  return fmt::format("{}: read error: {}", path, std::strerror(errno));
}

// 1-based line and column of an offset, counted by reading the file up to it (errors only).
// Columns on the first line start after a byte order mark, as parse_coverage counts them.
util::ParseError locate(const util::FileReader& file, size_t start, size_t offset,
                        std::string message) {
  std::vector<char> buffer(k_read_size);
  size_t line = 1, line_start = start, at = 0;
  while (at < offset) {
    const long n = file.read_at(buffer.data(), std::min(buffer.size(), offset - at), at);
    if (n <= 0) break;
    for (long i = 0; i < n; ++i)
      if (buffer[static_cast<size_t>(i)] == '\n') {
        ++line;
        line_start = at + static_cast<size_t>(i) + 1;
      }
    at += static_cast<size_t>(n);
  }
  return util::ParseError{std::move(message), line, offset - std::min(offset, line_start) + 1};
}

// Where the part after nominal may start: just after the first end_of_record line at or past
// it, or the file's size when there is none.
size_t boundary_after(const util::FileReader& file, size_t nominal, size_t size) {
  std::vector<char> window(k_read_size);
  // Starts one byte early so a record ending right at nominal is seen with its newline.
  for (size_t at = nominal - 1; at < size;) {
    const long n = file.read_at(window.data(), window.size(), at);
    if (n <= 0) return size;
    const size_t found = lcov_record_boundary({window.data(), static_cast<size_t>(n)});
    if (found != std::string_view::npos) return at + found;
    if (static_cast<size_t>(n) < window.size()) return size;
    at += static_cast<size_t>(n) - 32; // overlap: "\nend_of_record\r\n" may straddle windows
  }
  return size;
}

struct Part {
  size_t begin = 0, end = 0;
  LcovChunkParser parser;
  LcovPart result; // the entries as read, on the part's own thread
  bool ok = true;
  bool io_error = false;
};

void parse_part(const util::FileReader& file, Part& part) {
  part.parser = LcovChunkParser(part.begin);
  const auto buffer = std::make_unique_for_overwrite<char[]>(k_part_read_size); // read into before use
  for (size_t at = part.begin; at < part.end;) {
    const long n = file.read_at(buffer.get(), std::min(k_part_read_size, part.end - at), at);
    if (n < 0) {
      part.ok = false;
      part.io_error = true;
      return;
    }
    if (n == 0) break; // the file shrank while being read: what was there is parsed
    if (!part.parser.feed({buffer.get(), static_cast<size_t>(n)})) {
      part.ok = false;
      return;
    }
    at += static_cast<size_t>(n);
  }
  part.ok = part.parser.end();
  if (part.ok) part.result = part.parser.take_part();
}

// True when the file holds nothing but a byte order mark and blanks (errors only).
bool blank(const util::FileReader& file, size_t start, size_t size) {
  std::vector<char> buffer(k_read_size);
  for (size_t at = start; at < size;) {
    const long n = file.read_at(buffer.data(), std::min(buffer.size(), size - at), at);
    if (n <= 0) return true;
    for (long i = 0; i < n; ++i) {
      const char c = buffer[static_cast<size_t>(i)];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
    }
    at += static_cast<size_t>(n);
  }
  return true;
}

util::Expected<model::CoverageReport, std::string>
read_lcov(const std::string& path, const util::FileReader& file, size_t size, size_t part_bytes) {
  // A byte order mark is not part of the first line.
  char head[3] = {};
  const size_t start =
      file.read_at(head, 3, 0) == 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t wanted = std::clamp<size_t>(size / std::max<size_t>(part_bytes, 1), 1,
                                           std::min(cores, k_max_parts));

  std::vector<Part> parts(1);
  parts[0].begin = start;
  for (size_t i = 1; i < wanted; ++i) {
    const size_t at =
        boundary_after(file, std::max(parts.back().begin + 1, size * i / wanted), size);
    if (at >= size) break;
    parts.back().end = at;
    parts.emplace_back().begin = at;
  }
  parts.back().end = size;
  // One thread a part (wanted is at most one a core); an exception on any (bad_alloc) comes back.
  util::parallel_for(parts.size(), [&](size_t i) { parse_part(file, parts[i]); }, k_max_parts);

  // Parts are consecutive and each starts outside any record, so the first failing part holds
  // the file's first error.
  for (auto& part : parts) {
    if (part.io_error) return util::unexpected(read_error(path));
    if (!part.ok)
      return util::unexpected(util::describe(
          path, locate(file, start, part.parser.error_offset(), part.parser.error())));
  }
  // On this (the main) thread: the files' vectors come from the heap it reserves huge pages on.
  std::vector<LcovPart> results;
  results.reserve(parts.size());
  for (auto& part : parts)
    results.push_back(std::move(part.result));
  model::CoverageReport report = assemble_lcov(results);
  if (report.files.empty() && blank(file, start, size))
    return util::unexpected(util::describe(path, util::ParseError{"empty report", 0, 0}));
  return report;
}

} // namespace

util::Expected<model::CoverageReport, std::string>
read_coverage_file(const std::string& path, std::string_view forced_format, bool* not_a_report) {
  if (not_a_report) *not_a_report = false;
  const util::FileReader file(path);
  if (const auto size = file.regular_size();
      size && (forced_format.empty() || forced_format == "lcov")) {
    char head[256];
    const long n = file.read_at(head, sizeof head, 0);
    if (n > 0 && (forced_format == "lcov" || looks_like_lcov({head, static_cast<size_t>(n)})))
      return read_lcov(path, file, *size, k_lcov_part_bytes);
  }
  if (auto xml = read_xml_coverage_file(path, forced_format, not_a_report)) return std::move(*xml);
  if (auto json = read_json_coverage_file(path, forced_format)) return std::move(*json);
  // Everything else — other formats, pipes, errors opening — goes the whole-file way, which
  // also words every error.
  auto bytes = util::read_file(path);
  if (!bytes) return util::unexpected(bytes.error());
  auto parsed = parse_coverage(*bytes, forced_format);
  if (!parsed) {
    if (not_a_report) *not_a_report = is_not_a_report(parsed.error());
    return util::unexpected(util::describe(path, parsed.error()));
  }
  return std::move(*parsed);
}

util::Expected<model::CoverageReport, std::string> read_lcov_file(const std::string& path,
                                                                  size_t part_bytes) {
  const util::FileReader file(path);
  const auto size = file.regular_size();
  if (!size) {
    auto bytes = util::read_file(path); // words the error, or reads a pipe
    if (!bytes) return util::unexpected(bytes.error());
    auto parsed = parse_lcov(*bytes);
    if (!parsed) return util::unexpected(util::describe(path, parsed.error()));
    return std::move(*parsed);
  }
  return read_lcov(path, file, *size, part_bytes);
}

} // namespace tollgate::report
