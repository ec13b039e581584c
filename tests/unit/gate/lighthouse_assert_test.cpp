#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "gate/lighthouse_assert.h"
#include "gate/lighthouse_budgets.h"
#include "gate/lighthouse_presets.h"
#include "gate/lighthouse_values.h"
#include "report/lhr.h"
#include "report/lighthouserc.h"

using namespace tollgate;
using gate::LighthouseAssertion;

namespace {

model::LighthouseRun run(const std::string& url, const std::string& audits, const std::string& categories = "{}") {
  auto r = report::parse_lhr(fmt::format(R"({{"finalUrl": "{}", "categories": {}, "audits": {}}})", url, categories, audits));
  REQUIRE(r);
  return std::move(*r);
}

gate::LighthouseAssertInput options(const std::string& json) {
  auto v = report::parse_rc_value(json, report::RcSyntax::json);
  REQUIRE(v);
  gate::LighthouseAssertInput input;
  input.options = report::as_yargs_options(*v);
  return input;
}

std::vector<LighthouseAssertion> results(const std::string& json, const std::vector<model::LighthouseRun>& runs) {
  auto verdict = gate::assert_lighthouse(options(json), runs);
  REQUIRE(verdict);
  return verdict->results;
}

std::string error_of(const std::string& json, const std::vector<model::LighthouseRun>& runs) {
  auto verdict = gate::assert_lighthouse(options(json), runs);
  REQUIRE_FALSE(verdict);
  return verdict.error().message;
}

const std::string k_url = "http://127.0.0.1/";

std::vector<model::LighthouseRun> three_runs() {
  std::vector<model::LighthouseRun> runs;
  const double fcp[] = {1000, 3000, 2000};
  const double score[] = {0.5, 0.9, 0.7};
  for (int i = 0; i < 3; ++i)
    runs.push_back(run(k_url,
                       fmt::format(R"({{"first-contentful-paint": {{"score": {1}, "scoreDisplayMode": "numeric", "numericValue": {0}}},
                          "interactive": {{"score": 1, "numericValue": {0}}},
                          "na": {{"score": null, "scoreDisplayMode": "notApplicable"}},
                          "info": {{"score": null, "scoreDisplayMode": "informative"}},
                          "manual": {{"score": null, "scoreDisplayMode": "manual"}},
                          "err": {{"score": null, "scoreDisplayMode": "error"}},
                          "list": {{"score": 0, "details": {{"items": [{{}}, {{}}]}}}}}})",
                                   fcp[i], score[i]),
                       fmt::format(R"({{"performance": {{"score": {}}}}})", score[i])));
  return runs;
}

} // namespace

