#pragma once
// Durations as written in options and config ("250ms", "2s", "1.5m"): the suffix is required so
// "5" can never mean five milliseconds to one reader and five seconds to another.
#include "util/expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::probe {

// Milliseconds, or an error message. Accepts a non-negative decimal number followed by ms, s or
// m; "0" alone is also accepted.
util::Expected<int64_t, std::string> parse_duration(std::string_view text);

// "250ms", "2s", "1.5s", "2m": the shortest exact form, for summaries and messages.
std::string format_duration(int64_t ms);

} // namespace tollgate::probe
