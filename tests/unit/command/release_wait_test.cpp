#include "command/release_wait.h"
#include "support/fakes.h"

#include <doctest/doctest.h>

using namespace tollgate;
using tollgate::testing::FakeClock;

namespace {

gate::CommitCheck run(std::string status, std::string conclusion = "") {
  gate::CommitCheck c;
  c.name = "CI / tests";
  c.status = std::move(status);
  c.conclusion = std::move(conclusion);
  return c;
}

} // namespace

TEST_SUITE("command::release_wait") {
  TEST_CASE("no wait: one read, no sleep, whatever the checks say") {
    FakeClock clock;
    int reads = 0;
    const auto w = command::wait_for_required(clock, 0, 15000, {"CI / tests"}, [&] {
      ++reads;
      return std::vector<gate::CommitCheck>{run("in_progress")};
    });
    CHECK(reads == 1);
    CHECK(clock.sleeps.empty());
    CHECK(w.required.at(0).state == gate::RequiredState::pending);
  }

  TEST_CASE("a check still running is read again each interval until the wait is over, never longer") {
    FakeClock clock;
    const auto w = command::wait_for_required(clock, 40000, 15000, {"CI / tests"},
                                              [&] { return std::vector<gate::CommitCheck>{run("in_progress")}; });
    CHECK(clock.sleeps == std::vector<int64_t>{15000, 15000, 10000});
    CHECK(w.reads == 4);
    CHECK(w.waited_ms == 40000);
    CHECK(w.required.at(0).state == gate::RequiredState::pending);
  }

  TEST_CASE("stops as soon as the required checks settle") {
    FakeClock clock;
    int reads = 0;
    const auto w = command::wait_for_required(clock, 600000, 15000, {"CI / tests"}, [&] {
      ++reads;
      if (reads == 1) return std::vector<gate::CommitCheck>{}; // not created yet: missing
      if (reads == 2) return std::vector<gate::CommitCheck>{run("queued")};
      return std::vector<gate::CommitCheck>{run("completed", "success")};
    });
    CHECK(reads == 3);
    CHECK(clock.sleeps == std::vector<int64_t>{15000, 15000});
    CHECK(w.required.at(0).state == gate::RequiredState::passed);
  }

  TEST_CASE("a failure ends the wait at once") {
    FakeClock clock;
    const auto w = command::wait_for_required(clock, 600000, 15000, {"CI / tests"},
                                              [&] { return std::vector<gate::CommitCheck>{run("completed", "failure")}; });
    CHECK(clock.sleeps.empty());
    CHECK(w.required.at(0).state == gate::RequiredState::failed);
    CHECK_FALSE(w.ran_out);
  }

  TEST_CASE("a failure ends the wait at once even while another required check still runs") {
    FakeClock clock;
    gate::CommitCheck lighthouse = run("completed", "failure");
    lighthouse.name = "Lighthouse";
    const auto w = command::wait_for_required(clock, 600000, 15000, {"CI / tests", "Lighthouse"}, [&] {
      return std::vector<gate::CommitCheck>{run("in_progress"), lighthouse};
    });
    CHECK(clock.sleeps.empty());
    CHECK(w.reads == 1);
    CHECK_FALSE(w.ran_out);
    CHECK(w.required.at(0).state == gate::RequiredState::pending);
    CHECK(w.required.at(1).state == gate::RequiredState::failed);
  }

  TEST_CASE("a wait that ends with a check still running says it ran out") {
    FakeClock clock;
    const auto w = command::wait_for_required(clock, 20000, 15000, {"CI / tests"},
                                              [&] { return std::vector<gate::CommitCheck>{run("queued")}; });
    CHECK(w.ran_out);
    CHECK(w.waited_ms == 20000);
  }
}
