#include "gate/release_changes.h"

#include <doctest/doctest.h>

using namespace tollgate::gate;

TEST_SUITE("gate::release_changes") {
  TEST_CASE("the compare API's documented statuses name the kind of release") {
    CHECK(kind_of_compare_status("ahead") == ReleaseKind::forward);
    CHECK(kind_of_compare_status("behind") == ReleaseKind::rollback);
    CHECK(kind_of_compare_status("diverged") == ReleaseKind::rewritten);
    CHECK(kind_of_compare_status("identical") == ReleaseKind::redeploy);
    CHECK_FALSE(kind_of_compare_status("Ahead").has_value());
    CHECK_FALSE(kind_of_compare_status("").has_value());
  }

  TEST_CASE("each kind says what it is, with the counts") {
    CHECK(describe_kind(ReleaseKind::forward, 1, 0) == "Forward: 1 commit since the last successful deployment.");
    CHECK(describe_kind(ReleaseKind::rollback, 0, 3) ==
          "Rollback: this commit is older than the deployed one; 3 commits leave the environment.");
    CHECK(describe_kind(ReleaseKind::rewritten, 2, 1).find("2 commits arrive, 1 commit of the deployed history leave") !=
          std::string::npos);
    CHECK(describe_kind(ReleaseKind::first, 0, 0).starts_with("First deployment"));
    CHECK(describe_kind(ReleaseKind::unknown_base, 0, 0).starts_with("Unknown base"));
    CHECK(std::string(to_string(ReleaseKind::unknown_base)) == "unknown-base");
  }

  TEST_CASE("ages show the two largest units") {
    CHECK(describe_age(0) == "0 seconds");
    CHECK(describe_age(1) == "1 second");
    CHECK(describe_age(59) == "59 seconds");
    CHECK(describe_age(61) == "1 minute 1 second");
    CHECK(describe_age(3600) == "1 hour");
    CHECK(describe_age(3 * 86400 + 4 * 3600 + 5 * 60) == "3 days 4 hours");
    CHECK(describe_age(86400 + 59) == "1 day");
    CHECK(describe_age(-5) == "0 seconds");
  }

  TEST_CASE("pull requests once each, in the order the commits name them") {
    std::vector<ShippedCommit> commits(3);
    commits[0].pulls = {7};
    commits[1].pulls = {5, 7};
    commits[2].pulls = {9}; // not among the known ones: left out rather than invented
    const std::vector<ShippedPull> known = {{5, "five", "bob", "u5"}, {7, "seven", "amy", "u7"}};
    const auto pulls = pulls_in_order(commits, known);
    REQUIRE(pulls.size() == 2);
    CHECK(pulls[0].number == 7);
    CHECK(pulls[1].number == 5);
  }

  TEST_CASE("the first line of a message, trailing white space cut") {
    CHECK(first_line("Fix the cart\n\nLonger body") == "Fix the cart");
    CHECK(first_line("One line \r\n") == "One line");
    CHECK(first_line("") == "");
  }
}
