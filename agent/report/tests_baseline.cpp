#include "report/tests_baseline.h"

#include "report/coverage_json.h"
#include "util/json.h"

namespace tollgate::report {

namespace {

uint64_t count_of(const rapidjson::Value& totals, const char* name) {
  uint64_t n = 0;
  const rapidjson::Value* v = util::member(totals, name);
  return v && json_uint(*v, n) ? n : 0;
}

} // namespace

util::Expected<TestsBaseline, util::ParseError> parse_tests_baseline(std::string_view bytes) {
  std::string buffer(bytes);
  auto doc = parse_json_in_place(buffer, bytes);
  if (!doc) return util::unexpected(doc.error());
  const std::string_view command = util::string_or(*doc, "command");
  if (util::string_or(*doc, "tool") != "tollgate" || (command != "tests" && command != "merge"))
    return util::unexpected(util::ParseError{"not a `tollgate tests --json` (or `merge --json`) result", 0, 0});
  const rapidjson::Value* totals = util::member(*doc, "totals");
  uint64_t tests = 0;
  if (!totals || !totals->IsObject() || !util::member(*totals, "tests") || !json_uint(*util::member(*totals, "tests"), tests))
    return util::unexpected(util::ParseError{"the result has no totals.tests", 0, 0});
  TestsBaseline baseline;
  baseline.tests = tests;
  baseline.passed = count_of(*totals, "passed");
  baseline.failed = count_of(*totals, "failed");
  baseline.errors = count_of(*totals, "errors");
  baseline.skipped = count_of(*totals, "skipped");
  baseline.flaky = count_of(*totals, "flaky");
  if (const rapidjson::Value* names = util::member(*doc, "failed_tests"); names && names->IsArray()) {
    for (const auto& n : names->GetArray())
      if (n.IsString()) baseline.failing.emplace(n.GetString(), n.GetStringLength());
  } else if (const rapidjson::Value* findings = util::member(*doc, "findings"); findings && findings->IsArray()) {
    for (const auto& f : findings->GetArray())
      if (util::string_or(f, "level") == "failure")
        if (const auto title = util::string_member(f, "title")) baseline.failing.emplace(*title);
  }
  return baseline;
}

} // namespace tollgate::report
