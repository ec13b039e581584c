#include "gate/release_checks.h"

#include <doctest/doctest.h>

using namespace tollgate::gate;

namespace {

CommitCheck run(std::string name, std::string status, std::string conclusion = "") {
  CommitCheck c;
  c.name = std::move(name);
  c.status = std::move(status);
  c.conclusion = std::move(conclusion);
  return c;
}

CommitCheck status(std::string context, std::string state) {
  CommitCheck c;
  c.name = std::move(context);
  c.is_status = true;
  c.status = std::move(state);
  return c;
}

} // namespace

TEST_SUITE("gate::release_checks") {
  TEST_CASE("success, neutral and skipped pass; unfinished runs are pending; the rest failed") {
    CHECK(state_of(run("a", "completed", "success")) == CheckState::passed);
    CHECK(state_of(run("a", "completed", "neutral")) == CheckState::passed);
    CHECK(state_of(run("a", "completed", "skipped")) == CheckState::passed);
    for (const char* c : {"failure", "cancelled", "timed_out", "action_required", "stale", "startup_failure"})
      CHECK(state_of(run("a", "completed", c)) == CheckState::failed);
    CHECK(state_of(run("a", "queued")) == CheckState::pending);
    CHECK(state_of(run("a", "in_progress")) == CheckState::pending);
    CHECK(state_of(status("s", "success")) == CheckState::passed);
    CHECK(state_of(status("s", "pending")) == CheckState::pending);
    CHECK(state_of(status("s", "failure")) == CheckState::failed);
    CHECK(state_of(status("s", "error")) == CheckState::failed);
  }

  TEST_CASE("a star spans slashes and spaces; everything else is literal") {
    CHECK(name_matches("CI / *", "CI / tests (ubuntu, 3.12)"));
    CHECK(name_matches("*tests*", "CI / tests"));
    CHECK(name_matches("tollgate/?overage", "tollgate/coverage"));
    CHECK_FALSE(name_matches("CI / tests", "CI / tests (3.12)"));
    CHECK_FALSE(name_matches("ci / *", "CI / tests"));
    CHECK_FALSE(name_matches("CI / *", "CI /tests"));
    CHECK(name_matches("*", ""));
    CHECK_FALSE(name_matches("?", ""));
    // Many stars against a long non-matching name stay fast (one backtrack point).
    CHECK_FALSE(name_matches("*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
  }

  TEST_CASE("a pattern is missing, failed, pending or passed over all the checks it matches") {
    const std::vector<CommitCheck> checks = {run("CI / build", "completed", "success"),
                                             run("CI / tests", "completed", "failure"),
                                             run("CI / lint", "in_progress"), status("deploy/preview", "pending"),
                                             status("ci/jenkins", "success")};
    const auto r = evaluate_required(checks, {"CI / *", "CI / build", "deploy/*", "ci/jenkins", "CodeQL"});
    REQUIRE(r.size() == 5);
    CHECK(r[0].state == RequiredState::failed); // a failure outweighs a pending one
    CHECK(r[0].failed == std::vector<std::string>{"CI / tests"});
    CHECK(r[0].pending == std::vector<std::string>{"CI / lint"});
    CHECK(r[0].matched == 3);
    CHECK(r[1].state == RequiredState::passed);
    CHECK(r[2].state == RequiredState::pending);
    CHECK(r[3].state == RequiredState::passed);
    CHECK(r[4].state == RequiredState::missing);
    CHECK_FALSE(worth_waiting(r)); // 'CI / *' failed: nothing the others do can let the commit through
    CHECK_FALSE(all_passed(r));
    const auto reasons = refusal_reasons(r, "5m");
    REQUIRE(reasons.size() == 3);
    CHECK(reasons[0] == "required check 'CI / *' did not succeed: CI / tests");
    CHECK(reasons[1] == "required check 'deploy/*' is still running after waiting 5m: deploy/preview");
    CHECK(reasons[2] == "required check 'CodeQL' is missing: no check run or status of that name on the commit "
                        "after waiting 5m");
  }

  TEST_CASE("no required checks: nothing to wait for, and the verdict passes") {
    const auto r = evaluate_required({run("x", "in_progress")}, {});
    CHECK(r.empty());
    CHECK_FALSE(worth_waiting(r));
    CHECK(all_passed(r));
  }

  TEST_CASE("a missing or running required check is worth waiting for until another one fails") {
    const std::vector<CommitCheck> running = {run("CI / tests", "in_progress"), run("Lighthouse", "completed", "success")};
    CHECK(worth_waiting(evaluate_required(running, {"CI / tests", "Lighthouse", "CodeQL"})));
    const std::vector<CommitCheck> failed = {run("CI / tests", "in_progress"), run("Lighthouse", "completed", "failure")};
    CHECK_FALSE(worth_waiting(evaluate_required(failed, {"CI / tests", "Lighthouse", "CodeQL"})));
  }

  TEST_CASE("settled results are not worth waiting for, failed or not") {
    CHECK_FALSE(worth_waiting(evaluate_required({run("a", "completed", "failure")}, {"a"})));
    CHECK_FALSE(worth_waiting(evaluate_required({run("a", "completed", "success")}, {"a"})));
  }

  TEST_CASE("counts by state") {
    const auto n = count_checks({run("a", "completed", "success"), run("b", "completed", "skipped"),
                                 run("c", "queued"), status("d", "error")});
    CHECK(n.passed == 2);
    CHECK(n.pending == 1);
    CHECK(n.failed == 1);
    CHECK(n.total() == 4);
  }
}
