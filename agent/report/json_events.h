#pragma once
// The streamed reading of the JSON coverage formats (report/istanbul_stream.cpp,
// report/coverage_py_stream.cpp): RapidJSON's SAX reader with the flags and the nesting limit of
// parse_json_in_place, no document. A reader sees values as JsonScalar, what the DOM readers'
// IsUint64/IsInt64/IsDouble/IsNull would say of them, so both read a value alike; and the parse
// gathers the facts parse_coverage detects the format from (JsonShape).
#include "report/coverage_json.h"
#include "util/error.h"
#include "util/files.h"
#include "util/json.h"
#include "util/utf8_chunks.h"

#include <cstdint>
#include <optional>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <string>
#include <string_view>

namespace tollgate::report {

struct JsonScalar {
  enum class Kind : uint8_t { null, natural, negative, real, other };
  Kind kind = Kind::other;
  uint64_t natural = 0; // natural: a non-negative integer
  int64_t negative = 0; // negative: a negative integer
  double real = 0;      // real: a number with a fraction or exponent, or past 64 bits
  // A rapidjson::Value of an integer is IsInt64 when it fits in int64.
  bool is_int64() const {
    return kind == Kind::negative || (kind == Kind::natural && natural <= INT64_MAX);
  }
};

// json_uint for a streamed value.
bool json_uint(const JsonScalar& v, uint64_t& out);

// Feeds RapidJSON's reader events to a reader (Events: key, scalar, string, start_object,
// end_object, start_array, end_array), stops past util::k_max_json_depth, and records the shape.
template <class Events>
class JsonEventFilter {
public:
  JsonEventFilter(Events& events, JsonShape& shape) : m_events(events), m_shape(shape) {}
  bool Null() { return scalar({JsonScalar::Kind::null}); }
  bool Bool(bool) { return scalar({JsonScalar::Kind::other}); }
  bool Int(int i) { return Int64(i); }
  bool Uint(unsigned u) { return Uint64(u); }
  bool Int64(int64_t i) {
    return i < 0 ? scalar({JsonScalar::Kind::negative, 0, i})
                 : scalar({JsonScalar::Kind::natural, static_cast<uint64_t>(i)});
  }
  bool Uint64(uint64_t u) { return scalar({JsonScalar::Kind::natural, u}); }
  bool Double(double d) { return scalar({JsonScalar::Kind::real, 0, 0, d}); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; } // not asked for
  bool String(const char* s, rapidjson::SizeType n, bool) {
    value(false);
    m_events.string({s, n});
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view key(s, n);
    if (m_depth == 1) {
      m_first_member = ++m_members == 1;
      if (key == "meta") m_shape.has_meta = true;
      m_files_next = key == "files" && !m_files_seen;
      if (m_files_next) m_files_seen = true;
    } else if (m_depth == 2 && m_first_member && (key == "statementMap" || key == "branchMap")) {
      m_shape.first_member_istanbul = true;
    }
    m_events.key(key);
    return true;
  }
  bool StartObject() {
    value(true);
    if (m_depth == 0) m_shape.root_object = true;
    if (++m_depth > util::k_max_json_depth) return false;
    m_events.start_object();
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    if (--m_depth == 0) m_shape.root_members = m_members;
    m_events.end_object();
    return true;
  }
  bool StartArray() {
    value(false);
    if (++m_depth > util::k_max_json_depth) return false;
    m_events.start_array();
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --m_depth;
    m_events.end_array();
    return true;
  }
  bool too_deep() const { return m_depth > util::k_max_json_depth; }

private:
  bool scalar(const JsonScalar& v) {
    value(false);
    m_events.scalar(v);
    return true;
  }
  // A value begins: a root member's (is "files" an object?) or the first member's.
  void value(bool object) {
    if (m_depth != 1) return;
    if (m_files_next) m_shape.files_object = object;
    m_files_next = false;
  }

