#include "probe/json_expectation.h"

#include "util/json.h"
#include "util/text.h"

#include <cctype>
#include <fmt/format.h>
#include <rapidjson/pointer.h>

namespace tollgate::probe {

namespace {

// Actual values quoted in a reason are cut to this many bytes: they come from the target.
constexpr size_t k_shown_value_bytes = 80;

std::string shown(const rapidjson::Value& v) {
  return util::truncate_utf8(util::to_json(v), k_shown_value_bytes);
}

const char* type_name(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

} // namespace

const char* to_string(JsonOp op) {
  switch (op) {
  case JsonOp::exists:
    return "exists";
  case JsonOp::eq:
    return "==";
  case JsonOp::ne:
    return "!=";
  case JsonOp::lt:
    return "<";
  case JsonOp::le:
    return "<=";
  case JsonOp::gt:
    return ">";
  case JsonOp::ge:
    return ">=";
  }
  return "?";
}

util::Expected<JsonExpectation, std::string> parse_json_expectation(std::string_view text) {
  JsonExpectation e;
  e.text = std::string(util::trim(text));
  std::string_view rest = e.text;
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end])) &&
         std::string_view("=!<>").find(rest[end]) == std::string_view::npos)
    ++end;
  e.pointer = std::string(rest.substr(0, end));
  if (!e.pointer.empty() && e.pointer.front() != '/')
    return util::unexpected(
        fmt::format("'{}': a JSON pointer starts with '/' (e.g. /status == \"ok\")", e.text));
  if (!rapidjson::Pointer(e.pointer.c_str(), e.pointer.size()).IsValid())
    return util::unexpected(
        fmt::format("'{}': '{}' is not a valid JSON pointer", e.text, e.pointer));
  rest = util::trim(rest.substr(end));
  if (rest.empty()) {
    if (e.pointer.empty()) return util::unexpected(std::string("an empty JSON expectation"));
    return e;
  }
  static constexpr std::pair<std::string_view, JsonOp> k_ops[] = {
      {"==", JsonOp::eq}, {"!=", JsonOp::ne}, {"<=", JsonOp::le},
      {">=", JsonOp::ge}, {"<", JsonOp::lt},  {">", JsonOp::gt}};
  bool found = false;
  for (const auto& [token, op] : k_ops) {
    if (util::starts_with(rest, token)) {
      e.op = op;
      rest = util::trim(rest.substr(token.size()));
      found = true;
      break;
    }
  }
  if (!found)
    return util::unexpected(
        fmt::format("'{}': expected one of == != < <= > >= after the pointer", e.text));
  if (rest.empty()) return util::unexpected(fmt::format("'{}': nothing to compare with", e.text));
  auto doc = std::make_shared<rapidjson::Document>();
  if (auto parsed = util::parse_json(rest)) {
    *doc = std::move(*parsed);
  } else {
    doc->SetString(rest.data(), static_cast<rapidjson::SizeType>(rest.size()), doc->GetAllocator());
  }
  const bool ordered =
      e.op == JsonOp::lt || e.op == JsonOp::le || e.op == JsonOp::gt || e.op == JsonOp::ge;
  if (ordered && !doc->IsNumber())
    return util::unexpected(
        fmt::format("'{}': {} compares numbers; '{}' is not one", e.text, to_string(e.op), rest));
  e.value = std::move(doc);
  return e;
}

std::optional<std::string> check_json_expectation(const JsonExpectation& e,
                                                  const rapidjson::Value& document) {
  const rapidjson::Pointer pointer(e.pointer.c_str(), e.pointer.size());
  const rapidjson::Value* actual = pointer.Get(document);
  if (!actual) return fmt::format("{} is missing", e.pointer);
  if (e.op == JsonOp::exists) return std::nullopt;
  const rapidjson::Value& expected = *e.value;
  if (e.op == JsonOp::eq || e.op == JsonOp::ne) {
    const bool equal = *actual == expected;
    if (equal == (e.op == JsonOp::eq)) return std::nullopt;
    return fmt::format("{} is {}, expected {} {}", e.pointer, shown(*actual), to_string(e.op),
                       shown(expected));
  }
  if (!actual->IsNumber())
    return fmt::format("{} is {} ({}), not a number", e.pointer, type_name(*actual),
                       shown(*actual));
  const double a = actual->GetDouble(), b = expected.GetDouble();
  bool ok = false;
  switch (e.op) {
  case JsonOp::lt:
    ok = a < b;
    break;
  case JsonOp::le:
    ok = a <= b;
    break;
  case JsonOp::gt:
    ok = a > b;
    break;
  case JsonOp::ge:
    ok = a >= b;
    break;
  default:
    break;
  }
  if (ok) return std::nullopt;
  return fmt::format("{} is {}, expected {} {}", e.pointer, shown(*actual), to_string(e.op),
                     shown(expected));
}

} // namespace tollgate::probe
