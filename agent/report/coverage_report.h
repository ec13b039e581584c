#pragma once
// Coverage reports → the coverage model. Pure: bytes in, model or ParseError out; never throws.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <string_view>
#include <vector>

namespace tollgate::report {

// True when a report's first bytes start an LCOV tracefile (TN:, SF: or VER: after a byte order
// mark and blank lines): how parse_coverage, and the streaming reader, recognise LCOV.
bool looks_like_lcov(std::string_view head);

// Errors for files that are no report of a format this command reads (another XML root, HTML,
// JSON of another shape, text of no known format) start with this; a report of a known format
// that is broken does not. Globs skip the first kind and stop at the second.
inline constexpr std::string_view k_not_a_report = "not a coverage report: ";
bool is_not_a_report(const util::ParseError& error);

// The names --format accepts.
const std::vector<std::string_view>& coverage_format_names();

// Parses a coverage report, detecting the format from the content unless forced_format names
// one: XML by its root (<coverage> with a clover attribute or <project>: Clover; <coverage>:
// Cobertura; <report>: JaCoCo), JSON by its shape (a "files" object beside "meta": coverage.py;
// otherwise Istanbul), "mode:" first: Go, "TN:"/"SF:" first: LCOV. An empty input is the error
// "empty report"; malformed input reports the 1-based line and column where parsing stopped.
util::Expected<model::CoverageReport, util::ParseError>
parse_coverage(std::string_view bytes, std::string_view forced_format = "");

} // namespace tollgate::report
