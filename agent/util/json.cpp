#include "util/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "util/text.h"

namespace tollgate::util {

namespace {

// Counts nesting while RapidJSON builds the document, and stops it past the limit.

// A handler that forwards to a Document's handler but refuses to nest deeper than the limit.
class DepthLimitedHandler {
public:
  explicit DepthLimitedHandler(rapidjson::Document& doc) : m_doc(doc) {}
  bool Null() { return m_doc.Null(); }
  bool Bool(bool b) { return m_doc.Bool(b); }
  bool Int(int i) { return m_doc.Int(i); }
  bool Uint(unsigned u) { return m_doc.Uint(u); }
  bool Int64(int64_t i) { return m_doc.Int64(i); }
  bool Uint64(uint64_t u) { return m_doc.Uint64(u); }
  bool Double(double d) { return m_doc.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return m_doc.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return m_doc.String(s, n, copy); }
  bool StartObject() { return ++m_depth <= k_max_json_depth && m_doc.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return m_doc.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType n) { --m_depth; return m_doc.EndObject(n); }
  bool StartArray() { return ++m_depth <= k_max_json_depth && m_doc.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { --m_depth; return m_doc.EndArray(n); }
  bool too_deep() const { return m_depth > k_max_json_depth; }

private:
  rapidjson::Document& m_doc;
  size_t m_depth = 0;
};

} // namespace

Expected<rapidjson::Document, ParseError> parse_json(std::string_view text) {
  rapidjson::Document doc;
  // Document::Populate-like parse through a depth-limited handler. The generic reader is
  // iterative (kParseIterativeFlag) so hostile nesting cannot overflow the stack either.
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  DepthLimitedHandler handler(doc);
  rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                                           rapidjson::kParseStopWhenDoneFlag>(is, handler);
  if (!ok) {
    if (handler.too_deep())
      return unexpected(error_at(text, ok.Offset(), "nesting deeper than " + std::to_string(k_max_json_depth) + " levels"));
    return unexpected(error_at(text, ok.Offset(), rapidjson::GetParseError_En(ok.Code())));
  }
  // Only white space may follow the value.
  size_t rest = ok.Offset();
  while (rest < text.size() && (text[rest] == ' ' || text[rest] == '\n' || text[rest] == '\r' || text[rest] == '\t')) ++rest;
  if (rest != text.size()) return unexpected(error_at(text, rest, "unexpected data after the JSON value"));
  return doc;
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
