#include <doctest/doctest.h>

#include <random>

#include "gate/merge_gate.h"
#include "gate/merge_legs.h"
#include "runner/matrix.h"

using namespace tollgate;

namespace {

model::LegResult result(std::string job, std::string leg, bool passed) {
  model::LegResult r;
  r.command = "tests";
  r.has_writer = true;
  r.job = std::move(job);
  r.leg = leg;
  r.check_name = "Tests (" + leg + ")";
  r.passed = passed;
  r.conclusion = passed ? model::Conclusion::success : model::Conclusion::failure;
  r.tests = model::LegTestCounts{1, passed ? 1u : 0u, passed ? 0u : 1u, 0, 0, 0, 0};
  return r;
}

} // namespace

TEST_SUITE("gate::merge_legs") {
  TEST_CASE("a matrix job's legs are read from the run's jobs by name, other jobs are not") {
    const std::vector<gate::RunJob> jobs{{"test (ubuntu-latest, 3.12)", "completed", "failure", "https://x/1"},
                                         {"test (macos-latest, 3.12)", "completed", "success", "https://x/2"},
                                         {"testing (a)", "completed", "success", ""},
                                         {"lint", "completed", "success", ""},
                                         {"merge", "in_progress", "", ""}};
    const auto legs = gate::legs_from_jobs(jobs, {"test", "lint"});
    REQUIRE(legs.size() == 3);
    CHECK(legs[0].leg == "ubuntu-latest, 3.12");
    CHECK(legs[0].conclusion == "failure");
    CHECK(legs[0].url == "https://x/1");
    CHECK(legs[1].leg == "macos-latest, 3.12");
    CHECK(legs[2].name == "lint");
    CHECK(legs[2].leg.empty());
  }

  TEST_CASE("a job without a result becomes a failed leg, named, with its conclusion and link") {
    std::vector<model::LegResult> results{result("test", "3.10", true), result("test", "3.11", true)};
    const std::vector<gate::ExpectedLeg> expected{{"test (3.10)", "test", "3.10", "success", ""},
                                                  {"test (3.11)", "test", "3.11", "success", ""},
                                                  {"test (3.12)", "test", "3.12", "cancelled", "https://x/3"}};
    CHECK(gate::add_missing_legs(results, expected) == 1);
    REQUIRE(results.size() == 3);
    CHECK(results[2].missing);
    CHECK_FALSE(results[2].passed);
    CHECK(results[2].job_url == "https://x/3");
    const auto g = gate::failed_legs_gate(results, false);
    CHECK_FALSE(g.passed);
    CHECK(g.detail == "1 of 3 legs failed: test (3.12) (no result, job cancelled)");
    CHECK(gate::merge_title(results, false, gate::sum_tests(results), "") == "3 legs, 1 failed (test (3.12)) · 2 tests, 2 passed");
    CHECK(gate::merge_check_name(results) == "Tests (all legs)");
  }

  TEST_CASE("a job key in a note is a code span that a backtick cannot close, with no literal backslash") {
    std::vector<model::LegResult> results{result("te`st_x", "ubuntu, {\"v\":1}", true)};
    const std::vector<gate::ExpectedLeg> jobs{{"te`st_x (ubuntu, map)", "te`st_x", "ubuntu, map", "success", ""},
                                              {"te`st_x (mac, map)", "te`st_x", "mac, map", "cancelled", ""}};
    const auto notes = gate::add_missing_from_jobs(results, jobs);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("The jobs of ``te`st_x`` are") != std::string::npos);
    CHECK(notes[0].find('\\') == std::string::npos);
  }

  TEST_CASE("jobs whose names do not show the legs are compared by count, the unsuccessful ones named") {
    std::vector<model::LegResult> results{result("test", "ubuntu, {\"v\":1}", true)};
    const std::vector<gate::ExpectedLeg> jobs{{"test (ubuntu, map)", "test", "ubuntu, map", "success", ""},
                                              {"test (mac, map)", "test", "mac, map", "cancelled", "https://x/9"}};
    const auto notes = gate::add_missing_from_jobs(results, jobs);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("by count") != std::string::npos);
    REQUIRE(results.size() == 2);
    CHECK(results[1].missing);
    CHECK(results[1].check_name == "test (mac, map)");
    CHECK(results[1].job_conclusion == "cancelled");

    std::vector<model::LegResult> matched{result("test", "a", true)};
    CHECK(gate::add_missing_from_jobs(matched, {{"test (a)", "test", "a", "success", ""},
                                                {"test (b)", "test", "b", "failure", ""}}).empty());
    REQUIRE(matched.size() == 2);
    CHECK(matched[1].leg == "b");
  }

  TEST_CASE("--expected-legs: a count or the legs' matrices") {
    auto n = runner::parse_expected_legs("3");
    REQUIRE(n);
    CHECK(n->count == 3);
    auto legs = runner::parse_expected_legs(R"([{"os":"ubuntu","py":"3.12"},{"os":"mac","py":3}, "plain"])");
    REQUIRE(legs);
    CHECK(legs->labels == std::vector<std::string>{"ubuntu, 3.12", "mac, 3", "plain"});
    CHECK_FALSE(runner::parse_expected_legs("0"));
    CHECK_FALSE(runner::parse_expected_legs("257"));
    CHECK_FALSE(runner::parse_expected_legs("[]"));
    CHECK_FALSE(runner::parse_expected_legs("{\"os\":\"x\"}"));

    std::vector<model::LegResult> results{result("test", "3.10", true), result("test", "3.10", true)};
    CHECK(gate::add_missing_by_count(results, 3) == 2); // two results of one leg are one leg
    CHECK(gate::failed_legs_gate(results, false).actual == 2);
  }

  // Acceptance (issue 13, property): for any set of legs — each passed, failed, or without a
  // result — no leg's failure disappears from the merged verdict.
  TEST_CASE("property: no failed or missing leg disappears from the merged verdict") {
    std::mt19937 random(20261204);
    for (int round = 0; round < 2000; ++round) {
      const int n = std::uniform_int_distribution<int>(1, 12)(random);
      std::vector<model::LegResult> results;
      std::vector<gate::ExpectedLeg> expected;
      std::vector<std::string> must_be_named;
      const bool by_count = round % 4 == 0;
      const bool from_jobs = round % 4 >= 2;
      const bool names_differ = round % 4 == 3; // job names that do not show the legs' labels
      for (int i = 0; i < n; ++i) {
        const std::string leg = "leg-" + std::to_string(i);
        const int kind = std::uniform_int_distribution<int>(0, 2)(random); // 0 passed, 1 failed, 2 missing
        expected.push_back({"test (" + leg + ")", "test", names_differ ? "other-" + std::to_string(i) : leg,
                            kind == 2 ? "failure" : "success", ""});
        if (kind != 2) results.push_back(result("test", leg, kind == 0));
        if (kind == 1) must_be_named.push_back("Tests (" + leg + ")");
        if (kind == 2 && !by_count) must_be_named.push_back("test (" + leg + ")");
      }
      std::shuffle(results.begin(), results.end(), random);
      const size_t failed_or_missing = static_cast<size_t>(n) - static_cast<size_t>(std::count_if(
          results.begin(), results.end(), [](const auto& r) { return r.passed; }));
      if (by_count) gate::add_missing_by_count(results, static_cast<size_t>(n));
      else if (from_jobs) gate::add_missing_from_jobs(results, expected);
      else gate::add_missing_legs(results, expected);

      CAPTURE(round);
      CHECK(gate::leg_count(results, false) == static_cast<size_t>(n));
      const auto g = gate::failed_legs_gate(results, false);
      CHECK(g.passed == (failed_or_missing == 0));
      CHECK(g.actual == static_cast<double>(failed_or_missing));
      for (const auto& name : must_be_named) CHECK(g.detail.find(name) != std::string::npos);
      const std::string title = gate::merge_title(results, false, gate::sum_tests(results), "");
      const std::string legs_part = title.substr(0, title.find(" · "));
      // The count, then the failed legs' names; "all passed" nowhere in the title over a failed leg.
      CHECK(legs_part.starts_with(std::to_string(n) + (n == 1 ? " leg" : " legs") +
                                  (failed_or_missing ? ", " + std::to_string(failed_or_missing) + " failed (" : ", all passed")));
      CHECK((title.find("all passed") == std::string::npos) == (failed_or_missing != 0));
    }
  }
}
