#pragma once
// The baseline for --max-drop: a `tollgate coverage --json` (or `merge --json`) result from the
// base branch.
#include "util/error.h"
#include "util/expected.h"

#include <optional>
#include <string_view>

namespace tollgate::report {

struct CoverageBaseline {
  std::optional<double> line_pct;   // nullopt: the base measured no executable lines (null)
  std::optional<double> branch_pct; // nullopt: no branch data (null)
};

// Reads totals.line_pct and totals.branch_pct. A JSON result of another command, or one without
// totals, is an error that says so; a null percentage (nothing measured) is nullopt.
util::Expected<CoverageBaseline, util::ParseError> parse_coverage_baseline(std::string_view bytes);

} // namespace tollgate::report
