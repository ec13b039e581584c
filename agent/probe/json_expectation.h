#pragma once
// Comparisons on a JSON response body addressed by JSON pointer (RFC 6901):
//   /status == "ok"     /checks/db/latency_ms < 50     /ready != false     /version  (exists)
#include "util/expected.h"

#include <memory>
#include <optional>
#include <rapidjson/document.h>
#include <string>
#include <string_view>

namespace tollgate::probe {

enum class JsonOp { exists, eq, ne, lt, le, gt, ge };

struct JsonExpectation {
  std::string text;    // as written, for messages
  std::string pointer; // "/checks/db/latency_ms"
  JsonOp op = JsonOp::exists;
  // The right-hand side: a JSON literal ("ok" with quotes, 50, true, null, [1,2]); a bare word
  // that is not JSON is taken as a string, so `/status == ok` reads as expected.
  std::shared_ptr<const rapidjson::Document> value;
};

// Parses "POINTER [OP VALUE]". Errors name what is wrong.
util::Expected<JsonExpectation, std::string> parse_json_expectation(std::string_view text);

// Nothing when the document satisfies the expectation, else the reason (with the actual value,
// shortened). <, <=, >, >= compare numbers only; == and != compare any JSON values (1 == 1.0).
std::optional<std::string> check_json_expectation(const JsonExpectation& expectation,
                                                  const rapidjson::Value& document);

const char* to_string(JsonOp op);

} // namespace tollgate::probe
