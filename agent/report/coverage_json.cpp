#include "report/coverage_json.h"

#include "report/coverage_py.h"
#include "report/coverage_report.h"
#include "report/istanbul.h"
#include "report/json_events.h"
#include "util/json.h"
#include "util/text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

namespace tollgate::report {

util::Expected<rapidjson::Document, util::ParseError>
parse_json_in_place(std::string& buffer, std::string_view original) {
  rapidjson::Document doc;
  if (auto error = parse_json_in_place_through(doc, doc, buffer, original)) return util::unexpected(std::move(*error));
  return doc;
}

std::string_view skip_json_blanks(std::string_view bytes) {
  while (!bytes.empty() && util::is_json_blank(bytes[0])) bytes.remove_prefix(1);
  return bytes;
}

std::optional<size_t> json_trailing_data(std::string_view bytes, size_t end) {
  const size_t rest = skip_json_blanks(bytes.substr(std::min(end, bytes.size()))).size();
  if (rest == 0) return std::nullopt;
  return bytes.size() - rest;
}

namespace {

// Counters written as doubles (1e+21 from JavaScript for huge counts) saturate.
bool real_uint(double d, uint64_t& out) {
  if (!(d >= 0) || d != std::floor(d)) return false;
  out = d >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(d);
  return true;
}

} // namespace

bool json_uint(const rapidjson::Value& v, uint64_t& out) {
  if (v.IsUint64()) {
    out = v.GetUint64();
    return true;
  }
  return v.IsDouble() && real_uint(v.GetDouble(), out);
}

bool json_uint(const JsonScalar& v, uint64_t& out) {
  if (v.kind == JsonScalar::Kind::natural) {
    out = v.natural;
    return true;
  }
  return v.kind == JsonScalar::Kind::real && real_uint(v.real, out);
}

util::ParseError istanbul_entry_error(std::string_view file, std::string message) {
  return util::ParseError{fmt::format("\"{}\": {}", util::truncate_utf8(file, 200), message), 0, 0};
}

util::ParseError coverage_py_file_error(std::string_view file, std::string message) {
  return util::ParseError{fmt::format("files[\"{}\"]: {}", util::truncate_utf8(file, 200), message),
                          0, 0};
}

namespace {

util::ParseError other_shape() {
  return util::ParseError{
      std::string(k_not_a_report) +
          "JSON of another shape (expected coverage.py's {\"meta\", \"files\"} or "
          "Istanbul's coverage-final.json, paths mapped to {\"statementMap\", …})",
      1, 1};
}

} // namespace

bool starts_like_coverage_py(std::string_view bytes) {
  bytes = skip_json_blanks(bytes);
  if (bytes.empty() || bytes[0] != '{') return false;
  bytes = skip_json_blanks(bytes.substr(1));
  return util::starts_with(bytes, "\"meta\"") || util::starts_with(bytes, "\"files\"");
}

util::Expected<model::CoverageReport, util::ParseError>
stream_json_coverage(std::string_view bytes, bool coverage_py, JsonShape& shape) {
  JsonInput input(bytes);
  auto report = coverage_py ? stream_coverage_py(input, shape) : stream_istanbul(input, shape);
  if (!report && !shape.well_formed)
    return util::unexpected(util::error_at(bytes, shape.error_offset, report.error().message));
  return report;
}

util::Expected<model::CoverageReport, util::ParseError>
parse_json_coverage_whole(std::string_view bytes, std::string_view forced) {
  // Room for the padding parse_json_in_place appends: without it the append copies the file.
  std::string buffer;
  buffer.reserve(bytes.size() + util::k_simd_padding);
  buffer.assign(bytes);
  auto doc = parse_json_in_place(buffer, bytes);
  if (!doc) return util::unexpected(doc.error());
  bool coverage_py = forced == "coveragepy";
  if (forced.empty()) {
    const rapidjson::Value* files = util::member(*doc, "files");
    coverage_py = files && files->IsObject() && util::member(*doc, "meta");
    // coverage-final.json maps paths to file coverage objects, each with a statementMap
    // (istanbul-lib-coverage refuses an object without one); `{}` is a run that covered no file.
    const auto istanbul_entry = [](const rapidjson::Value& v) {
      return v.IsObject() && (util::member(v, "statementMap") || util::member(v, "branchMap"));
    };
    const bool istanbul =
        doc->IsObject() && (doc->MemberCount() == 0 || istanbul_entry(doc->MemberBegin()->value));
    if (!coverage_py && !istanbul) return util::unexpected(other_shape());
  }
  return coverage_py ? parse_coverage_py(*doc) : parse_istanbul(*doc);
}

util::Expected<model::CoverageReport, util::ParseError>
parse_json_coverage(std::string_view bytes, std::string_view forced) {
  const bool guess_coverage_py =
      forced == "coveragepy" || (forced.empty() && starts_like_coverage_py(bytes));
  JsonShape shape;
  auto streamed = stream_json_coverage(bytes, guess_coverage_py, shape);
  if (!forced.empty() || !shape.well_formed) return streamed;
  if (!shape.coverage_py() && !shape.istanbul()) return util::unexpected(other_shape());
  if (shape.coverage_py() == guess_coverage_py) return streamed;
  return parse_json_coverage_whole(bytes, shape.coverage_py() ? "coveragepy" : "istanbul");
}

} // namespace tollgate::report
