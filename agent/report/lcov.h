#pragma once
// LCOV tracefiles (lcov 1.x and 2.x, and every tool that writes them: geninfo, Istanbul, c8,
// coverage.py, grcov, cargo-llvm-cov, Bazel). Pure and streaming: one pass over the bytes with
// memchr and hand-rolled digit loops, no per-line strings; a file can be fed in chunks of whole
// lines, and split at record boundaries into parts parsed in parallel (report/coverage_file).
#include "model/coverage.h"
#include "report/lcov_store.h"
#include "util/error.h"
#include "util/expected.h"

#include <memory>
#include <string_view>

namespace tollgate::report {

// SF, DA and BRDA records longer than this are errors (real ones are a path or a few numbers);
// other lines of any length are skipped, so a streaming reader never buffers more than this.
inline constexpr size_t k_max_lcov_record = size_t{1} << 20;

// Records read: SF, DA, BRDA and end_of_record. DA outside an SF record, malformed DA/BRDA and
// line numbers past the model's range are errors with line and column. Repeated records for one
// file sum (as lcov does); LF/LH/BRF/BRH are recomputed from DA/BRDA (as lcov 1.16 does);
// a BRDA taken of "-" (the block never ran) is a branch with 0 hits. DA/BRDA on line 0 are
// skipped: they name no source line. TN, VER, FN*, and records from newer lcov versions
// (MCDC, …) are accepted and ignored.
util::Expected<model::CoverageReport, util::ParseError> parse_lcov(std::string_view bytes);

// The same parser fed in chunks of any size (a read buffer's worth): whole lines are parsed in
// place, a line a chunk cuts is carried (at most one record long) into the next. base_offset is
// where the first chunk starts in the file, for error positions.
class LcovChunkParser {
public:
  explicit LcovChunkParser(size_t base_offset = 0);
  ~LcovChunkParser();
  LcovChunkParser(LcovChunkParser&&) noexcept;
  LcovChunkParser& operator=(LcovChunkParser&&) noexcept;

  // False on the first error: error() and error_offset() (in the file) say what and where.
  bool feed(std::string_view chunk);
  bool end();                   // the input ended: parses a last line without its newline
  model::CoverageReport take(); // normalized
  LcovPart take_part();         // the entries as read, for assemble_lcov with other parts
  size_t error_offset() const;
  const std::string& error() const;

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

// Where a part may start: the offset just after the first "end_of_record" line that begins after
// a newline in window, or npos. Parsing from there is parsing from outside any record, exactly as
// a single pass would be.
size_t lcov_record_boundary(std::string_view window);

} // namespace tollgate::report
