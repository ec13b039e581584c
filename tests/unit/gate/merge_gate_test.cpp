#include <doctest/doctest.h>

#include "gate/merge_gate.h"

using namespace tollgate;

namespace {

model::Finding failure(std::string path, int line, std::string title, std::string message = "boom") {
  model::Finding f;
  f.path = std::move(path);
  f.start_line = f.end_line = line;
  f.title = std::move(title);
  f.message = std::move(message);
  return f;
}

model::LegResult tests_leg(std::string name, std::vector<model::Finding> findings, uint64_t tests = 2) {
  model::LegResult leg;
  leg.command = "tests";
  leg.check_name = std::move(name);
  leg.passed = findings.empty();
  leg.conclusion = leg.passed ? model::Conclusion::success : model::Conclusion::failure;
  leg.findings = std::move(findings);
  leg.tests = model::LegTestCounts{tests, tests - leg.findings.size(), leg.findings.size(), 0, 0, 0, 1.5};
  return leg;
}

model::LegResult coverage_leg(std::string name, std::vector<model::LineHits> lines, double min_line, bool passed) {
  model::LegResult leg;
  leg.command = "coverage";
  leg.check_name = std::move(name);
  leg.passed = passed;
  model::FileCoverage f;
  f.path = "src/a.py";
  f.lines = std::move(lines);
  leg.coverage = std::vector<model::FileCoverage>{f};
  leg.gates.push_back({"line coverage", min_line, 0, passed, ""});
  return leg;
}

} // namespace

