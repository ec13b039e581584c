#include <doctest/doctest.h>

#include "report/tests_baseline.h"

using namespace tollgate;

TEST_SUITE("report::tests_baseline") {
  TEST_CASE("totals and the failing tests by name") {
    const auto b = report::parse_tests_baseline(
        R"({"tool":"tollgate","command":"tests","totals":{"tests":5,"passed":3,"failed":1,"errors":1,"skipped":0,"flaky":0},)"
        R"("failed_tests":["a › x","b › y"],"findings":[]})");
    REQUIRE(b);
    CHECK(b->tests == 5);
    CHECK(b->passed == 3);
    CHECK(b->failing == std::set<std::string>{"a › x", "b › y"});
  }

  TEST_CASE("an older result names its failures in the findings") {
    const auto b = report::parse_tests_baseline(
        R"({"tool":"tollgate","command":"tests","totals":{"tests":2},"findings":[)"
        R"({"level":"failure","title":"a › x"},{"level":"warning","title":"w"}]})");
    REQUIRE(b);
    CHECK(b->failing == std::set<std::string>{"a › x"});
  }

  TEST_CASE("another command's result, no totals or broken JSON is an error that says so") {
    auto b = report::parse_tests_baseline(R"({"tool":"tollgate","command":"coverage","totals":{"tests":1}})");
    REQUIRE(!b);
    CHECK(b.error().message.find("not a `tollgate tests --json`") != std::string::npos);
    b = report::parse_tests_baseline(R"({"tool":"tollgate","command":"tests"})");
    REQUIRE(!b);
    CHECK(b.error().message == "the result has no totals.tests");
    b = report::parse_tests_baseline("{\n\"tool\": }");
    REQUIRE(!b);
    CHECK(b.error().line == 2);
  }
}
