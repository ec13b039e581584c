#pragma once
// The JSON coverage formats (Istanbul coverage-final.json, coverage.py JSON), which reach hundreds
// of megabytes: read streamed (report/json_events.h), with the whole-document readers as oracle
// and fallback; their in-situ parse keeps strings in the caller's buffer, limits nesting and is
// iterative.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"
#include "util/json.h"

#include <cstddef>
#include <optional>
#include <rapidjson/document.h>
#include <string>
#include <string_view>

namespace tollgate::report {

// Parses `buffer` in place (it is modified and must outlive the document). Errors carry the line
// and column in `original`, the bytes the buffer was copied from.
util::Expected<rapidjson::Document, util::ParseError>
parse_json_in_place(std::string& buffer, std::string_view original);

// parse_json_in_place's reader flags: in situ, iterative (hostile nesting cannot overflow the
// stack), validating UTF-8.
inline constexpr unsigned k_json_in_place_flags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                                                  rapidjson::kParseValidateEncodingFlag |
                                                  rapidjson::kParseStopWhenDoneFlag;

// Parses `stream` with RapidJSON's flags k_flags into `doc`, the events passed through `handler` on
// their way and their nesting bounded by util::JsonDepthLimit: the parser's result; `too_deep`
// says whether the limit stopped it. Populate moves the finished root value into the document (a
// bare Reader::Parse would leave it on the document's stack).
template <unsigned k_flags, class Stream, class Handler>
rapidjson::ParseResult parse_json_through(rapidjson::Document& doc, Handler& handler, Stream& stream,
                                          bool& too_deep) {
  rapidjson::ParseResult result;
  auto generate = [&](rapidjson::Document&) {
    rapidjson::Reader reader;
    util::JsonDepthLimit<Handler> limited(handler);
    result = reader.Parse<k_flags>(stream, limited);
    too_deep = limited.too_deep();
    return !result.IsError();
  };
  doc.Populate(generate);
  return result;
}

// parse_json_in_place into `doc`, the events passed through `handler` on their way: a SAX handler
// that takes a part of the document for itself (report/leg_result.cpp) and passes the rest on to
// `doc` (a rapidjson::Document is a SAX handler too). The error, or nothing.
template <class Handler>
std::optional<util::ParseError> parse_json_in_place_through(rapidjson::Document& doc, Handler& handler,
                                                            std::string& buffer, std::string_view original) {
  util::pad_for_simd(buffer);
  rapidjson::InsituStringStream stream(buffer.data());
  bool too_deep = false;
  const auto result = parse_json_through<k_json_in_place_flags>(doc, handler, stream, too_deep);
  return util::json_parse_error(original, result, too_deep, stream.Tell());
}

// A JSON number as a line number or hit count: non-negative integers only.
bool json_uint(const rapidjson::Value& v, uint64_t& out);

// The bytes from the first that is not JSON white space (space, tab, line feed, carriage return).
std::string_view skip_json_blanks(std::string_view bytes);

// Where data other than blanks follows the JSON value that ended at `end`, if it does.
std::optional<size_t> json_trailing_data(std::string_view bytes, size_t end);

// What parse_coverage tells the JSON formats apart by, gathered while a streamed reader reads
// (report/json_events.h): coverage.py has a "files" object (the first member of that name)
// beside "meta"; Istanbul's coverage-final.json is `{}` or starts with a file coverage object,
// which has a statementMap or a branchMap.
struct JsonShape {
  bool well_formed = false; // the rest holds only for well-formed JSON
  size_t error_offset = 0;  // where malformed JSON stopped the reader
  bool root_object = false;
  size_t root_members = 0;
  bool has_meta = false;
  bool files_object = false;
  bool first_member_istanbul = false;

  bool coverage_py() const { return files_object && has_meta; }
  bool istanbul() const { return root_object && (root_members == 0 || first_member_istanbul); }
};

// Errors the readers share with the DOM readers.
util::ParseError istanbul_entry_error(std::string_view file, std::string message);
util::ParseError coverage_py_file_error(std::string_view file, std::string message);

// parse_coverage's JSON branch (bytes without a byte order mark; forced: "", "istanbul" or
// "coveragepy"): streamed, in the format the first member suggests (coverage.py writes "meta"
// first); JSON whose shape turns out to be the other format's goes the whole-document way.
util::Expected<model::CoverageReport, util::ParseError>
parse_json_coverage(std::string_view bytes, std::string_view forced);

// parse_coverage's JSON branch on a whole document (the oracle of the streamed readers, and
// their fallback for JSON of an unusual shape); forced: "", "istanbul" or "coveragepy".
util::Expected<model::CoverageReport, util::ParseError>
parse_json_coverage_whole(std::string_view bytes, std::string_view forced);

} // namespace tollgate::report