  Events& m_events;
  JsonShape& m_shape;
  size_t m_depth = 0;
  size_t m_members = 0; // the root's, so far
  bool m_first_member = false, m_files_seen = false, m_files_next = false;
};

// The read buffer of a JSON file read in chunks, reused for every read: small enough to stay in the
// core's cache between the kernel's copy into it and the parse (the size LCOV parts read with,
// report/coverage_file.cpp).
inline constexpr size_t k_json_read_bytes = size_t{256} << 10;

// RapidJSON's input stream over bytes in memory or a file read in chunks into one buffer; past the
// end it reads '\0' (as the in-situ reader reads its padding) and stays there, as
// rapidjson::MemoryStream does.
class JsonInput {
public:
  using Ch = char;
  explicit JsonInput(std::string_view bytes)
      : m_begin(bytes.data()), m_at(bytes.data()), m_end(bytes.data() + bytes.size()) {}
  // The file from `start` on, through `buffer`.
  JsonInput(const util::FileReader& file, size_t start, char* buffer, size_t buffer_size)
      : m_begin(buffer), m_at(buffer), m_end(buffer), m_file(&file), m_buffer_size(buffer_size),
        m_next(start), m_start(start) {}
  // Checks the bytes for UTF-8 as they are read (util::Utf8Chunks): the fast parse of stream_json
  // does not validate its strings.
  void check_utf8() {
    m_check_utf8 = true;
    if (!m_file) {
      m_utf8.add({m_begin, static_cast<size_t>(m_end - m_begin)});
      m_utf8.end();
    }
  }
  bool saw_invalid_utf8() const { return m_utf8.invalid(); }
  [[gnu::always_inline]] char Peek() { return m_at != m_end || refill() ? *m_at : '\0'; }
  [[gnu::always_inline]] char Take() { return m_at != m_end || refill() ? *m_at++ : '\0'; }
  // JSON's white space skipped a buffer at a time (RapidJSON's SkipWhitespace for this stream:
  // its own takes a byte at a time through Peek and Take).
  [[gnu::always_inline]] void skip_blanks() {
    if (m_at != m_end && !util::is_json_blank(*m_at)) return; // mostly: compact JSON has no blanks
    skip_more_blanks();
  }
  // The offset from the start of the bytes (or the file's start).
  size_t Tell() const { return m_base + static_cast<size_t>(m_at - m_begin); }
  bool at_end() { return m_at == m_end && !refill(); }
  bool read_failed() const { return m_failed; }
  bool reads_file() const { return m_file != nullptr; }
  // Unused by a reader that does not parse in situ.
  char* PutBegin() { return nullptr; }
  void Put(char) {}
  void Flush() {}
  size_t PutEnd(char*) { return 0; }

private:
  [[gnu::noinline]] void skip_more_blanks() {
    do {
      while (m_at != m_end && util::is_json_blank(*m_at)) ++m_at;
    } while (m_at == m_end && refill());
  }
  // Once a buffer: kept out of line, and Peek and Take (called for every byte) forced inline.
  // Without that, GCC made Take a call of its own: 14% of `merge` over a large leg read in chunks;
  // with the blanks skipped a buffer at a time, that read takes 3% fewer instructions than parsing
  // the leg in memory (docs/performance.md).
  [[gnu::noinline]] bool refill() {
    if (!m_file || m_failed) return false;
    char* buffer = const_cast<char*>(m_begin);
    const long n = m_file->read_at(buffer, m_buffer_size, m_next);
    if (n <= 0) {
      m_failed = n < 0;
      if (m_check_utf8) m_utf8.end();
      return false;
    }
    m_base = m_next - m_start;
    m_next += static_cast<size_t>(n);
    m_at = m_begin;
    m_end = m_begin + n;
    if (m_check_utf8) m_utf8.add({m_begin, static_cast<size_t>(n)});
    return true;
  }

