#include "report/test_report.h"
#include "report/xml.h"
#include "report_test_support.h"

#include <doctest/doctest.h>

using tollgate::model::TestCase;
using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::merge_retries;
using tollgate::report::parse_test_report;
using tollgate::testing::parse_data;

namespace {

TestRun parse_inline(std::string_view xml) {
  auto run = parse_test_report(xml);
  REQUIRE_MESSAGE(run.has_value(), (run ? "" : run.error().message));
  return std::move(run.value());
}

} // namespace

TEST_SUITE("report::junit") {
  TEST_CASE("attribute names are matched whole: a longer or shorter name is another attribute") {
    const TestRun run = parse_inline(
        R"(<testsuite name="s"><testcase nam="x" names="y" name="real" classnameX="no" classname="c" )"
        R"(tim="9" time="1.5" timeout="7"/></testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].name == "real");
    CHECK(run.cases[0].classname == "c");
    CHECK(run.cases[0].duration_s == doctest::Approx(1.5));
  }


  TEST_CASE("node --test puts top-level tests directly under testsuites") {
    const TestRun run = parse_data("node-junit.xml");
    CHECK(run.format == "junit");
    CHECK(run.dialect == "node");
    REQUIRE(run.cases.size() == 5);
    CHECK(run.cases[0].name == "adds numbers");
    CHECK(run.cases[0].suite == "");
    CHECK(run.cases[0].status == TestStatus::passed);
    const TestCase& failed = run.cases[1];
    CHECK(failed.name == "compares strings");
    CHECK(failed.status == TestStatus::failed);
    CHECK(failed.failure_type == "testCodeFailure");
    CHECK(failed.message == "Expected values to be strictly equal:+ actual - expected+ 'TOLLGATE'- "
                            "'TOLLGATE!'           ^");
    CHECK(failed.details.find(
              "(file:///work/main/tests/data/tests/node-sample/sample.test.mjs:10:10)") !=
          std::string::npos);
    CHECK(run.cases[2].suite == "math");
    CHECK(run.cases[3].name == "divides");
    CHECK(run.cases[3].status == TestStatus::failed);
    CHECK(run.cases[4].status == TestStatus::skipped);
    CHECK(run.cases[4].message == "not ready");
  }

  TEST_CASE("pytest xunit1 line attributes are 0-based and become 1-based") {
    const TestRun run = parse_data("pytest-xunit1.xml");
    CHECK(run.dialect == "pytest");
    REQUIRE(run.cases.size() == 6);
    const std::string file = "tests/data/tests/pytest-sample/test_sample.py";
    CHECK(run.cases[0].name == "test_passes");
    CHECK(run.cases[0].file == file);
    CHECK(run.cases[0].line == 9);
    const TestCase& fails = run.cases[1];
    CHECK(fails.name == "test_fails");
    CHECK(fails.classname == "tests.data.tests.pytest-sample.test_sample");
    CHECK(fails.suite == "pytest");
    CHECK(fails.status == TestStatus::failed);
    CHECK(fails.line == 13);
    CHECK(fails.message == "assert 4 == 5\n +  where 4 = add(2, 2)");
    CHECK(fails.details ==
          "def test_fails():\n>       assert add(2, 2) == 5\nE       assert 4 == 5\nE        +  "
          "where 4 = "
          "add(2, 2)\n\ntests/data/tests/pytest-sample/test_sample.py:14: AssertionError");
    CHECK(run.cases[2].name == "test_errors_in_fixture");
    CHECK(run.cases[2].status == TestStatus::errored);
    CHECK(run.cases[2].message == "failed on setup with \"RuntimeError: fixture could not start\"");
    CHECK(run.cases[2].line == 22);
    CHECK(run.cases[3].status == TestStatus::skipped);
    CHECK(run.cases[3].message == "not on this platform");
    CHECK(run.cases[4].name == "test_expected_failure");
    CHECK(run.cases[4].status == TestStatus::skipped);
    CHECK(run.cases[4].failure_type == "pytest.xfail");
    CHECK(run.cases[4].message == "known bug");
    CHECK(run.cases[5].classname == "tests.data.tests.pytest-sample.test_sample.TestGroup");
    CHECK(run.cases[5].line == 37);
  }

  TEST_CASE("pytest xunit2 reports carry no file or line") {
    const TestRun run = parse_data("pytest-xunit2.xml");
    CHECK(run.dialect == "pytest");
    REQUIRE(run.cases.size() == 6);
    for (const TestCase& test : run.cases) {
      CHECK(test.file == "");
      CHECK(test.line == 0);
    }
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[2].status == TestStatus::errored);
    CHECK(run.cases[5].status == TestStatus::failed);
  }

  TEST_CASE("ctest failures take their text from system-out") {
    const TestRun run = parse_data("ctest-junit.xml");
    CHECK(run.dialect == "ctest");
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[0].name == "arithmetic");
    CHECK(run.cases[0].status == TestStatus::passed);
    CHECK(run.cases[0].system_out == ""); // kept for failed tests only
    const TestCase& strings = run.cases[1];
    CHECK(strings.status == TestStatus::failed);
    CHECK(strings.message == "/work/main/tests/data/tests/ctest-sample/sample_test.cpp:13: ERROR: "
                             "CHECK( name.size() == 9 ) is NOT correct!");
    CHECK(strings.details == strings.system_out);
    CHECK(strings.details.find("values: CHECK( 8 == 9 )") != std::string::npos);
    CHECK(run.cases[2].name == "not_built");
    CHECK(run.cases[2].status == TestStatus::skipped);
    CHECK(run.cases[2].message == "Unable to find executable");
  }

  TEST_CASE("jest-junit reports file attributes and bodies without a message attribute") {
    const TestRun run = parse_data("jest-junit.xml");
    CHECK(run.dialect == "jest");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[1].name == "divide rounds down");
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[1].file == "tests/data/tests/jest-sample/sample.test.js");
    CHECK(run.cases[1].message == "Error: expect(received).toBe(expected) // Object.is equality");
    CHECK(run.cases[2].message == "Error: division by zero");
    CHECK(run.cases[3].status == TestStatus::skipped);
  }

  TEST_CASE("mocha-junit-reporter's suite file attribute names the test file") {
    const TestRun run = parse_data("mocha-junit.xml");
    CHECK(run.dialect == "mocha");
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[1].name == "strings trims spaces");
    CHECK(run.cases[1].suite == "strings");
    CHECK(run.cases[1].file == "/work/main/tests/data/tests/mocha-sample/sample.spec.js");
    CHECK(run.cases[1].failure_type == "AssertionError");
    // Literal newlines in an attribute are whitespace to XML (attribute-value normalisation).
    CHECK(run.cases[1].message == "Expected values to be strictly equal:  'x' !== 'x '");
    CHECK(run.cases[2].suite == "nested");
  }

  TEST_CASE("surefire flaky and rerun elements decide flaky or failed with reruns counted") {
    const TestRun run = parse_data("surefire-flaky.xml");
    CHECK(run.dialect == "surefire");
    REQUIRE(run.cases.size() == 5);
    CHECK(run.cases[0].status == TestStatus::passed);
    const TestCase& flaky = run.cases[1];
    CHECK(flaky.name == "dividesFlakily");
    CHECK(flaky.status == TestStatus::flaky);
    CHECK(flaky.reruns == 2);
    CHECK(flaky.message == "expected: <2> but was: <3>");
    CHECK(flaky.failure_type == "org.opentest4j.AssertionFailedError");
    CHECK(flaky.details.rfind("org.opentest4j.AssertionFailedError: expected: <2> but was: <3>\n",
                              0) == 0);
    CHECK(flaky.system_out == "");
    const TestCase& failed = run.cases[2];
    CHECK(failed.status == TestStatus::failed);
    CHECK(failed.reruns == 2);
    CHECK(failed.system_out == "multiplying 2 by 3");
    CHECK(run.cases[3].status == TestStatus::errored);
    CHECK(run.cases[3].reruns == 1);
    CHECK(run.cases[3].message == "Cannot connect to jdbc:h2:mem:shop");
    CHECK(run.cases[4].status == TestStatus::skipped);
    CHECK(run.cases[4].message == "not implemented yet");
  }

  TEST_CASE("go-junit-report bodies hold the t.Error output") {
    const TestRun run = parse_data("go-junit-report.xml");
    CHECK(run.dialect == "go");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[1].name == "TestTotal");
    CHECK(run.cases[1].classname == "github.com/acme/shop/cart");
    CHECK(run.cases[1].message == "Failed");
    CHECK(run.cases[1].details == "cart_test.go:27: total = 41, want 42");
    CHECK(run.cases[2].name == "TestTotal/empty_cart");
    CHECK(run.cases[3].status == TestStatus::skipped);
  }

  TEST_CASE("gotestsum reruns repeat the test case: distinct tests unless retries are asked for") {
    TestRun run = parse_data("gotestsum-rerun.xml");
    // Nothing in the file proves a rerun: by default the repeated TestRetry is two tests.
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[1].name == "TestRetry");
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[3].name == "TestRetry");
    CHECK(run.cases[3].status == TestStatus::passed);

    // --retries-as-flaky: failed, then passed is one flaky test.
    merge_retries(run);
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[0].name == "TestCharge");
    CHECK(run.cases[1].name == "TestRetry");
    CHECK(run.cases[1].status == TestStatus::flaky);
    CHECK(run.cases[1].reruns == 1);
    CHECK(run.cases[1].duration_s == doctest::Approx(0.12));
    CHECK(run.cases[1].details ==
          "=== RUN   TestRetry\n    pay_test.go:19: timeout talking to the fake "
          "gateway\n--- FAIL: TestRetry (0.10s)");
    CHECK(run.cases[2].name == "TestRefund");
    CHECK(run.cases[2].status == TestStatus::failed);
    CHECK(run.cases[2].reruns == 0);
  }

  TEST_CASE("mocha tests that share a title stay distinct tests and the failing one stays failed") {
    // Real mocha-junit-reporter output (mocha-repeated/README.md): four tests titled
    // "validation rejects an invalid quantity", the third fails; nothing marks a rerun.
    const TestRun run = parse_data("mocha-repeated.xml");
    CHECK(run.dialect == "mocha");
    REQUIRE(run.cases.size() == 6);
    size_t failed = 0, flaky = 0;
    for (const TestCase& test : run.cases) {
      failed += test.status == TestStatus::failed;
      flaky += test.status == TestStatus::flaky;
    }
    CHECK(failed == 1);
    CHECK(flaky == 0);
    CHECK(run.cases[2].status == TestStatus::failed);
    CHECK(run.cases[2].message == "Missing expected exception.");
  }

  TEST_CASE("phpunit nests suites and gives file and line per test") {
    const TestRun run = parse_data("phpunit.xml");
    CHECK(run.dialect == "phpunit");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[1].suite == "Acme\\Shop\\Tests\\CartTest");
    CHECK(run.cases[1].file == "/home/runner/work/shop/shop/tests/CartTest.php");
    CHECK(run.cases[1].line == 18);
    CHECK(run.cases[1].status == TestStatus::failed);
    CHECK(run.cases[1].message == "Acme\\Shop\\Tests\\CartTest::testTotal");
    CHECK(run.cases[2].status == TestStatus::errored);
    CHECK(run.cases[2].failure_type == "Error");
    CHECK(run.cases[3].status == TestStatus::skipped);
  }

  TEST_CASE("catch2 failures carry the assertion in the message and the location in the body") {
    const TestRun run = parse_data("catch2-junit.xml");
    CHECK(run.dialect == "catch2");
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[1].name == "cart totals/with discount");
    CHECK(run.cases[1].message == "total == 42");
    CHECK(run.cases[1].failure_type == "REQUIRE");
    CHECK(run.cases[1].details ==
          "FAILED:\n  REQUIRE( total == 42 )\nwith expansion:\n  41 == 42\nat "
          "/home/runner/work/shop/shop/tests/cart_test.cpp:27");
    CHECK(run.cases[2].status == TestStatus::errored);
    CHECK(run.cases[2].message == "TEST_CASE( \"cart throws\" )");
  }

  TEST_CASE("bazel's generated test.xml keeps the log in the suite's system-out") {
    const TestRun run = parse_data("bazel-test.xml");
    CHECK(run.dialect == "bazel");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].status == TestStatus::errored);
    CHECK(run.cases[0].message == "exited with error code 1");
    CHECK(run.cases[0].duration_s == 2);
    CHECK(run.cases[0].details.find("shop/cart/cart_test.cc:27: Failure\n") != std::string::npos);
  }

  TEST_CASE("testcases in suites nested at any depth take the nearest suite's name") {
    const TestRun run = parse_inline(R"(<testsuites name="all">
    <testsuite name="outer"><testsuite name="inner"><testsuite name="innermost">
      <testcase name="deep"/></testsuite><testcase name="middle"/></testsuite>
      <testcase name="shallow"/></testsuite><testcase name="top"/></testsuites>)");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[0].suite == "innermost");
    CHECK(run.cases[1].suite == "inner");
    CHECK(run.cases[2].suite == "outer");
    CHECK(run.cases[3].suite == "all");
  }

  TEST_CASE("a failure and an error in one testcase count as failed with the failure's message") {
    const TestRun run = parse_inline(R"(<testsuite><testcase name="t">
    <error message="teardown broke"/><failure message="assert failed" type="AssertionError"/>
    </testcase></testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[0].message == "assert failed");
    CHECK(run.cases[0].failure_type == "AssertionError");
  }

  TEST_CASE("without a message attribute the message is the first non-empty line of the body") {
    const TestRun run = parse_inline(
        "<testsuite><testcase name=\"t\"><failure>\n\n   \n"
        "  <![CDATA[boom: it broke\r\nsecond line]]>\n</failure></testcase></testsuite>");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].message == "boom: it broke");
    CHECK(run.cases[0].details == "boom: it broke\nsecond line");
  }

  TEST_CASE("times accept thousands separators and exponents and ignore garbage") {
    const TestRun run = parse_inline(R"(<testsuite><testcase name="a" time="1,234.5"/>
    <testcase name="b" time="4.5e-05"/><testcase name="c" time="&lt;&lt;computed&gt;&gt;"/>
    <testcase name="d" time="-3"/></testsuite>)");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[0].duration_s == 1234.5);
    CHECK(run.cases[1].duration_s == doctest::Approx(4.5e-05));
    CHECK(run.cases[2].duration_s == 0);
    CHECK(run.cases[3].duration_s == 0);
  }

  TEST_CASE("a status attribute alone decides when there are no child elements") {
    const TestRun run = parse_inline(R"(<testsuite><testcase name="a" status="failed"/>
    <testcase name="b" status="errored"/><testcase name="c" status="disabled"/>
    <testcase name="d" status="run"/></testsuite>)");
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[1].status == TestStatus::errored);
    CHECK(run.cases[2].status == TestStatus::skipped);
    CHECK(run.cases[3].status == TestStatus::passed);
  }

  TEST_CASE("a disabled testcase is skipped even when it carries a failure") {
    const TestRun run = parse_inline(R"(<testsuite><testcase name="t" status="disabled">
    <failure>Assert: Boolean true check failed.</failure></testcase></testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].status == TestStatus::skipped);
  }

  TEST_CASE("the failure element's file and line are used when the testcase has none") {
    const TestRun run = parse_inline(R"(<testsuite><testcase name="t">
    <failure message="Expected 2 Was 0" file="main.c" line="38"/></testcase></testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].file == "main.c");
    CHECK(run.cases[0].line == 38);
  }

  TEST_CASE("line attributes outside pytest are taken as 1-based") {
    const TestRun run = parse_inline(R"(<testsuite name="unittest">
    <testcase classname="TestAcme" name="t" file="tests/test_lib.py" line="23"/></testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].line == 23);
  }

  TEST_CASE("a pytest-shaped file and classname mark pytest even under another suite name") {
    const TestRun run = parse_inline(R"(<testsuite name="custom">
    <testcase classname="tests.test_lib.TestX" name="t" file="tests/test_lib.py" line="23"/>
    </testsuite>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.dialect == "pytest");
    CHECK(run.cases[0].line == 24);
  }

  TEST_CASE("repeated testcases that never failed stay separate tests") {
    const TestRun run = parse_inline(R"(<testsuite name="s"><testcase classname="c" name="t"/>
    <testcase classname="c" name="t"/></testsuite>)");
    CHECK(run.cases.size() == 2);
  }

  TEST_CASE("asked to merge retries, a testcase that failed on every run is one failed case") {
    TestRun run = parse_inline(R"(<testsuite name="s">
    <testcase classname="c" name="t" time="1"><failure message="first"/></testcase>
    <testcase classname="c" name="other"/>
    <testcase classname="c" name="t" time="2"><failure message="second"/></testcase>
    </testsuite>)");
    REQUIRE(run.cases.size() == 3);
    merge_retries(run);
    REQUIRE(run.cases.size() == 2);
    CHECK(run.cases[0].name == "t");
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[0].reruns == 1);
    CHECK(run.cases[0].message == "first");
    CHECK(run.cases[0].duration_s == 3);
    CHECK(run.cases[1].name == "other");
  }

  TEST_CASE("same-named testcases in different suites are different tests") {
    const TestRun run = parse_inline(R"(<testsuites>
    <testsuite name="A"><testcase name="t"><failure/></testcase></testsuite>
    <testsuite name="B"><testcase name="t"/></testsuite></testsuites>)");
    REQUIRE(run.cases.size() == 2);
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[1].status == TestStatus::passed);
  }

  TEST_CASE("captured output is kept for failed tests only and capped at 1 MB") {
    const std::string big(2 * 1024 * 1024, 'x');
    const TestRun run =
        parse_inline("<testsuite><testcase name=\"ok\"><system-out>hello</system-out>"
                     "</testcase><testcase name=\"bad\"><failure message=\"m\"/>"
                     "<system-out>" +
                     big +
                     "</system-out><system-err>warn</system-err>"
                     "</testcase></testsuite>");
    REQUIRE(run.cases.size() == 2);
    CHECK(run.cases[0].system_out == "");
    CHECK(run.cases[1].system_out.size() <= tollgate::report::k_max_output_bytes);
    CHECK(run.cases[1].system_out.size() > 1000 * 1000);
    CHECK(run.cases[1].system_out.ends_with("(output truncated)"));
    CHECK(run.cases[1].system_err == "warn");
  }

} // TEST_SUITE
