#pragma once
// The baseline for --max-drop: a `tollgate coverage --json` (or `merge --json`) result from the
// base branch.
#include "util/error.h"
#include "util/expected.h"

#include <string_view>

namespace tollgate::report {

struct CoverageBaseline {
  double line_pct = 0;
  double branch_pct = 0;
};

// Reads totals.line_pct and totals.branch_pct. A JSON result of another command, or one without
// totals, is an error that says so.
util::Expected<CoverageBaseline, util::ParseError> parse_coverage_baseline(std::string_view bytes);

} // namespace tollgate::report