  const char* m_begin;
  const char* m_at;
  const char* m_end;
  const util::FileReader* m_file = nullptr;
  size_t m_buffer_size = 0;
  size_t m_next = 0;  // the file offset of the next read
  size_t m_start = 0; // the file offset Tell counts from
  size_t m_base = 0;  // Tell of m_begin
  bool m_failed = false;
  bool m_check_utf8 = false;
  util::Utf8Chunks m_utf8;
};

// Found by RapidJSON's reader (argument-dependent lookup) before its own template.
[[gnu::always_inline]] inline void SkipWhitespace(JsonInput& input) { input.skip_blanks(); }

// A malformed input: the offset (from JsonInput::Tell) and the words of the error.
struct JsonSyntaxError {
  size_t offset;
  std::string message;
};

// Reads `input` into `events` with RapidJSON's flags k_flags: the error parse_json_in_place would
// give for the same bytes, or nothing; shape.well_formed says which.
template <unsigned k_flags, class Events>
std::optional<JsonSyntaxError> stream_json_with(JsonInput& input, Events& events, JsonShape& shape) {
  JsonEventFilter<Events> filter(events, shape);
  rapidjson::Reader reader;
  const rapidjson::ParseResult result = reader.Parse<k_flags>(input, filter);
  if (result.IsError()) {
    shape.error_offset = result.Offset();
    if (filter.too_deep())
      return JsonSyntaxError{result.Offset(), "nesting deeper than " +
                                                  std::to_string(util::k_max_json_depth) +
                                                  " levels"};
    return JsonSyntaxError{result.Offset(), rapidjson::GetParseError_En(result.Code())};
  }
  input.skip_blanks();
  if (!input.at_end()) {
    shape.error_offset = input.Tell();
    return JsonSyntaxError{input.Tell(), "unexpected data after the JSON value"};
  }
  shape.well_formed = true;
  return std::nullopt;
}

// Reads `input` into `events`: the error parse_json_in_place would give for the same bytes, or
// nothing; shape.well_formed says which.
//
// First the fast way: RapidJSON's recursive parser (on the thread's stack, at most the filter's
// nesting limit deep) without its byte-by-byte UTF-8 validation of every string, the input
// checked for UTF-8 as it is read instead. On valid UTF-8 both parsers give the same events, and
// the fast one tokenises the bench's files 1.3-1.6x as fast (docs/performance.md). It decides
// only a document it reads to the end: after any error, or a byte anywhere that is not UTF-8, the
// input is read again from its start into fresh events the exact way (parse_json_in_place's
// flags: iterative, validating), whose error and offset are the ones to report (the recursive
// parser words a bad first byte "Invalid value" where the iterative one says "The document is
// empty", and stops a byte later when the filter stops it).
//
// A file is not read again: its reader gives up on any error, and its caller reads the file whole
// for the error's line and column (report/json_stream_file.h). The error then returned is the
// fast parse's, or "not UTF-8" for a document it read to the end.
template <class Events>
std::optional<JsonSyntaxError> stream_json(JsonInput& input, Events& events, JsonShape& shape) {
  const JsonInput start = input;
  input.check_utf8();
  auto fast = stream_json_with<rapidjson::kParseStopWhenDoneFlag>(input, events, shape);
  if (!fast && !input.saw_invalid_utf8() && !input.read_failed()) return std::nullopt;
  if (input.reads_file()) {
    shape.well_formed = false;
    return fast ? std::move(fast) : JsonSyntaxError{input.Tell(), "not UTF-8"};
  }
  input = start;
  events = Events{};
  shape = JsonShape{};
  return stream_json_with<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                          rapidjson::kParseStopWhenDoneFlag>(input, events, shape);
}

// The streamed readers (report/istanbul_stream.cpp, report/coverage_py_stream.cpp): the result
// and the error the DOM readers give for the same bytes (no byte order mark), in memory for the
// model only, and the shape of the JSON for format detection. Malformed JSON is an error without
// a line (shape.well_formed is false, shape.error_offset says where).
util::Expected<model::CoverageReport, util::ParseError> stream_istanbul(JsonInput& input,
                                                                        JsonShape& shape);
util::Expected<model::CoverageReport, util::ParseError> stream_coverage_py(JsonInput& input,
                                                                           JsonShape& shape);
// Either, on bytes in memory; malformed JSON is an error with its line and column.
util::Expected<model::CoverageReport, util::ParseError>
stream_json_coverage(std::string_view bytes, bool coverage_py, JsonShape& shape);

// coverage.py writes {"meta": …, "files": …}; Istanbul's first member is a path.
bool starts_like_coverage_py(std::string_view bytes);

} // namespace tollgate::report
