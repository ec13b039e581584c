#include "gate/delivery_metrics.h"

#include <doctest/doctest.h>
#include <string>
#include <tuple>
#include <vector>

using namespace tollgate;
using gate::DeploymentRecord;
using gate::DeploymentResult;
using gate::StatusMark;

namespace {

// 2026-10-05T00:00:00Z, a Monday.
constexpr int64_t k_monday = 1791158400;
constexpr int64_t k_h = 3600;
constexpr int64_t k_d = 86400;

int64_t next_status_id = 1;

DeploymentRecord deployment(int64_t id, std::string sha, int64_t created_at,
                            std::vector<std::tuple<std::string, int64_t, StatusMark>> statuses) {
  DeploymentRecord d;
  d.id = id;
  d.sha = std::move(sha);
  d.created_at = created_at;
  for (auto& [state, at, mark] : statuses)
    d.statuses.push_back({next_status_id++, state, at, mark});
  return d;
}

DeploymentRecord ok(int64_t id, std::string sha, int64_t at, int64_t took = 600) {
  return deployment(
      id, std::move(sha), at,
      {{"in_progress", at + 10, StatusMark::none}, {"success", at + took, StatusMark::none}});
}

DeploymentRecord bad(int64_t id, std::string sha, int64_t at, int64_t took = 300) {
  return deployment(
      id, std::move(sha), at,
      {{"in_progress", at + 10, StatusMark::none}, {"failure", at + took, StatusMark::none}});
}

DeploymentRecord with_lead(DeploymentRecord d, int64_t first_commit_at) {
  d.first_commit = gate::FirstCommit::of_range;
  d.first_commit_at = first_commit_at;
  return d;
}

} // namespace

