#include "probe/duration.h"

#include "util/text.h"

#include <cstdlib>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::probe {

namespace {

// A day is far beyond any probe interval or timeout; larger values are typos.
constexpr int64_t k_max_duration_ms = 24LL * 60 * 60 * 1000;

} // namespace

util::Expected<int64_t, std::string> parse_duration(std::string_view text) {
  const std::string_view t = util::trim(text);
  if (t == "0") return int64_t{0};
  size_t digits = 0;
  bool dot = false;
  while (digits < t.size() &&
         (std::isdigit(static_cast<unsigned char>(t[digits])) || (t[digits] == '.' && !dot))) {
    dot = dot || t[digits] == '.';
    ++digits;
  }
  const std::string_view number = t.substr(0, digits);
  const std::string_view unit = util::trim(t.substr(digits));
  if (number.empty() || number == ".")
    return util::unexpected(
        fmt::format("'{}' is not a duration (write e.g. 500ms, 2s or 1m)", text));
  double scale = 0;
  if (unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60000;
  else if (unit.empty())
    return util::unexpected(fmt::format("'{}' needs a unit: ms, s or m", text));
  else
    return util::unexpected(fmt::format("'{}': unknown unit '{}' (use ms, s or m)", text, unit));
  // strtod, not stod: a hostile 400-digit number saturates to HUGE_VAL instead of throwing.
  const double ms = std::strtod(std::string(number).c_str(), nullptr) * scale;
  if (ms > static_cast<double>(k_max_duration_ms))
    return util::unexpected(fmt::format("'{}' is longer than a day", text));
  return static_cast<int64_t>(std::llround(ms));
}

std::string format_duration(int64_t ms) {
  if (ms != 0 && ms % 60000 == 0) return fmt::format("{}m", ms / 60000);
  if (ms >= 1000 && ms % 100 == 0) return fmt::format("{:g}s", static_cast<double>(ms) / 1000.0);
  return fmt::format("{}ms", ms);
}

} // namespace tollgate::probe
