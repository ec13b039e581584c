#include "report_test_support.h"

#include <doctest/doctest.h>

using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;
using tollgate::testing::parse_data;

TEST_SUITE("report::xunit") {

  TEST_CASE("xunit v2 tests map Pass Fail Skip and NotRun") {
    const TestRun run = parse_data("xunit-v2.xml");
    CHECK(run.format == "xunit");
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[1].name == "Shop.Tests.CartTests.Adds");
    CHECK(run.cases[1].classname == "Shop.Tests.CartTests");
    CHECK(run.cases[1].suite == "Shop.Tests.dll");
    CHECK(run.cases[1].status == TestStatus::passed);
    CHECK(run.cases[1].duration_s == doctest::Approx(0.0021));
    CHECK(run.cases[3].status == TestStatus::skipped);
    CHECK(run.cases[3].message == "Not implemented yet");
    CHECK(run.cases[4].name == "Shop.Tests.CartTests.Explicit");
    CHECK(run.cases[4].status == TestStatus::skipped);
    CHECK(run.cases[5].duration_s == 1234.5);
  }

  TEST_CASE("xunit v2 failures give message, stack trace, exception type and output") {
    const TestRun run = parse_data("xunit-v2.xml");
    REQUIRE(run.cases.size() == 6);
    const auto& failed = run.cases[2];
    CHECK(failed.name == "Shop.Tests.CartTests.Total(discount: 10)");
    CHECK(failed.status == TestStatus::failed);
    CHECK(failed.message == "Assert.Equal() Failure: Values differ\nExpected: 42\nActual:   41");
    CHECK(failed.details == "at Shop.Tests.CartTests.Total(Int32 discount) in "
                            "/home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs:line 27");
    CHECK(failed.failure_type == "Xunit.Sdk.EqualException");
    CHECK(failed.system_out == "computing total");
    CHECK(failed.file == "tests/Shop.Tests/CartTests.cs"); // source-file trait
    CHECK(failed.line == 24);
  }

  TEST_CASE("xunit assembly-level errors become errored cases") {
    const TestRun run = parse_data("xunit-v2.xml");
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[0].name == "Shop.Tests.DatabaseTests");
    CHECK(run.cases[0].status == TestStatus::errored);
    CHECK(run.cases[0].message == "System.InvalidOperationException : Database still open");
  }

  TEST_CASE("a single assembly root and v1 class groups are read too") {
    auto run = parse_test_report(R"(<assembly name="C:\build\Old.Tests.dll">
    <class name="Old.Tests.A"><test name="Old.Tests.A.X" type="Old.Tests.A" method="X" result="Fail"
    time="0.5"><failure exception-type="Xunit.Sdk.TrueException"><message>nope</message>
    <stack-trace>at Old.Tests.A.X()</stack-trace></failure></test></class></assembly>)");
    REQUIRE(run.has_value());
    CHECK(run->dialect == "xunit1");
    REQUIRE(run->cases.size() == 1);
    CHECK(run->cases[0].suite == "Old.Tests.dll");
    CHECK(run->cases[0].status == TestStatus::failed);
    CHECK(run->cases[0].message == "nope");
  }

} // TEST_SUITE
