#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "report/lhr.h"

using namespace tollgate;

namespace {
std::string lighthouse_data(const std::string& name) {
  std::ifstream f(std::string(TOLLGATE_TEST_DATA) + "/lighthouse/" + name, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
} // namespace

TEST_SUITE("report::lhr") {
  TEST_CASE("a real Lighthouse 12 result: URL, categories, audits and their values") {
    const auto run = report::parse_lhr(lighthouse_data("lh12/slow-1.json"));
    REQUIRE(run);
    CHECK(run->final_url == "http://127.0.0.1:8080/slow.html");
    CHECK(run->has_final_url);
    CHECK(run->lighthouse_version == "12.6.1");
    CHECK(run->categories.size() == 4);
    REQUIRE(run->category("accessibility"));
    CHECK(run->category("accessibility")->score.number == doctest::Approx(0.47));
    CHECK(run->audits.size() == 175);
    const auto* fcp = run->audit("first-contentful-paint");
    REQUIRE(fcp);
    CHECK(fcp->score_display_mode == "numeric");
    CHECK(fcp->numeric_value.number == 2952.9353);
    CHECK(fcp->numeric_unit == "millisecond");
    const auto* summary = run->audit("resource-summary");
    REQUIRE(summary);
    CHECK(summary->item_count == 9);
    REQUIRE(summary->items.size() == 9);
    CHECK(summary->items[0].resource_type.text == "total");
    CHECK(summary->items[0].transfer_size.number == 590500);
    CHECK_FALSE(summary->items[0].size.present());
    CHECK(run->audit("unused-javascript")->item_count == 1);
    CHECK(run->audit("unused-javascript")->items.empty()); // rows of other audits are only counted
    CHECK(run->audit("focus-traps")->score.type == model::JsonScalar::Type::null);
  }

  TEST_CASE("a Lighthouse 13 result with audits in error") {
    const auto run = report::parse_lhr(lighthouse_data("lh13/slow-1.json"));
    REQUIRE(run);
    CHECK(run->lighthouse_version == "13.5.0");
    CHECK(run->audit("legacy-javascript-insight")->score_display_mode == "error");
    CHECK_FALSE(run->audit("dom-size"));
    CHECK(run->audit("dom-size-insight"));
  }

  TEST_CASE("user timings keep name, duration and start time") {
    const auto run = report::parse_lhr(R"({"finalUrl": "http://x/", "audits": {"user-timings": {"score": 1,
      "details": {"items": [{"name": "boot", "duration": 12.5, "startTime": 3}, {"name": "ready", "startTime": 15.5}]}}}})");
    REQUIRE(run);
    const auto& items = run->audit("user-timings")->items;
    REQUIRE(items.size() == 2);
    CHECK(items[0].name.text == "boot");
    CHECK(items[0].duration.number == 12.5);
    CHECK_FALSE(items[1].duration.present());
    CHECK(items[1].start_time.number == 15.5);
  }

  TEST_CASE("values that are not numbers stay recognisable as such") {
    const auto run = report::parse_lhr(R"({"audits": {"a": {"score": null, "numericValue": "12", "scoreDisplayMode": "manual"},
      "b": {"score": {"x": 1}, "numericValue": [1]}, "c": {"details": {"items": {"length": 3}}}}})");
    REQUIRE(run);
    CHECK_FALSE(run->has_final_url);
    CHECK(run->audit("a")->score.type == model::JsonScalar::Type::null);
    CHECK(run->audit("a")->numeric_value.type == model::JsonScalar::Type::string);
    CHECK(run->audit("b")->score.type == model::JsonScalar::Type::composite);
    CHECK(run->audit("b")->numeric_value.type == model::JsonScalar::Type::composite);
    CHECK(run->audit("c")->item_count == 0); // items that are not an array have no length for lhci
  }

  TEST_CASE("audits and categories are found by their exact id, also after the run is copied") {
    model::LighthouseRun run;
    for (const char* id : {"metrics-x", "metrics", "b", "a"}) run.audits.push_back({id, std::string("t-") + id});
    run.categories.push_back({"seo", "SEO", {}});
    run.index();
    const model::LighthouseRun copy = run;
    for (const model::LighthouseRun* r : {static_cast<const model::LighthouseRun*>(&run), &copy}) {
      REQUIRE(r->audit("metrics"));
      CHECK(r->audit("metrics")->title == "t-metrics");
      CHECK(r->audit("metrics")->id == "metrics");
      CHECK(r->audit("metrics-x")->title == "t-metrics-x");
      CHECK(r->audit("a")->title == "t-a");
      CHECK_FALSE(r->audit("metric"));
      CHECK_FALSE(r->audit("c"));
      CHECK_FALSE(r->audit(""));
      CHECK(r->category("seo")->title == "SEO");
      CHECK_FALSE(r->category("pwa"));
    }
    CHECK(copy.audit("b") == &copy.audits[2]); // the copy's own audits, not the original's
  }

  TEST_CASE("a repeated audit key keeps the last value, as JSON.parse does") {
    const auto run = report::parse_lhr(R"({"audits": {"a": {"score": 0}, "b": {"score": 1}, "a": {"score": 0.5}}})");
    REQUIRE(run);
    CHECK(run->audits.size() == 2);
    CHECK(run->audit("a")->score.number == 0.5);
  }

  TEST_CASE("malformed JSON names the line and column") {
    const auto run = report::parse_lhr("{\n  \"audits\": {\n    \"a\": [}\n}\n");
    REQUIRE_FALSE(run);
    CHECK(run.error().line == 3);
    CHECK(run.error().column == 11);
  }

  TEST_CASE("JSON that is not an LHR is refused") {
    CHECK_FALSE(report::parse_lhr("[1, 2]"));
    CHECK_FALSE(report::parse_lhr(R"({"lighthouseVersion": "12.0.0"})"));
    CHECK_FALSE(report::parse_lhr(R"({"audits": {}} trailing)"));
    CHECK(report::looks_like_lhr(lighthouse_data("lh12/fast-1.json")));
    CHECK_FALSE(report::looks_like_lhr(R"([{"name": "minScore"}])"));
  }

  TEST_CASE("hostile nesting is an error, not a stack overflow") {
    std::string deep = R"({"audits": {}, "x": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const auto run = report::parse_lhr(deep);
    REQUIRE_FALSE(run);
    CHECK(run.error().message.find("nesting") != std::string::npos);
  }

  TEST_CASE("invalid UTF-8 and NUL bytes are errors at their line; escapes parse in place") {
    const auto bad = report::parse_lhr("{\n \"audits\": {},\n \"finalUrl\": \"http://a/\xC3\x28\"\n}");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "invalid UTF-8");
    CHECK(bad.error().line == 3);
    CHECK(bad.error().column == 24);
    const std::string nul("{\"audits\": {}, \"finalUrl\": \"a\0b\"}", 34);
    const auto with_nul = report::parse_lhr(nul);
    REQUIRE_FALSE(with_nul);
    CHECK(with_nul.error().line == 1);
    CHECK_FALSE(report::parse_lhr(std::string(R"({"audits": {}})") + std::string(1, '\0')));
    // Escaped newlines decode in place; an error after them still counts source lines.
    const auto escaped =
        report::parse_lhr("{\"finalUrl\": \"a\\nb\\u000ac\", \"audits\": {\"x\": {\"title\": \"t\\\"q\"}}}");
    REQUIRE(escaped);
    CHECK(escaped->final_url == "a\nb\nc");
    REQUIRE(escaped->audits.size() == 1);
    CHECK(escaped->audits[0].title == "t\"q");
    const auto late = report::parse_lhr("{\"finalUrl\": \"a\\nb\",\n\"audits\": {]}");
    REQUIRE_FALSE(late);
    CHECK(late.error().line == 2);
  }

  TEST_CASE("raw control characters in strings are errors wherever the string lies in memory") {
    // RapidJSON's SSE2 scan lets 0x1A-0x1F through inside aligned blocks: checked afterwards.
    for (size_t pad = 0; pad < 40; ++pad) {
      for (const char control : {'\x01', '\x1A', '\x1F'}) {
        const std::string text = R"({"audits": {}, "finalUrl": ")" + std::string(pad, 'u') + control + R"("})";
        const auto run = report::parse_lhr(text);
        REQUIRE_FALSE(run);
        CHECK(run.error().line == 1);
        CHECK(run.error().column == 29 + pad);
      }
    }
    const auto message = report::parse_lhr("{\"audits\": {}, \"finalUrl\": \"a\x1B\"}");
    REQUIRE_FALSE(message);
    CHECK(message.error().message == "control character 0x1B in JSON text");
  }

  TEST_CASE("the first fault in the file is the one reported") {
    const auto syntax_first = report::parse_lhr("{\"audits\": [}, \"finalUrl\": \"\xFF\"}");
    REQUIRE_FALSE(syntax_first);
    CHECK(syntax_first.error().column == 13);
    CHECK(syntax_first.error().message != "invalid UTF-8");
    const auto trailing = report::parse_lhr("{\"audits\": {}} \xFF");
    REQUIRE_FALSE(trailing);
    CHECK(trailing.error().message == "unexpected data after the JSON value");
  }
}
