#include "report_test_support.h"

#include <doctest/doctest.h>

using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;
using tollgate::testing::parse_data;

TEST_SUITE("report::nunit") {

  TEST_CASE("nunit 3 test cases are found under nested suites in document order") {
    const TestRun run = parse_data("nunit3.xml");
    CHECK(run.format == "nunit");
    REQUIRE(run.cases.size() == 8);
    const char* names[] = {"Adds",      "Total", "Checkout", "IsEven(2)",
                           "IsEven(3)", "Later", "Maybe",    "Warns"};
    for (size_t i = 0; i < 8; ++i) {
      CHECK(run.cases[i].name == names[i]);
      CHECK(run.cases[i].classname == "Shop.Tests.CartTests");
      CHECK(run.cases[i].suite == "Shop.Tests.dll");
    }
  }

  TEST_CASE("nunit results map to statuses, label Error meaning errored") {
    const TestRun run = parse_data("nunit3.xml");
    REQUIRE(run.cases.size() == 8);
    CHECK(run.cases[0].status == TestStatus::passed);
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[2].status == TestStatus::errored);
    CHECK(run.cases[3].status == TestStatus::passed);
    CHECK(run.cases[4].status == TestStatus::failed);
    CHECK(run.cases[5].status == TestStatus::skipped);
    CHECK(run.cases[6].status == TestStatus::skipped); // Inconclusive
    CHECK(run.cases[7].status == TestStatus::passed);  // Warning
  }

  TEST_CASE("nunit failures give message, stack trace, duration and output") {
    const TestRun run = parse_data("nunit3.xml");
    REQUIRE(run.cases.size() == 8);
    CHECK(run.cases[1].message == "Expected: 42\n  But was:  41");
    CHECK(run.cases[1].details ==
          "at Shop.Tests.CartTests.Total() in "
          "/home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs:line 27");
    CHECK(run.cases[1].duration_s == doctest::Approx(0.0045));
    CHECK(run.cases[1].system_out == "computing total");
    CHECK(run.cases[2].message ==
          "System.NullReferenceException : Object reference not set to an instance of an object.");
    CHECK(run.cases[4].message == "Test exceeded Timeout value of 10ms"); // from the label
    CHECK(run.cases[5].message == "Not implemented yet");
  }

  TEST_CASE("classname falls back to the fullname without the method") {
    auto run = parse_test_report(R"xml(<test-run><test-suite type="Assembly" name="a.dll">
    <test-case name="M(1)" fullname="NS.Fixture.M(1)" methodname="M" result="Passed" time="0.25"/>
    </test-suite></test-run>)xml");
    REQUIRE(run.has_value());
    REQUIRE(run->cases.size() == 1);
    CHECK(run->cases[0].classname == "NS.Fixture");
    CHECK(run->cases[0].duration_s == 0.25);
  }

} // TEST_SUITE
