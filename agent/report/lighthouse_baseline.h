#pragma once
// The baseline for `lighthouse --baseline FILE`: a `tollgate lighthouse --json` result from the
// base branch, read for the median category scores and key metrics of each URL.
#include <string>
#include <string_view>
#include <vector>

#include "model/lighthouse.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// urls[].url, urls[].categories and urls[].metrics of the result. A JSON result of another
// command is an error that says so.
util::Expected<std::vector<model::LighthouseBaselineUrl>, util::ParseError> parse_lighthouse_baseline(std::string_view bytes);

} // namespace tollgate::report
