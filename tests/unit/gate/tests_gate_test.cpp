#include <doctest/doctest.h>

#include "gate/tests_gate.h"

#include <cmath>
#include <limits>

using namespace tollgate;
using namespace tollgate::gate;

namespace {
std::vector<model::TestRun> runs_with(std::initializer_list<model::TestStatus> statuses) {
  model::TestRun run;
  for (auto s : statuses) {
    model::TestCase c;
    c.status = s;
    c.duration_s = 0.5;
    run.cases.push_back(c);
  }
  return {run};
}
} // namespace

TEST_SUITE("gate::tests") {
  using S = model::TestStatus;

  TEST_CASE("durations saturate: two time=\"1e308\" never sum to inf, a non-finite time counts 0") {
    auto runs = runs_with({S::passed, S::passed});
    runs[0].cases[0].duration_s = 1e308;
    runs[0].cases[1].duration_s = 1e308;
    const auto t = count_tests(runs);
    CHECK(std::isfinite(t.duration_s));
    CHECK(t.duration_s == k_max_duration_s);
    CHECK(add_duration(1, std::numeric_limits<double>::infinity()) == 1);
    CHECK(add_duration(1, std::numeric_limits<double>::quiet_NaN()) == 1);
    CHECK(add_duration(std::numeric_limits<double>::infinity(), 2) == 2);
    CHECK(add_duration(k_max_duration_s, 1e308) == k_max_duration_s);
  }

  TEST_CASE("totals count every status and add durations") {
    const auto t = count_tests(runs_with({S::passed, S::failed, S::errored, S::skipped, S::flaky, S::passed}));
    CHECK(t.tests == 6);
    CHECK(t.passed == 2);
    CHECK(t.failed == 1);
    CHECK(t.errors == 1);
    CHECK(t.skipped == 1);
    CHECK(t.flaky == 1);
    CHECK(t.duration_s == doctest::Approx(3.0));
  }

  TEST_CASE("flaky tests do not fail the default gate") {
    const auto gates = decide_tests(count_tests(runs_with({S::passed, S::flaky})), {});
    REQUIRE(gates.size() == 1);
    CHECK(gates[0].passed);
  }

  TEST_CASE("fail-on errors ignores plain failures; never ignores both") {
    const auto t = count_tests(runs_with({S::failed}));
    CHECK(decide_tests(t, {FailOn::errors, 0})[0].passed);
    CHECK(decide_tests(t, {FailOn::never, 0}).empty());
    CHECK_FALSE(decide_tests(count_tests(runs_with({S::errored})), {FailOn::errors, 0})[0].passed);
  }

  TEST_CASE("a suite that ran nothing fails the minimum") {
    const auto gates = decide_tests(count_tests(runs_with({S::skipped, S::skipped})), {FailOn::failed, 1});
    REQUIRE(gates.size() == 2);
    CHECK_FALSE(gates[1].passed);
    CHECK(gates[1].actual == 0);
  }

  TEST_CASE("the title names what is not zero") {
    CHECK(tests_title(count_tests(runs_with({S::passed, S::failed, S::failed, S::skipped}))) == "4 tests, 2 failed, 1 skipped");
    CHECK(tests_title(count_tests(runs_with({S::passed}))) == "1 test, all passed");
  }

  TEST_CASE("an entry standing for a suite header's failures counts that many errors") {
    auto runs = runs_with({S::passed});
    model::TestCase header;
    header.status = S::errored;
    header.count = 3;
    header.suite_header = true;
    runs[0].cases.push_back(header);
    const auto t = count_tests(runs);
    CHECK(t.tests == 4);
    CHECK(t.errors == 3);
    CHECK_FALSE(decide_tests(t, {})[0].passed);
  }

  TEST_CASE("reports without any test fail unless empty is allowed") {
    const auto t = count_tests({model::TestRun{}});
    auto gates = decide_tests(t, {});
    REQUIRE(gates.size() == 2);
    CHECK(gates[1].name == "tests found");
    CHECK_FALSE(gates[1].passed);
    CHECK(tests_title(t, gates) == "no tests found — 0 tests");
    TestGateOptions allow;
    allow.allow_empty = true;
    gates = decide_tests(t, allow);
    REQUIRE(gates.size() == 1);
    CHECK(gates[0].passed);
    // Never: not even the failed-tests gate, and empty allowed: nothing can fail.
    allow.fail_on = FailOn::never;
    CHECK(decide_tests(t, allow).empty());
    allow.allow_empty = false;
    REQUIRE(decide_tests(t, allow).size() == 1);
    CHECK_FALSE(decide_tests(t, allow)[0].passed);
  }

  TEST_CASE("the title names a failed gate that the counts do not show") {
    const auto t = count_tests(runs_with({S::passed, S::passed, S::passed}));
    const auto gates = decide_tests(t, {FailOn::failed, 5});
    CHECK(tests_title(t, gates) == "minimum tests not met: 3 ran, 5 required — 3 tests, 3 passed");
    CHECK(tests_title(t, decide_tests(t, {FailOn::failed, 3})) == "3 tests, all passed");
    // Failures speak for their own gate.
    const auto bad = count_tests(runs_with({S::passed, S::failed}));
    CHECK(tests_title(bad, decide_tests(bad, {})) == "2 tests, 1 failed");
  }
}
