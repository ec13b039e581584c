#include <doctest/doctest.h>

#include "publish/lighthouse_summary.h"

using namespace tollgate;

TEST_SUITE("publish::lighthouse_summary") {
  TEST_CASE("scores as Lighthouse shows them") {
    CHECK(publish::score_badge(0.9) == "🟢 90");
    CHECK(publish::score_badge(0.655) == "🟠 66");
    CHECK(publish::score_badge(0.49) == "🔴 49");
  }

  TEST_CASE("metrics and assertion values") {
    CHECK(publish::format_metric(2952.9, "millisecond") == "3.0 s");
    CHECK(publish::format_metric(150.2, "millisecond") == "150 ms");
    CHECK(publish::format_metric(0.0123, "unitless") == "0.012");
    CHECK(publish::format_assertion_value(0.9) == "0.9");
    CHECK(publish::format_assertion_value(3852.9353) == "3853");
    CHECK(publish::format_assertion_value(2) == "2");
  }

  TEST_CASE("failed assertions show expected, actual and every value; URLs are escaped") {
    gate::LighthouseUrlStats u;
    u.url = "http://x/@octocat";
    u.runs = 2;
    u.categories.push_back({"performance", "Performance", "", {0.5, 0.6}, 0.55, 0.7});
    std::vector<gate::LighthouseUrlStats> urls = {u};
    gate::LighthouseAssertion a;
    a.url = u.url;
    a.audit_id = "categories";
    a.audit_property = "performance";
    a.name = "minScore";
    a.level = "error";
    a.op = ">=";
    a.expected = 0.9;
    a.actual = 0.6;
    a.values = {0.5, 0.6};
    a.aggregation = "optimistic";
    a.line = 7;
    std::vector<gate::LighthouseAssertion> results = {a};
    std::vector<gate::LighthouseWarning> warnings;
    publish::LighthouseSummaryInput in;
    in.urls = &urls;
    in.results = &results;
    in.warnings = &warnings;
    in.config_location = "lighthouserc.json";
    in.has_baseline = true;
    const std::string md = publish::lighthouse_summary(in);
    CHECK(md.find("🟠 55 (−15)") != std::string::npos);
    CHECK(md.find("Failed assertions (1)") != std::string::npos);
    CHECK(md.find("&gt;= 0.9 | 0.6 | 0.5, 0.6") != std::string::npos);
    CHECK(md.find("lighthouserc.json:7") != std::string::npos);
    CHECK(md.find("@octocat") == std::string::npos);
  }
}
