#include <doctest/doctest.h>

#include "gate/lighthouse_lint.h"
#include "report/lhr.h"
#include "report/lighthouserc.h"

using namespace tollgate;

namespace {
std::vector<gate::LighthouseWarning> lint(const std::string& json) {
  auto rc = report::parse_rc_value(json, report::RcSyntax::json);
  REQUIRE(rc);
  gate::LighthouseAssertInput input;
  input.options = report::as_yargs_options(*rc);
  auto run = report::parse_lhr(R"({"finalUrl": "http://x/", "audits": {"dom-size": {"score": 1}}})");
  REQUIRE(run);
  std::vector<model::LighthouseRun> runs = {std::move(*run)};
  const auto verdict = gate::assert_lighthouse(input, runs);
  REQUIRE(verdict);
  return gate::lint_lighthouse(input, &*rc, runs, *verdict);
}

bool says(const std::vector<gate::LighthouseWarning>& warnings, const std::string& text) {
  for (const auto& w : warnings)
    if (w.message.find(text) != std::string::npos) return true;
  return false;
}
} // namespace

TEST_SUITE("gate::lighthouse_lint") {
  TEST_CASE("a camelCase key is named with its fix and its line") {
    const auto w = lint("{\"assertions\": {\n\"domSize\": \"error\"}}");
    REQUIRE(w.size() == 1);
    CHECK(w[0].line == 2);
    CHECK(w[0].message.find("rename it to \"dom-size\"") != std::string::npos);
  }

  TEST_CASE("unknown options, levels, methods and assert settings") {
    const auto w = lint(R"({"assertion": {}, "assertions": {"dom-size": ["warning", {"minNumericValue": 3, "aggregationMethod": "mean"}]}})");
    CHECK(says(w, "ci.assert.assertion is not an option of lhci assert"));
    CHECK(says(w, "did you mean assertions?"));
    CHECK(says(w, "level \"warning\""));
    CHECK(says(w, "unknown option minNumericValue"));
    CHECK(says(w, "aggregationMethod \"mean\""));
    CHECK(says(w, "checks minScore >= 0.9"));
  }

  TEST_CASE("a pattern that matches no URL, and a preset lhci does not read") {
    const auto w = lint(R"({"assertMatrix": [{"matchingUrlPattern": "^https://", "preset": "recommended", "assertions": {"dom-size": "error"}}]})");
    CHECK(says(w, "matches none of the 1 URL(s)"));
    CHECK(says(w, "preset \"recommended\" is ignored"));
  }

  TEST_CASE("a clean config says nothing") {
    CHECK(lint(R"({"preset": "lighthouse:no-pwa", "assertions": {"dom-size": ["error", {"maxNumericValue": 1500}]}})").empty());
  }
}