TEST_SUITE("gate::merge") {
  TEST_CASE("a failure several legs share is shown once with the legs named") {
    const std::vector<model::LegResult> legs = {
        tests_leg("Tests (linux)", {failure("src/a.py", 3, "t › a"), failure("src/b.py", 9, "t › b")}),
        tests_leg("Tests (mac)", {failure("src/a.py", 3, "t › a", "other text")}),
        tests_leg("Tests (win)", {}),
    };
    const auto shared = gate::share_findings(legs, false);
    REQUIRE(shared.size() == 2);
    CHECK(shared[0].finding.path == "src/a.py");
    CHECK(shared[0].finding.message == "boom");
    CHECK(shared[0].legs == std::vector<std::string>{"Tests (linux)", "Tests (mac)"});
    CHECK(shared[0].of == 3);
    CHECK(shared[1].legs == std::vector<std::string>{"Tests (linux)"});
  }

  TEST_CASE("the same title on another line is another finding") {
    const std::vector<model::LegResult> legs = {tests_leg("A", {failure("src/a.py", 3, "t")}),
                                                tests_leg("B", {failure("src/a.py", 4, "t")})};
    CHECK(gate::share_findings(legs, false).size() == 2);
  }

  TEST_CASE("failures come before warnings and the most severe level of a group wins") {
    auto warning = failure("x.py", 1, "w");
    warning.level = model::Level::warning;
    auto leg_a = tests_leg("A", {warning});
    auto leg_b = tests_leg("B", {failure("y.py", 2, "f"), failure("x.py", 1, "w")});
    const auto shared = gate::share_findings({leg_a, leg_b}, false);
    REQUIRE(shared.size() == 2);
    CHECK(shared[0].finding.title == "w");
    CHECK(shared[0].finding.level == model::Level::failure);
    CHECK(shared[1].finding.title == "f");
  }

  TEST_CASE("test counts add up across legs") {
    const auto sum = gate::sum_tests({tests_leg("A", {failure("a", 1, "t")}, 10), tests_leg("B", {}, 7)});
    REQUIRE(sum);
    CHECK(sum->tests == 17);
    CHECK(sum->failed == 1);
    CHECK(sum->passed == 16);
    CHECK(sum->duration_s == doctest::Approx(3.0));
    CHECK_FALSE(gate::sum_tests({coverage_leg("C", {{1, 1}}, 50, true)}));
  }

  TEST_CASE("coverage merges per line: a line covered in any leg is covered") {
    const auto merged = gate::merge_leg_coverage({coverage_leg("C (linux)", {{1, 1}, {2, 0}, {3, 0}}, 60, false),
                                                  coverage_leg("C (mac)", {{1, 0}, {2, 3}, {4, 0}}, 60, false)});
    REQUIRE(merged);
    REQUIRE(merged->files.size() == 1);
    CHECK(merged->totals.lines == 4);
    CHECK(merged->totals.lines_covered == 2);
    CHECK(merged->files[0].find_line(2)->hits == 3);
    CHECK_FALSE(gate::merge_leg_coverage({tests_leg("A", {})}));
  }

  TEST_CASE("the legs' coverage thresholds apply to the merged numbers unless merge is given its own") {
    const std::vector<model::LegResult> legs = {coverage_leg("A", {}, 60, false), coverage_leg("B", {}, 70, false)};
    const auto inherited = gate::inherit_coverage_gates(legs, {});
    REQUIRE(inherited.min_line);
    CHECK(*inherited.min_line == 70);
    CHECK_FALSE(inherited.min_patch);
    gate::CoverageGateOptions given;
    given.min_line = 50;
    CHECK(*gate::inherit_coverage_gates(legs, given).min_line == 50);
  }

  TEST_CASE("one failing leg fails the merged verdict; merged coverage legs are judged by the merged gates") {
    const std::vector<model::LegResult> legs = {tests_leg("A", {}), tests_leg("B", {failure("a", 1, "t")}),
                                                coverage_leg("C", {{1, 1}}, 60, false)};
    const auto g = gate::failed_legs_gate(legs, true);
    CHECK_FALSE(g.passed);
    CHECK(g.actual == 1);
    CHECK(g.detail.find("1 of 2 legs failed: B") == 0);
    CHECK(gate::failed_legs_gate(legs, false).actual == 2);
    CHECK(gate::failed_legs_gate({tests_leg("A", {})}, false).passed);
  }

  TEST_CASE("a merged result's verdict counts even though its coverage is merged again") {
    auto merged = coverage_leg("Tests + Coverage (all legs)", {{1, 1}}, 60, false);
    merged.command = "merge";
    const auto g = gate::failed_legs_gate({merged, tests_leg("A", {})}, true);
    CHECK(g.actual == 1);
  }

  TEST_CASE("a leg that failed only --min-tests is named with its gate, never \"all passed\"") {
    auto short_leg = tests_leg("Tests (win)", {}, 3);
    short_leg.passed = false;
    short_leg.conclusion = model::Conclusion::failure;
    model::Gate min_tests;
    min_tests.name = gate::k_gate_min_tests;
    min_tests.threshold = 5;
    min_tests.actual = 3;
    min_tests.passed = false;
    short_leg.gates = {min_tests};
    const std::vector<model::LegResult> legs = {tests_leg("Tests (linux)", {}), short_leg};
    CHECK(gate::merge_title(legs, false, gate::sum_tests(legs), "") ==
          "2 legs, 1 failed (Tests (win)) · minimum tests not met: 3 ran, 5 required — 5 tests, 5 passed");
  }

  TEST_CASE("title and default check name") {
    const std::vector<model::LegResult> legs = {tests_leg("A", {}), tests_leg("B", {failure("a", 1, "t")}),
                                                coverage_leg("C", {{1, 1}}, 60, true)};
    CHECK(gate::merge_title(legs, true, gate::sum_tests(legs), "Coverage 100.0%") ==
          "2 legs, 1 failed (B) · 4 tests, 1 failed · Coverage 100.0%");
    CHECK(gate::merge_check_name(legs) == "Tests + Coverage (all legs)");
    CHECK(gate::merge_check_name({legs[2], legs[0]}) == "Tests + Coverage (all legs)");
    CHECK(gate::merge_check_name({tests_leg("A", {})}) == "Tests (all legs)");
  }
}
