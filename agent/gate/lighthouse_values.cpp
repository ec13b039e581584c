#include "gate/lighthouse_values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>

#include "util/text.h"

namespace tollgate::gate {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

bool is_js_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// ECMAScript StringToNumber for ASCII text.
double string_to_number(std::string_view s) {
  while (!s.empty() && is_js_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_js_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0' && std::string_view("xXoObB").find(s[1]) != std::string_view::npos) {
    const int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
    double n = 0;
    for (char c : s.substr(2)) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                                                   : 99;
      if (d >= base) return k_nan;
      n = n * base + d;
    }
    return n;
  }
  std::string_view body = s;
  const bool negative = body[0] == '-';
  if (body[0] == '-' || body[0] == '+') body.remove_prefix(1);
  if (body == "Infinity") return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  size_t i = 0, digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  }
  if (digits == 0) return k_nan;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    const size_t start = i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i;
    if (i == start) return k_nan;
  }
  if (i != body.size()) return k_nan;
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::string number_to_string(double n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (n == std::floor(n) && std::fabs(n) < 1e21) return fmt::format("{}", static_cast<long long>(n));
  return fmt::format("{}", n);
}

} // namespace

std::string lhci_kebab_case(std::string_view s, bool alphanumeric_only) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (i + 1 < s.size() && s[i] >= 'a' && s[i] <= 'z' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
      out += '-';
      out += s[++i];
    }
  }
  if (alphanumeric_only) {
    std::string cleaned;
    for (char c : out) {
      const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
      if (alnum) cleaned += c;
      else if (cleaned.empty() || cleaned.back() != '-') cleaned += '-';
    }
    if (!cleaned.empty() && cleaned.front() == '-') cleaned.erase(0, 1);
    if (!cleaned.empty() && cleaned.back() == '-') cleaned.pop_back();
    out = std::move(cleaned);
  }
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

double js_to_number(const model::RcValue& value) {
  switch (value.type) {
  case model::RcValue::Type::null: return 0;
  case model::RcValue::Type::boolean: return value.boolean ? 1 : 0;
  case model::RcValue::Type::number: return value.number;
  case model::RcValue::Type::string: return string_to_number(value.text);
  case model::RcValue::Type::array: return string_to_number(js_to_string(value));
  case model::RcValue::Type::object: return k_nan;
  }
  return k_nan;
}

std::string js_to_string(const model::RcValue& value) {
  switch (value.type) {
  case model::RcValue::Type::null: return "null";
  case model::RcValue::Type::boolean: return value.boolean ? "true" : "false";
  case model::RcValue::Type::number: return number_to_string(value.number);
  case model::RcValue::Type::string: return value.text;
  case model::RcValue::Type::array: {
    // Array.prototype.join: null elements are empty.
    std::string out;
    for (size_t i = 0; i < value.items.size(); ++i) {
      if (i) out += ',';
      if (value.items[i].type != model::RcValue::Type::null) out += js_to_string(value.items[i]);
    }
    return out;
  }
  case model::RcValue::Type::object: return "[object Object]";
  }
  return {};
}

double aggregate_values(const std::vector<double>& values, std::string_view method, std::string_view option) {
  if (values.empty()) return k_nan;
  if (method == "median") {
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const size_t mid = (sorted.size() - 1) / 2;
    if (sorted.size() % 2 == 1) return sorted[mid];
    return (sorted[mid] + sorted[mid + 1]) / 2;
  }
  const bool use_min = (method == "optimistic" && util::starts_with(option, "max")) ||
                       (method == "pessimistic" && util::starts_with(option, "min"));
  return use_min ? *std::min_element(values.begin(), values.end()) : *std::max_element(values.begin(), values.end());
}

} // namespace tollgate::gate
