#pragma once
// LCOV tracefiles (lcov 1.x and 2.x, and every tool that writes them: geninfo, Istanbul, c8,
// coverage.py, grcov, cargo-llvm-cov, Bazel). Pure and streaming: one pass over the bytes with
// memchr and from_chars, no per-line strings.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <string_view>

namespace tollgate::report {

// Records read: SF, DA, BRDA and end_of_record. DA outside an SF record, malformed DA/BRDA and
// line numbers past the model's range are errors with line and column. Repeated records for one
// file sum (as lcov does); LF/LH/BRF/BRH are recomputed from DA/BRDA (as lcov 1.16 does);
// a BRDA taken of "-" (the block never ran) is a branch with 0 hits. DA/BRDA on line 0 are
// skipped: they name no source line. TN, VER, FN*, and records from newer lcov versions
// (MCDC, …) are accepted and ignored.
util::Expected<model::CoverageReport, util::ParseError> parse_lcov(std::string_view bytes);

} // namespace tollgate::report
