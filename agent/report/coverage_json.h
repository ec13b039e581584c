#pragma once
// In-situ JSON parsing for the JSON coverage formats (Istanbul coverage-final.json, coverage.py
// JSON), which reach hundreds of megabytes: the strings stay in the caller's buffer instead of
// being copied into the document, nesting is limited, and the reader is iterative.
#include "util/error.h"
#include "util/expected.h"

#include <rapidjson/document.h>
#include <string>
#include <string_view>

namespace tollgate::report {

// Parses `buffer` in place (it is modified and must outlive the document). Errors carry the line
// and column in `original`, the bytes the buffer was copied from.
util::Expected<rapidjson::Document, util::ParseError>
parse_json_in_place(std::string& buffer, std::string_view original);

// A JSON number as a line number or hit count: non-negative integers only.
bool json_uint(const rapidjson::Value& v, uint64_t& out);

} // namespace tollgate::report
