#include "util/json.h"

#include <rapidjson/error/en.h>
#include <cstring>
#include <rapidjson/reader.h>

#include "util/text.h"

namespace tollgate::util {

bool JsonWriter::finish() {
  if (m_file && os_->GetSize() > 0) {
    m_failed |= std::fwrite(os_->GetString(), 1, os_->GetSize(), m_file) != os_->GetSize();
    os_->Clear();
  }
  return !m_failed;
}

namespace {

// Document::Populate calls this with the document's own handler, then takes the root value.
struct LimitedParse {
  std::string_view text;
  rapidjson::ParseResult result;
  bool too_deep = false;
  size_t consumed = 0;

  template <class Handler>
  bool operator()(Handler& handler) {
    JsonDepthLimit<Handler> limited(handler);
    rapidjson::Reader reader;
    rapidjson::MemoryStream ms(text.data(), text.size());
    // Iterative parsing: hostile nesting cannot overflow the stack.
    result = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                          rapidjson::kParseStopWhenDoneFlag>(ms, limited);
    too_deep = limited.too_deep();
    consumed = ms.Tell();
    return !result.IsError();
  }
};

} // namespace

Expected<rapidjson::Document, ParseError> parse_json(std::string_view text) {
  rapidjson::Document doc;
  LimitedParse parse{text, {}, false, 0};
  doc.Populate(parse);
  if (auto error = json_parse_error(text, parse.result, parse.too_deep, parse.consumed)) return unexpected(std::move(*error));
  return doc;
}

std::optional<ParseError> json_parse_error(std::string_view text, rapidjson::ParseResult result, bool too_deep,
                                           size_t end) {
  if (result.IsError()) {
    if (too_deep)
      return error_at(text, result.Offset(), "nesting deeper than " + std::to_string(k_max_json_depth) + " levels");
    return error_at(text, result.Offset(), rapidjson::GetParseError_En(result.Code()));
  }
  // Only white space may follow the value.
  size_t rest = end;
  while (rest < text.size() && is_json_blank(text[rest])) ++rest;
  if (rest < text.size()) return error_at(text, rest, "unexpected data after the JSON value");
  return std::nullopt;
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string_view> string_member(const rapidjson::Value& object, const char* name) {
  const auto* v = member(object, name);
  if (!v || !v->IsString()) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

std::optional<int64_t> int_member(const rapidjson::Value& object, const char* name) {
  const auto* v = member(object, name);
  if (!v || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<double> number_member(const rapidjson::Value& object, const char* name) {
  const auto* v = member(object, name);
  if (!v || !v->IsNumber()) return std::nullopt;
  return v->GetDouble();
}

std::optional<bool> bool_member(const rapidjson::Value& object, const char* name) {
  const auto* v = member(object, name);
  if (!v || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

std::string_view string_or(const rapidjson::Value& object, const char* name, std::string_view fallback) {
  return string_member(object, name).value_or(fallback);
}

void write_string(JsonWriter& w, std::string_view text) {
  if (is_clean_utf8(text)) { // no copy for valid text
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return;
  }
  const std::string clean = sanitize_utf8(text);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void write_key(JsonWriter& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

} // namespace tollgate::util

#include <cstdlib>

namespace tollgate::util {

double json_number(const char* text, size_t length) {
  char small[64];
  if (length < sizeof small) {
    std::memcpy(small, text, length);
    small[length] = '\0';
    return std::strtod(small, nullptr);
  }
  const std::string copy(text, length);
  return std::strtod(copy.c_str(), nullptr);
}

} // namespace tollgate::util