TEST_SUITE("gate::delivery_metrics") {
  TEST_CASE("a deployment's result is its latest decisive status; inactive and in_progress decide "
            "nothing") {
    const auto d = deployment(1, "a", 0,
                              {{"in_progress", 10, StatusMark::none},
                               {"success", 20, StatusMark::none},
                               {"inactive", 30, StatusMark::none}});
    const auto c = gate::classify(d);
    CHECK(c.result == DeploymentResult::succeeded);
    CHECK(c.succeeded_at == 20);
    CHECK(gate::classify(deployment(2, "a", 0, {{"in_progress", 10, StatusMark::none}})).result ==
          DeploymentResult::unfinished);
    CHECK(gate::classify(
              deployment(3, "a", 0,
                         {{"success", 10, StatusMark::none}, {"error", 20, StatusMark::none}}))
              .result == DeploymentResult::failed);
  }

  TEST_CASE("a re-run that succeeds after a failure succeeds at its first success after the last "
            "failure") {
    const auto c = gate::classify(deployment(1, "a", 0,
                                             {{"success", 50, StatusMark::none},
                                              {"failure", 100, StatusMark::none},
                                              {"success", 200, StatusMark::none},
                                              {"success", 260, StatusMark::none}}));
    CHECK(c.result == DeploymentResult::succeeded);
    CHECK(c.succeeded_at == 200);
  }

  TEST_CASE("statuses are read in time order whatever order they come in") {
    auto d = deployment(1, "a", 0,
                        {{"success", 200, StatusMark::none}, {"failure", 100, StatusMark::none}});
    CHECK(gate::classify(d).result == DeploymentResult::succeeded);
  }

  TEST_CASE("a rollback claim or dispatch makes a deployment rolled back, with its times") {
    const auto c = gate::classify(deployment(1, "a", 0,
                                             {{"success", 100, StatusMark::none},
                                              {"failure", 300, StatusMark::rollback_claim},
                                              {"failure", 340, StatusMark::rollback_dispatched},
                                              {"failure", 400, StatusMark::none}}));
    CHECK(c.result == DeploymentResult::rolled_back);
    CHECK(c.detected_at == 300);
    CHECK(c.dispatched_at == 340);
    CHECK(c.failed_at == 300);
  }

  TEST_CASE("a deployment marked not deployed counts nowhere, whatever GitHub's success says") {
    const auto d = deployment(1, "a", k_monday + k_h,
                              {{"inactive", k_monday + k_h + 5, StatusMark::not_deployed},
                               {"success", k_monday + k_h + 60, StatusMark::none}});
    CHECK(gate::classify(d).result == DeploymentResult::not_deployed);
    const auto m = gate::compute_delivery_metrics({d}, {k_monday, k_monday + 7 * k_d});
    CHECK(m.succeeded == 0);
    CHECK(m.not_deployed == 1);
    CHECK_FALSE(m.change_failure_rate.has_value());
  }

  TEST_CASE(
      "lead-time queries name the previous successful deployment, or the first one's own commit") {
    const std::vector<DeploymentRecord> history{
        ok(1, "a", k_monday - k_d), bad(2, "b", k_monday + k_h), ok(3, "c", k_monday + 2 * k_h),
        ok(4, "c", k_monday + 3 * k_h)};
    const auto q = gate::lead_time_queries(history, {k_monday, k_monday + k_d}, false);
    REQUIRE(q.size() == 2);
    CHECK(q[0].deployment_id == 3);
    CHECK(q[0].previous_sha == "a"); // the failed deployment of b is no base
    CHECK(q[1].previous_sha == "c");
    const auto first =
        gate::lead_time_queries({ok(1, "a", k_monday)}, {k_monday, k_monday + k_d}, true);
    REQUIRE(first.size() == 1);
    CHECK(first[0].first_ever);
    CHECK_FALSE(
        gate::lead_time_queries({ok(1, "a", k_monday)}, {k_monday, k_monday + k_d}, false)[0]
            .first_ever);
  }

  TEST_CASE("frequency, change failure rate and lead time over a week") {
    std::vector<DeploymentRecord> h{
        with_lead(ok(1, "a", k_monday + k_h), k_monday), bad(2, "b", k_monday + 2 * k_h),
        with_lead(ok(3, "c", k_monday + 3 * k_h), k_monday + 2 * k_h),
        with_lead(ok(4, "d", k_monday + 4 * k_h), k_monday + 3 * k_h + 1800)};
    h.push_back(deployment(5, "e", k_monday + 5 * k_h,
                           {{"in_progress", k_monday + 5 * k_h + 5, StatusMark::none}}));
    const auto m = gate::compute_delivery_metrics(h, {k_monday, k_monday + 7 * k_d});
    CHECK(m.succeeded == 3);
    CHECK(m.failed == 1);
    CHECK(m.unfinished == 1);
    CHECK(m.deployments_per_week == doctest::Approx(3.0));
    CHECK(m.change_failure_rate == doctest::Approx(25.0));
    REQUIRE(m.lead_times.size() == 3);
    CHECK(m.lead_times[0].seconds == k_h + 600);
    CHECK(m.lead_times[1].seconds == k_h + 600);
    CHECK(m.lead_times[2].seconds == 1800 + 600);
    CHECK(m.lead_time_median == doctest::Approx(k_h + 600));
  }

  TEST_CASE("a first commit dated after the success is not measured, never a negative lead time") {
    const auto m = gate::compute_delivery_metrics(
        {with_lead(ok(1, "a", k_monday + k_h), k_monday + 2 * k_h)}, {k_monday, k_monday + k_d});
    CHECK(m.lead_times.empty());
    REQUIRE(m.lead_time_not_measured.size() == 1);
    CHECK_FALSE(m.lead_time_median.has_value());
  }

  TEST_CASE(
      "time to restore runs from the first failure to the next success, across several failures") {
    const std::vector<DeploymentRecord> h{
        ok(1, "a", k_monday), bad(2, "b", k_monday + k_h, 300), bad(3, "c", k_monday + 2 * k_h),
        ok(4, "d", k_monday + 3 * k_h, 600), bad(5, "e", k_monday + 4 * k_h, 60)};
    const auto m = gate::compute_delivery_metrics(h, {k_monday, k_monday + k_d});
    REQUIRE(m.restores.size() == 2);
    CHECK(m.restores[0].failed_at == k_monday + k_h + 300);
    CHECK(m.restores[0].restored_at == k_monday + 3 * k_h + 600);
    CHECK(m.restores[0].restored_by == 4);
    CHECK_FALSE(m.restores[1].restored_at.has_value()); // still failing at the window's end
    CHECK(m.time_to_restore_median == doctest::Approx(2 * k_h + 300));
  }

  TEST_CASE("a failure that began before the window is not counted, nor is a second failure while "
            "it lasts") {
    const std::vector<DeploymentRecord> h{bad(1, "a", k_monday - k_h), bad(2, "b", k_monday + k_h),
                                          ok(3, "c", k_monday + 2 * k_h)};
    const auto m = gate::compute_delivery_metrics(h, {k_monday, k_monday + k_d});
    CHECK(m.restores.empty());
    CHECK(m.failed == 1);
  }

  TEST_CASE("rollback time: probe failing, dispatched, healthy again at the next success") {
    const std::vector<DeploymentRecord> h{
        ok(1, "a", k_monday),
        deployment(2, "b", k_monday + k_h,
                   {{"success", k_monday + k_h + 100, StatusMark::none},
                    {"failure", k_monday + k_h + 400, StatusMark::rollback_claim},
                    {"failure", k_monday + k_h + 430, StatusMark::rollback_dispatched}}),
        ok(3, "a", k_monday + k_h + 450, 300)};
    const auto m = gate::compute_delivery_metrics(h, {k_monday, k_monday + k_d});
    CHECK(m.rolled_back == 1);
    REQUIRE(m.rollbacks.size() == 1);
    CHECK(m.rollbacks[0].detected_at == k_monday + k_h + 400);
    CHECK(m.rollbacks[0].healthy_at == k_monday + k_h + 750);
    CHECK(m.rollback_detect_to_dispatch_median == doctest::Approx(30));
    CHECK(m.rollback_dispatch_to_healthy_median == doctest::Approx(320));
    CHECK(m.rollback_median == doctest::Approx(350));
    CHECK(m.change_failure_rate == doctest::Approx(100.0 / 3.0));
  }

  TEST_CASE("weeks are ISO weeks cut to the window at both ends") {
    const gate::Window w{k_monday + 3 * k_d + 5 * k_h, k_monday + 15 * k_d};
    const auto m = gate::compute_delivery_metrics({ok(1, "a", k_monday + 8 * k_d)}, w);
    REQUIRE(m.weeks.size() == 3);
    CHECK(m.weeks[0].start == w.since);
    CHECK(m.weeks[0].end == k_monday + 7 * k_d);
    CHECK(m.weeks[1].succeeded == 1);
    CHECK(m.weeks[2].start == k_monday + 14 * k_d);
    CHECK(m.weeks[2].end == w.until);
    CHECK_FALSE(m.weeks[0].change_failure_rate.has_value());
  }

  TEST_CASE("week_start is Monday 00:00 UTC, before the epoch too") {
    CHECK(gate::week_start(k_monday) == k_monday);
    CHECK(gate::week_start(k_monday + 6 * k_d + 23 * k_h) == k_monday);
    CHECK(gate::week_start(k_monday - 1) == k_monday - 7 * k_d);
    CHECK(gate::week_start(0) == -3 * k_d);  // Thursday 1970-01-01 → Monday 1969-12-29
    CHECK(gate::week_start(-1) == -3 * k_d); // Wednesday 1969-12-31
  }

  TEST_CASE("median: the middle value, or the mean of the two middle ones") {
    CHECK_FALSE(gate::median({}).has_value());
    CHECK(gate::median({5}) == doctest::Approx(5));
    CHECK(gate::median({9, 1, 5}) == doctest::Approx(5));
    CHECK(gate::median({4, 1, 3, 10}) == doctest::Approx(3.5));
  }
}
