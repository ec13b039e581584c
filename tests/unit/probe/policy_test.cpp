#include "probe/policy.h"
#include "support/fakes.h"

#include <doctest/doctest.h>
#include <vector>

using namespace tollgate::probe;
using tollgate::testing::FakeClock;

namespace {

struct Drive {
  std::vector<int64_t> starts; // when each sample started (fake clock)
  Analysis analysis;
};

// Runs the analysis the way the engine does, on a fake clock: wait until due, start, let the
// sample take `sample_ms`, report the scripted outcome.
Drive drive(const AnalysisPolicy& policy, const std::vector<SampleKind>& outcomes,
            int64_t sample_ms = 10) {
  FakeClock clock;
  Drive d{{}, Analysis(policy, clock.now_ms())};
  size_t i = 0;
  while (d.analysis.verdict() == Verdict::running) {
    const auto due = d.analysis.next_start_ms();
    REQUIRE(due.has_value());
    if (*due > clock.now_ms()) clock.sleep_ms(*due - clock.now_ms());
    d.analysis.on_started(clock.now_ms());
    CHECK_FALSE(d.analysis.next_start_ms().has_value()); // one sample in flight at a time
    d.starts.push_back(clock.now_ms());
    clock.sleep_ms(sample_ms);
    REQUIRE(i < outcomes.size());
    d.analysis.on_finished(outcomes[i++]);
  }
  CHECK_FALSE(d.analysis.next_start_ms().has_value());
  return d;
}

AnalysisPolicy policy(int count) {
  AnalysisPolicy p;
  p.count = count;
  p.interval_ms = 1000;
  return p;
}

constexpr auto S = SampleKind::success;
constexpr auto F = SampleKind::failure;
constexpr auto E = SampleKind::error;

} // namespace

TEST_SUITE("probe::policy") {
  TEST_CASE("samples start after the initial delay, one interval apart") {
    auto p = policy(3);
    p.initial_delay_ms = 500;
    const auto d = drive(p, {S, S, S}, 100);
    CHECK(d.starts == std::vector<int64_t>{500, 1500, 2500});
    CHECK(d.analysis.verdict() == Verdict::passed);
    CHECK(d.analysis.passed());
    CHECK(d.analysis.reason() == "3 of 3 samples succeeded");
  }

  TEST_CASE("a sample slower than the interval delays the next one, never overlaps it") {
    const auto d = drive(policy(3), {S, S, S}, 1500);
    CHECK(d.starts == std::vector<int64_t>{0, 1500, 3000});
  }

  TEST_CASE("failures up to the failure limit pass; one more fails at once") {
    auto p = policy(5);
    p.failure_limit = 1;
    const auto within = drive(p, {S, F, S, S, S});
    CHECK(within.analysis.verdict() == Verdict::passed);
    CHECK(within.analysis.failures() == 1);

    const auto over = drive(p, {S, F, S, F, S});
    CHECK(over.analysis.verdict() == Verdict::failed);
    CHECK(over.analysis.samples() == 4); // stopped at the second failure
    CHECK(over.analysis.reason() == "2 failures > failure-limit 1");
  }

  TEST_CASE("transport errors count against the consecutive error limit, not the failure limit") {
    auto p = policy(6);
    p.consecutive_error_limit = 2;
    const auto reset = drive(p, {E, E, S, E, E, S});
    CHECK(reset.analysis.verdict() == Verdict::passed);
    CHECK(reset.analysis.errors() == 4);
    CHECK(reset.analysis.failures() == 0);

    const auto over = drive(p, {E, E, S, E, E, E});
    CHECK(over.analysis.verdict() == Verdict::failed);
    CHECK(over.analysis.reason() == "3 consecutive errors > consecutive-error-limit 2");
  }

  TEST_CASE("a failure also ends a run of errors") {
    auto p = policy(5);
    p.consecutive_error_limit = 1;
    p.failure_limit = 2;
    const auto d = drive(p, {E, F, E, S, E});
    CHECK(d.analysis.verdict() == Verdict::passed);
  }

  TEST_CASE("the consecutive success limit passes early and stops sampling") {
    auto p = policy(10);
    p.failure_limit = 1;
    p.consecutive_success_limit = 3;
    const auto d = drive(p, {S, F, S, S, S});
    CHECK(d.analysis.verdict() == Verdict::passed);
    CHECK(d.analysis.samples() == 5);
    CHECK(d.starts.back() == 4000);
  }

  TEST_CASE(
      "count reached without the consecutive successes is inconclusive and fails by default") {
    auto p = policy(4);
    p.failure_limit = 2;
    p.consecutive_success_limit = 3;
    const auto d = drive(p, {S, S, F, S});
    CHECK(d.analysis.verdict() == Verdict::inconclusive);
    CHECK(d.analysis.reason() == "count 4 reached without 3 consecutive successes");
    CHECK_FALSE(d.analysis.passed());

    p.inconclusive_passes = true;
    CHECK(drive(p, {S, S, F, S}).analysis.passed());
  }

  TEST_CASE("errors under the limit with no success at all are inconclusive") {
    auto p = policy(3);
    const auto d = drive(p, {E, E, E});
    CHECK(d.analysis.verdict() == Verdict::inconclusive);
    CHECK(d.analysis.reason() == "no sample of 3 succeeded (3 errors)");
  }

  TEST_CASE("a verdict from outside the loop (a percentile) turns a pass into a failure") {
    auto d = drive(policy(2), {S, S});
    d.analysis.fail("p95 300 ms > max-p95 200 ms");
    CHECK(d.analysis.verdict() == Verdict::failed);
    CHECK_FALSE(d.analysis.passed());
  }

  TEST_CASE("policies that can never work are refused with the key named") {
    auto p = policy(0);
    CHECK(validate(p) == "count must be at least 1");
    p = policy(3);
    p.consecutive_success_limit = 4;
    CHECK(validate(p) == "consecutive-success-limit 4 can never be reached with count 3");
    p = policy(3);
    p.timeout_ms = 0;
    CHECK(validate(p) == "timeout must be positive");
    CHECK_FALSE(validate(policy(3)).has_value());
  }
}
