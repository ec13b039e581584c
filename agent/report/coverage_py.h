#pragma once
// coverage.py's JSON report (`coverage json`, format 1 and 2).
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <rapidjson/document.h>
#include <string_view>

namespace tollgate::report {

// files.<path>: executed_lines (1 hit) and missing_lines (0 hits) are the executable lines —
// coverage.py records whether a line ran, not how often. Branches are the arcs of
// executed_branches (covered) and missing_branches, on their source line, named by their
// destination so the same arc merges across reports. coverage.py 6.x lists a module docstring
// among executed_lines though its own totals do not count it; Tollgate counts what the file
// lists, as coverage.py's own LCOV output does.
util::Expected<model::CoverageReport, util::ParseError>
parse_coverage_py(const rapidjson::Value& root);
util::Expected<model::CoverageReport, util::ParseError> parse_coverage_py(std::string_view bytes);

} // namespace tollgate::report
