#pragma once
// RapidJSON helpers: one writer type for every JSON the agent produces, safe accessors for
// documents whose shape is not trusted, and parsing with a line and column on error.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <string>
#include <string_view>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::util {

// RapidJSON's Writer, except that a number JSON cannot hold (NaN, ±infinity: a threshold given as
// "nan" or "1e999", a ratio of 0/0) is written as null: Writer::Double refuses them and leaves
// '"threshold":,' behind, which is not JSON (issue 13 item 10). Every call site gets this.
//
// With stream_to(file), whatever is in the buffer goes to the file each time an object or array
// closes with at least k_json_stream_bytes written, and the buffer starts again: a result with
// every line's hits (`--json` of a large coverage report) costs one small buffer instead of its
// whole size, grown by doubling and copied once more into a string (on the 20 MB Cobertura
// bench: 2,250 page faults and a third of the time after parsing). finish() writes the rest.
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
public:
  using Writer::Writer;
  bool Double(double d) { return std::isfinite(d) ? Writer::Double(d) : Writer::Null(); }
  bool EndObject(rapidjson::SizeType members = 0) { return Writer::EndObject(members) && spill(); }
  bool EndArray(rapidjson::SizeType elements = 0) { return Writer::EndArray(elements) && spill(); }
  // [a, b, …] of unsigned integers, written in one call instead of one a value and two for the
  // brackets: the same bytes. The entries of a coverage result's hits lists (`--json` of a large
  // report: millions of [line, hits]).
  // Written as Writer::Uint writes a number (into room pushed on the buffer, the rest popped), not
  // through RawValue, which copies its text a character at a time.
  template <size_t N>
  bool uint_tuple(const uint32_t (&values)[N]) {
    constexpr size_t k_room = 2 + N * 11; // brackets; ten digits and a comma a value
    Prefix(rapidjson::kArrayType);
    char* const text = os_->Push(k_room);
    char* at = text;
    *at++ = '[';
    for (size_t i = 0; i < N; ++i) {
      if (i > 0) *at++ = ',';
      at = rapidjson::internal::u32toa(values[i], at);
    }
    *at++ = ']';
    os_->Pop(k_room - static_cast<size_t>(at - text));
    return EndValue(true) && spill();
  }

  void stream_to(std::FILE* file) { m_file = file; }
  // Writes what the buffer still holds; false when a write to the file failed.
  bool finish();

private:
  bool spill() { return !m_file || os_->GetSize() < k_json_stream_bytes || finish(); }
  static constexpr size_t k_json_stream_bytes = size_t{64} << 10;
  std::FILE* m_file = nullptr;
  bool m_failed = false;
};

// JSON's white space (RFC 8259, section 2): space, tab, line feed, carriage return.
inline bool is_json_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Nesting deeper than this is an error, not a stack overflow (hostile reports).
constexpr size_t k_max_json_depth = 256;

// NUL bytes appended to a buffer parsed in situ: the reader stops at the first NUL, and its
// SIMD scans (RapidJSON's aligned 16-byte loads, simdjson's 64-byte blocks: its
// SIMDJSON_PADDING) and UTF-8 look-ahead never read past the allocation.
constexpr size_t k_simd_padding = 64;

// Appends the padding to a buffer read for parsing; returns the content's view (without it).
inline std::string_view pad_for_simd(std::string& buffer) {
  const size_t size = buffer.size();
  buffer.append(k_simd_padding, '\0');
  return std::string_view(buffer.data(), size);
}

// Forwards a RapidJSON reader's events to `next` (a document, or a handler in front of one) and
// stops the parse past k_max_json_depth; too_deep() then says why it stopped.
template <class Next>
class JsonDepthLimit {
public:
  explicit JsonDepthLimit(Next& next) : m_next(next) {}
  bool Null() { return m_next.Null(); }
  bool Bool(bool b) { return m_next.Bool(b); }
  bool Int(int i) { return m_next.Int(i); }
  bool Uint(unsigned u) { return m_next.Uint(u); }
  bool Int64(int64_t i) { return m_next.Int64(i); }
  bool Uint64(uint64_t u) { return m_next.Uint64(u); }
  bool Double(double d) { return m_next.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return m_next.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return m_next.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return m_next.Key(s, n, copy); }
  bool StartObject() { return ++m_depth <= k_max_json_depth && m_next.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --m_depth;
    return m_next.EndObject(n);
  }
  bool StartArray() { return ++m_depth <= k_max_json_depth && m_next.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --m_depth;
    return m_next.EndArray(n);
  }
  bool too_deep() const { return m_depth > k_max_json_depth; }

private:
  Next& m_next;
  size_t m_depth = 0;
};

// Parses with a depth limit; errors carry the line and column of the offending byte.
Expected<rapidjson::Document, ParseError> parse_json(std::string_view text);

// The error a parse of `text` through a JsonDepthLimit ends with, worded as parse_json words it:
// the reader's (or "nesting deeper than …" when too_deep), or data other than blanks after the
// value, which ended at `end`. Nothing when neither.
std::optional<ParseError> json_parse_error(std::string_view text, rapidjson::ParseResult result, bool too_deep,
                                           size_t end);

// Accessors that return nothing instead of asserting when the member is absent or mistyped.
const rapidjson::Value* member(const rapidjson::Value& object, const char* name);
std::optional<std::string_view> string_member(const rapidjson::Value& object, const char* name);
std::optional<int64_t> int_member(const rapidjson::Value& object, const char* name);
std::optional<double> number_member(const rapidjson::Value& object, const char* name);
std::optional<bool> bool_member(const rapidjson::Value& object, const char* name);
std::string_view string_or(const rapidjson::Value& object, const char* name, std::string_view fallback = "");

// Writes a string value with invalid UTF-8 replaced.
void write_string(JsonWriter& w, std::string_view text);
void write_key(JsonWriter& w, std::string_view key);

// Serialises a value to compact JSON.
std::string to_json(const rapidjson::Value& value);

} // namespace tollgate::util

namespace tollgate::util {
// A JSON number's text (RapidJSON's kParseNumbersAsStringsFlag) as JavaScript's Number() reads
// it: strtod rounds correctly. RapidJSON 1.1.0's own full-precision path is undefined behaviour
// on inputs like 0E61 (found by the fuzz targets), so readers that need exact doubles use this.
double json_number(const char* text, size_t length);
} // namespace tollgate::util
