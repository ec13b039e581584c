#include "publish/metrics_summary.h"

#include <doctest/doctest.h>
#include <string>

using namespace tollgate;

TEST_SUITE("publish::metrics_summary") {
  TEST_CASE("durations read as a person would say them") {
    CHECK(publish::format_duration(std::nullopt) == "–");
    CHECK(publish::format_duration(45) == "45 s");
    CHECK(publish::format_duration(125) == "2 min 05 s");
    CHECK(publish::format_duration(2 * 3600 + 5 * 60 + 59.6) == "2 h 06 min");
    CHECK(publish::format_duration(3 * 86400 + 4 * 3600) == "3 d 4 h");
  }

  TEST_CASE("the chart draws succeeded and failed deployments per week, scaled to its width") {
    gate::EnvironmentMetrics m;
    m.weeks.push_back({1791158400, 1791158400 + 7 * 86400, 3, 1});
    m.weeks.push_back({1791158400 + 7 * 86400, 1791158400 + 14 * 86400, 90, 0});
    const std::string chart = publish::weekly_chart(m);
    CHECK(chart.find("2026-10-05  │█░ 3 ✓ 1 ✗") !=
          std::string::npos); // 3 × 30/90 rounds to one cell
    std::string thirty;
    for (int i = 0; i < 30; ++i)
      thirty += "█";
    CHECK(chart.find("│" + thirty + " 90 ✓ 0 ✗") != std::string::npos);
    CHECK(chart.rfind("```text", 0) == 0);
  }

  TEST_CASE("an environment name cannot break the summary's Markdown or ping anyone") {
    publish::EnvironmentReport r;
    r.environment = "prod | @octocat\n## x";
    r.metrics.window = {1791158400, 1791158400 + 86400};
    const std::string md = publish::metrics_summary({r});
    CHECK(md.find("@octocat") == std::string::npos);
    CHECK(md.find("\n## x") == std::string::npos);
    CHECK(md.find("prod \\|") != std::string::npos);
  }

  TEST_CASE("every definition is written in the summary") {
    const std::string md = publish::metrics_summary({});
    for (const auto& [name, text] : publish::metric_definitions())
      CHECK(md.find("**" + name + "**: " + text) != std::string::npos);
  }
}
