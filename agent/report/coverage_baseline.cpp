#include "report/coverage_baseline.h"

#include "report/coverage_json.h"
#include "util/json.h"
#include "util/text.h"

#include <string>

namespace tollgate::report {

util::Expected<CoverageBaseline, util::ParseError> parse_coverage_baseline(std::string_view bytes) {
  std::string buffer(bytes);
  auto doc = parse_json_in_place(buffer, bytes);
  if (!doc) return util::unexpected(doc.error());
  const std::string_view command = util::string_or(*doc, "command");
  if (util::string_or(*doc, "tool") != "tollgate" || (command != "coverage" && command != "merge"))
    return util::unexpected(util::ParseError{"not a `tollgate coverage --json` result", 0, 0});
  const rapidjson::Value* totals = util::member(*doc, "totals");
  const rapidjson::Value* line_pct = totals ? util::member(*totals, "line_pct") : nullptr;
  if (!line_pct || !(line_pct->IsNull() || line_pct->IsNumber()))
    return util::unexpected(util::ParseError{"the result has no totals.line_pct", 0, 0});
  CoverageBaseline baseline;
  baseline.line_pct = util::number_member(*totals, "line_pct");
  baseline.branch_pct = util::number_member(*totals, "branch_pct");
  if (const rapidjson::Value* files = util::member(*doc, "files"); files && files->IsArray()) {
    for (const auto& f : files->GetArray()) {
      const auto path = util::string_member(f, "path");
      const rapidjson::Value* lines = util::member(f, "lines");
      const rapidjson::Value* covered = util::member(f, "lines_covered");
      uint64_t n = 0, c = 0;
      // A malformed entry says nothing about its file: that file shows no change rather than a made-up one.
      if (!path || !lines || !covered || !json_uint(*lines, n) || !json_uint(*covered, c) || c > n) continue;
      baseline.files[std::string(*path)] = {n, c};
    }
  }
  return baseline;
}

} // namespace tollgate::report
