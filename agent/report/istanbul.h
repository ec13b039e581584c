#pragma once
// Istanbul's coverage-final.json (nyc, c8, Jest, Vitest, karma-coverage): per file the statement,
// function and branch maps with their counters.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <rapidjson/document.h>
#include <string_view>

namespace tollgate::report {

// A line's hits are the most any statement starting on it ran (as istanbul-lib-coverage's
// getLineCoverage computes them); branches come from branchMap/b, one per counter, on the line
// where the branch starts (as Istanbul's lcov reporter places them). Errors name the file entry
// and the member; the DOM keeps no line numbers. The bytes are read streamed (stream_istanbul).
util::Expected<model::CoverageReport, util::ParseError>
parse_istanbul(const rapidjson::Value& root);
util::Expected<model::CoverageReport, util::ParseError> parse_istanbul(std::string_view bytes);

} // namespace tollgate::report
