#include "report/coverage_json.h"

#include "util/json.h"

#include <cmath>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

namespace tollgate::report {

namespace {

// Forwards SAX events to the document and stops past util::k_max_json_depth.
class DepthLimit {
public:
  explicit DepthLimit(rapidjson::Document& doc) : m_doc(doc) {}
  bool Null() { return m_doc.Null(); }
  bool Bool(bool b) { return m_doc.Bool(b); }
  bool Int(int i) { return m_doc.Int(i); }
  bool Uint(unsigned u) { return m_doc.Uint(u); }
  bool Int64(int64_t i) { return m_doc.Int64(i); }
  bool Uint64(uint64_t u) { return m_doc.Uint64(u); }
  bool Double(double d) { return m_doc.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return m_doc.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return m_doc.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return m_doc.Key(s, n, copy); }
  bool StartObject() { return ++m_depth <= util::k_max_json_depth && m_doc.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --m_depth;
    return m_doc.EndObject(n);
  }
  bool StartArray() { return ++m_depth <= util::k_max_json_depth && m_doc.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --m_depth;
    return m_doc.EndArray(n);
  }
  bool too_deep() const { return m_depth > util::k_max_json_depth; }

private:
  rapidjson::Document& m_doc;
  size_t m_depth = 0;
};

constexpr unsigned k_flags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                             rapidjson::kParseValidateEncodingFlag |
                             rapidjson::kParseStopWhenDoneFlag;

} // namespace

util::Expected<rapidjson::Document, util::ParseError>
parse_json_in_place(std::string& buffer, std::string_view original) {
  // The in-situ reader stops at a NUL, but while validating a UTF-8 sequence it reads up to three
  // bytes past a lead byte without looking (found by the fuzz target), and its SIMD scans read
  // aligned 16-byte blocks: NUL padding keeps both inside the buffer.
  buffer.append(util::k_simd_padding, '\0');
  rapidjson::Document doc;
  rapidjson::InsituStringStream stream(buffer.data());
  rapidjson::ParseResult result;
  bool too_deep = false;
  // Populate moves the finished root value into the document (a bare Reader::Parse would leave
  // it on the document's stack).
  auto generate = [&](rapidjson::Document& handler) {
    rapidjson::Reader reader;
    DepthLimit limited(handler);
    result = reader.Parse<k_flags>(stream, limited);
    too_deep = limited.too_deep();
    return !result.IsError();
  };
  doc.Populate(generate);
  if (result.IsError()) {
    if (too_deep)
      return util::unexpected(util::error_at(
          original, result.Offset(),
          "nesting deeper than " + std::to_string(util::k_max_json_depth) + " levels"));
    return util::unexpected(
        util::error_at(original, result.Offset(), rapidjson::GetParseError_En(result.Code())));
  }
  size_t rest = stream.Tell();
  while (rest < original.size() && (original[rest] == ' ' || original[rest] == '\n' ||
                                    original[rest] == '\r' || original[rest] == '\t'))
    ++rest;
  if (rest != original.size())
    return util::unexpected(util::error_at(original, rest, "unexpected data after the JSON value"));
  return doc;
}

bool json_uint(const rapidjson::Value& v, uint64_t& out) {
  if (v.IsUint64()) {
    out = v.GetUint64();
    return true;
  }
  // Counters written as doubles (1e+21 from JavaScript for huge counts) saturate.
  if (v.IsDouble()) {
    const double d = v.GetDouble();
    if (!(d >= 0) || d != std::floor(d)) return false;
    out = d >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(d);
    return true;
  }
  return false;
}

} // namespace tollgate::report
