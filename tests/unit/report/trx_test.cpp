#include "report/trx.h"
#include "report_test_support.h"

#include <doctest/doctest.h>

using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;
using tollgate::report::parse_trx_duration;
using tollgate::testing::parse_data;

TEST_SUITE("report::trx") {

  TEST_CASE("trx results join their definitions for the class name") {
    const TestRun run = parse_data("mstest.trx");
    CHECK(run.format == "trx");
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[0].name == "Adds");
    CHECK(run.cases[0].classname == "Shop.Tests.CartTests");
    CHECK(run.cases[0].suite == "shop.tests.dll");
    CHECK(run.cases[5].classname == "Shop.Tests.CartTests"); // ", Shop.Tests, Version=..." cut
  }

  TEST_CASE("trx outcomes map to statuses and data-driven rows replace their aggregate") {
    const TestRun run = parse_data("mstest.trx");
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[0].status == TestStatus::passed);
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[2].name == "IsEven (2)");
    CHECK(run.cases[2].status == TestStatus::passed);
    CHECK(run.cases[3].name == "IsEven (3)");
    CHECK(run.cases[3].status == TestStatus::failed);
    CHECK(run.cases[4].status == TestStatus::skipped);
    CHECK(run.cases[4].message == "Not implemented yet");
    CHECK(run.cases[5].status == TestStatus::errored); // Timeout
    CHECK(run.cases[5].message == "Test 'Hangs' exceeded execution timeout period.");
  }

  TEST_CASE("trx failures give message, stack trace, stdout and duration") {
    const TestRun run = parse_data("mstest.trx");
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[1].message == "Assert.AreEqual failed. Expected:<42>. Actual:<41>.");
    CHECK(run.cases[1].details ==
          "at Shop.Tests.CartTests.Total() in "
          "/home/runner/work/shop/shop/tests/Shop.Tests/CartTests.cs:line 27");
    CHECK(run.cases[1].system_out == "computing total");
    CHECK(run.cases[1].duration_s == doctest::Approx(1.25));
  }

  TEST_CASE("trx durations are hh:mm:ss with fractions and optional days") {
    CHECK(parse_trx_duration("00:00:01.2340000") == doctest::Approx(1.234));
    CHECK(parse_trx_duration("01:02:03") == doctest::Approx(3723));
    CHECK(parse_trx_duration("1.00:00:01.5") == doctest::Approx(86401.5));
    CHECK(parse_trx_duration("") == 0);
    CHECK(parse_trx_duration("soon") == 0);
  }

  TEST_CASE("a prefixed TeamTest namespace is read like the default namespace") {
    auto run = parse_test_report(
        R"(<t:TestRun xmlns:t="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
    <t:Results><t:UnitTestResult testId="1" testName="A" outcome="Error" duration="00:00:00.5">
    <t:Output><t:ErrorInfo><t:Message>crashed</t:Message></t:ErrorInfo></t:Output></t:UnitTestResult></t:Results>
    <t:TestDefinitions><t:UnitTest id="1"><t:TestMethod className="NS.C" name="A"/></t:UnitTest></t:TestDefinitions>
    </t:TestRun>)");
    REQUIRE(run.has_value());
    REQUIRE(run->cases.size() == 1);
    CHECK(run->cases[0].classname == "NS.C");
    CHECK(run->cases[0].status == TestStatus::errored);
    CHECK(run->cases[0].message == "crashed");
    CHECK(run->cases[0].duration_s == 0.5);
  }

} // TEST_SUITE
