#include "report/coverage_numbers.h"

#include "model/coverage.h"

#include <charconv>

namespace tollgate::report {

std::optional<uint64_t> parse_digits(std::string_view text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    for (const char c : text)
      if (c < '0' || c > '9') return std::nullopt;
    return UINT64_MAX;
  }
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_hit_count(std::string_view text) {
  if (!text.empty() && text[0] == '-') {
    if (!parse_digits(text.substr(1))) return std::nullopt;
    return 0;
  }
  return parse_digits(text);
}

uint32_t branch_id(std::string_view text) {
  if (const auto n = parse_digits(text); n && *n <= UINT32_MAX) return static_cast<uint32_t>(*n);
  uint32_t h = 2166136261u;
  for (const unsigned char c : text)
    h = (h ^ c) * 16777619u;
  return h | 0x80000000u;
}

uint32_t named_block_id(std::string_view text) {
  return fold_named_block(branch_id(text));
}

LineNumber check_line(std::string_view text, uint32_t& line) {
  const bool negative = !text.empty() && text[0] == '-';
  const auto value = parse_digits(negative ? text.substr(1) : text);
  if (!value) return LineNumber::invalid;
  if (negative && *value != 0) return LineNumber::out_of_range;
  return check_line(*value, line);
}

LineNumber check_line(uint64_t n, uint32_t& line) {
  if (n == 0) return LineNumber::zero;
  if (n > model::k_max_line) return LineNumber::out_of_range;
  line = static_cast<uint32_t>(n);
  return LineNumber::ok;
}

const char* line_number_problem(LineNumber result) {
  switch (result) {
  case LineNumber::out_of_range:
    return "line number out of range (1 to 2147483647)";
  case LineNumber::invalid:
    return "line number is not a number";
  case LineNumber::zero:
  case LineNumber::ok:
    break;
  }
  return "";
}

} // namespace tollgate::report