TEST_SUITE("gate::lighthouse_assert") {
  TEST_CASE("an assertion without options checks minScore >= 0.9, optimistically") {
    const auto r = results(R"({"assertions": {"first-contentful-paint": "error"}})", three_runs());
    REQUIRE(r.size() == 1);
    CHECK(r[0].name == "minScore");
    CHECK(r[0].expected == 0.9);
    CHECK(*r[0].actual == 0.9);
    CHECK(r[0].passed);
    CHECK(r[0].values.size() == 3);
  }

  TEST_CASE("aggregation: optimistic, pessimistic, median (mean of the middle two), median-run") {
    const auto runs = three_runs();
    auto r = results(R"({"assertions": {"first-contentful-paint": ["error", {"maxNumericValue": 1500}]}})", runs);
    CHECK(*r[0].actual == 1000); // optimistic: best = min for max*
    r = results(R"({"assertions": {"first-contentful-paint": ["error", {"maxNumericValue": 1500, "aggregationMethod": "pessimistic"}]}})", runs);
    CHECK(*r[0].actual == 3000);
    r = results(R"({"aggregationMethod": "median", "assertions": {"first-contentful-paint": ["error", {"maxNumericValue": 1500}]}})", runs);
    CHECK(*r[0].actual == 2000);
    auto four = runs;
    four.push_back(run(k_url, R"({"first-contentful-paint": {"score": 1, "numericValue": 2500}})"));
    r = results(R"({"assertions": {"first-contentful-paint": ["error", {"maxNumericValue": 1, "aggregationMethod": "median"}]}})", four);
    CHECK(*r[0].actual == 2250);
    r = results(R"({"assertions": {"first-contentful-paint": ["error", {"maxNumericValue": 1, "aggregationMethod": "median-run"}]}})", runs);
    CHECK(*r[0].actual == 2000); // the representative run is the middle one
    CHECK(r[0].values.size() == 1);
  }

  TEST_CASE("categories under median-run take the maximum of all runs, as lhci does") {
    const auto r = results(R"({"assertions": {"categories:performance": ["error", {"aggregationMethod": "median-run"}]}})", three_runs());
    CHECK(*r[0].actual == 0.9);
    CHECK(r[0].values.size() == 3);
    CHECK(r[0].audit() == "categories:performance");
  }

  TEST_CASE("scores of notApplicable (1), informative (0), manual and error (no value)") {
    const auto runs = three_runs();
    CHECK(*results(R"({"assertions": {"na": "error"}})", runs)[0].actual == 1);
    CHECK(*results(R"({"assertions": {"info": "error"}})", runs)[0].actual == 0);
    for (const char* id : {"manual", "err"}) {
      const auto r = results(fmt::format(R"({{"assertions": {{"{}": "error"}}}})", id), runs);
      CHECK_FALSE(r[0].actual);
      CHECK_FALSE(r[0].passed);
      CHECK(r[0].message.find("did not produce a value at all") != std::string::npos);
      CHECK_FALSE(r[0].values[0]);
    }
  }

  TEST_CASE("maxLength reads the number of items; several options give several results in lhci's order") {
    const auto r = results(R"({"assertions": {"list": ["warn", {"minScore": 0, "maxLength": 1, "maxNumericValue": 5}]}})", three_runs());
    REQUIRE(r.size() == 3);
    CHECK(r[0].name == "maxLength");
    CHECK(*r[0].actual == 2);
    CHECK(r[1].name == "maxNumericValue");
    CHECK_FALSE(r[1].actual);
    CHECK(r[2].name == "minScore");
    CHECK(r[2].passed);
  }

  TEST_CASE("an audit missing in some run fails auditRan and says whether the audit is known") {
    auto runs = three_runs();
    runs.push_back(run(k_url, R"({"first-contentful-paint": {"score": 1}})"));
    auto r = results(R"({"assertions": {"interactive": "error", "no-such-audit": "warn"}})", runs);
    REQUIRE(r.size() == 2);
    CHECK(r[0].name == "auditRan");
    CHECK(r[0].op == ">=");
    CHECK(*r[0].actual == 0);
    CHECK(r[0].values == std::vector<std::optional<double>>{1.0, 1.0, 1.0, 0.0});
    CHECK(r[0].message.empty());
    CHECK(r[1].message == "\"no-such-audit\" is not a known audit.");
  }

  TEST_CASE("pessimistic needs a value from every run") {
    std::vector<model::LighthouseRun> runs = {run(k_url, R"({"a": {"score": 1, "numericValue": 5}})"),
                                              run(k_url, R"({"a": {"score": 1, "numericValue": null}})")};
    auto r = results(R"({"assertions": {"a": ["error", {"maxNumericValue": 10, "aggregationMethod": "pessimistic"}]}})", runs);
    CHECK_FALSE(r[0].passed);
    CHECK(r[0].message.find("other than \"pessimistic\"") != std::string::npos);
    r = results(R"({"assertions": {"a": ["error", {"maxNumericValue": 10}]}})", runs);
    CHECK(r[0].passed);
    CHECK(r[0].values.size() == 1);
  }

  TEST_CASE("keys: camelCase and upper case are looked up in kebab case and so ignored; dots are colons") {
    const auto runs = three_runs();
    CHECK(results(R"({"assertions": {"firstContentfulPaint": "error"}})", runs).empty());
    CHECK(results(R"({"assertions": {"First-Contentful-Paint": "error"}})", runs).empty());
    CHECK(gate::lhci_kebab_case("domSize") == "dom-size");
    CHECK(gate::lhci_kebab_case("aBC") == "a-bc");
    CHECK(gate::lhci_kebab_case("My Mark!", true) == "my-mark");
  }

  TEST_CASE("levels: off skips, any other level is evaluated and only error fails") {
    const auto runs = three_runs();
    auto verdict = gate::assert_lighthouse(options(R"({"assertions": {"manual": "warning", "err": "off"}})"), runs);
    REQUIRE(verdict);
    CHECK(verdict->results.size() == 1);
    CHECK(verdict->passed);
    verdict = gate::assert_lighthouse(options(R"({"assertions": {"manual": ["error"]}})"), runs);
    CHECK_FALSE(verdict->passed);
  }

  TEST_CASE("presets merge under the user's assertions, element by element") {
    const auto runs = three_runs();
    const auto r = results(R"({"preset": "lighthouse:recommended", "assertions": {"offscreen-images": ["warn", {"minScore": 0.5}]}})", runs);
    const auto it = std::find_if(r.begin(), r.end(), [](const auto& a) { return a.audit_id == "offscreen-images"; });
    REQUIRE(it != r.end());
    CHECK(it->level == "warn");
    CHECK(it->name == "auditRan"); // the runs have no such audit
    CHECK(gate::lighthouse_preset("all"));
    CHECK(gate::lighthouse_preset("no-pwa")->find("assertions")->find("viewport")->text == "off");
    CHECK_FALSE(gate::lighthouse_preset("fast"));
    CHECK(gate::is_known_lighthouse_audit("dom-size"));
    CHECK(gate::lighthouse_presets_lhci_version() == "0.15.1");
  }

  TEST_CASE("resource-summary and user-timings rows") {
    std::vector<model::LighthouseRun> runs = {run(k_url, R"({
      "resource-summary": {"score": null, "scoreDisplayMode": "informative", "details": {"items": [
        {"resourceType": "script", "requestCount": 2, "transferSize": 2048}, {"resourceType": "total", "size": 10, "transferSize": 4096}]}},
      "user-timings": {"score": null, "details": {"items": [{"name": "App Boot", "duration": 30, "startTime": 1}, {"name": "ready", "startTime": 50}]}}})")};
    auto r = results(R"({"assertions": {"resource-summary:script:size": ["error", {"maxNumericValue": 1000}],
      "resource-summary:script:count": ["error", {"maxNumericValue": 2}], "resource-summary:total:size": ["error", {"maxNumericValue": 100}],
      "resource-summary:font:size": ["error", {"maxNumericValue": 1}], "user-timings:app-boot": ["error", {"maxNumericValue": 10}],
      "user-timings:ready": ["error", {"maxNumericValue": 60}]}})",
                     runs);
    REQUIRE(r.size() == 6);
    CHECK(*r[0].actual == 2048);
    CHECK(r[0].audit() == "resource-summary:script:size");
    CHECK(r[1].passed);
    CHECK(*r[2].actual == 10); // size wins over transferSize
    CHECK(r[3].name == "auditRan");
    CHECK(*r[4].actual == 30);
    CHECK(r[4].audit() == "user-timings:app-boot");
    CHECK(*r[5].actual == 50);
  }

  TEST_CASE("assertMatrix with unanchored patterns") {
    std::vector<model::LighthouseRun> runs = {run("http://a.test/blog/post", R"({"x": {"score": 1}})"),
                                              run("http://a.test/", R"({"x": {"score": 0}})")};
    const auto r = results(R"({"assertMatrix": [{"matchingUrlPattern": "blog", "assertions": {"x": "error"}},
                                                {"matchingUrlPattern": "a\\.test/$", "assertions": {"x": "warn"}}]})",
                           runs);
    REQUIRE(r.size() == 2);
    CHECK(r[0].url == "http://a.test/blog/post");
    CHECK(r[0].level == "error");
    CHECK(r[1].url == "http://a.test/");
    CHECK(r[1].level == "warn");
  }

  TEST_CASE("lhci's configuration errors") {
    const auto runs = three_runs();
    CHECK(error_of(R"({"assertions": {}})", runs) == "No assertions to use");
    CHECK(error_of(R"({"preset": "lighthouse:all", "assertMatrix": [{}]})", runs) == "Cannot use assertMatrix with other options");
    CHECK(error_of(R"({"budgetsFile": "b.json", "preset": "lighthouse:all"})", runs) == "Cannot use both budgets AND assertions");
    CHECK(error_of(R"({"preset": "lighthouse:fast"})", runs).find("Invalid values") == 0);
    CHECK(error_of(R"({"assertions": {"resource-summary:script:bytes": "error"}})", runs).find("Invalid resource-summary") == 0);
    CHECK(error_of(R"({"assertions": {"x": {"level": "error"}}})", runs).find("must be a level") != std::string::npos);
    // An empty assertions object vanishes in yargs, so it does not clash with assertMatrix.
    CHECK(gate::assert_lighthouse(options(R"({"assertions": {}, "assertMatrix": [{"assertions": {"na": "error"}}]})"), runs));
  }

  TEST_CASE("budgets become an assertMatrix with lhci's patterns") {
    auto budgets = report::parse_rc_value(R"([{"path": "/blog/*", "timings": [{"metric": "interactive", "budget": 100}],
      "resourceSizes": [{"resourceType": "script", "budget": 2}], "resourceCounts": [{"resourceType": "total", "budget": 5}]}])",
                                          report::RcSyntax::json);
    REQUIRE(budgets);
    const auto converted = gate::budgets_to_assert_options(*budgets);
    REQUIRE(converted);
    const auto& entry = converted->find("assertMatrix")->items[0];
    CHECK(entry.find("matchingUrlPattern")->text == "https?://[^/]+/blog/.*");
    const auto* assertions = entry.find("assertions");
    CHECK(assertions->members[0].key == "interactive");
    CHECK(assertions->members[1].key == "resource-summary:total:count");
    CHECK(assertions->find("resource-summary:script:size")->items[1].find("maxNumericValue")->number == 2048);
    CHECK(gate::budget_path_pattern("/") == ".*");
    CHECK(gate::budget_path_pattern("/a.js$") == "https?://[^/]+/a\\.js$");
    const auto bad = report::parse_rc_value(R"([{"path": "blog"}])", report::RcSyntax::json);
    CHECK(gate::budgets_to_assert_options(*bad).error().message.find("Path should start with '/'") != std::string::npos);
    const auto dup = report::parse_rc_value(R"([{"timings": [{"metric": "interactive", "budget": 1}, {"metric": "interactive", "budget": 2}]}])",
                                            report::RcSyntax::json);
    CHECK(gate::budgets_to_assert_options(*dup).error().message == "budgets[0].timings has duplicate entry of type 'interactive'");
  }

  TEST_CASE("Lighthouse's own performance-budget rows (Lighthouse 11 and older)") {
    std::vector<model::LighthouseRun> runs = {run(k_url, R"({"performance-budget": {"score": null, "details": {"items": [
      {"resourceType": "script", "size": 3000, "sizeOverBudget": 1000, "requestCount": 4, "countOverBudget": "2 requests"}]}}})")};
    const auto r = results(R"({"assertions": {"performance-budget": "error"}})", runs);
    REQUIRE(r.size() == 2);
    CHECK(r[0].audit_property == "script.size");
    CHECK(r[0].expected == 2000);
    CHECK(*r[0].actual == 3000);
    CHECK(r[1].audit_property == "script.count");
    CHECK(r[1].expected == 2);
  }

  TEST_CASE("option values are compared as JavaScript numbers") {
    model::RcValue v = model::RcValue::string_value(" 0.5 ");
    CHECK(gate::js_to_number(v) == 0.5);
    CHECK(gate::js_to_number(model::RcValue{}) == 0);
    CHECK(std::isnan(gate::js_to_number(model::RcValue::string_value("abc"))));
    CHECK(gate::js_to_number(model::RcValue::string_value("")) == 0);
  }

  TEST_CASE("runs are grouped by finalUrl in order of appearance") {
    std::vector<model::LighthouseRun> runs = {run("http://b/", "{}"), run("http://a/", "{}"), run("http://b/", "{}")};
    const auto groups = gate::group_by_url(runs);
    REQUIRE(groups.size() == 2);
    CHECK(*groups[0].url == "http://b/");
    CHECK(groups[0].runs.size() == 2);
  }
}
