// Suite headers (<testsuite>/<testsuites> failures and errors) against the test cases they hold.
#include "report/test_report.h"
#include "util/files.h"

#include <doctest/doctest.h>
#include <map>
#include <string>

using tollgate::model::TestCase;
using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;

namespace {

TestRun parse_inline(std::string_view xml) {
  auto run = parse_test_report(xml);
  REQUIRE_MESSAGE(run.has_value(), (run ? "" : run.error().message));
  return std::move(run.value());
}

// Entries that stand for a header's failures beyond its cases, and how many they stand for.
size_t header_errors(const TestRun& run) {
  size_t n = 0;
  for (const TestCase& test : run.cases) {
    if (test.suite_header) n += test.count;
  }
  return n;
}

} // namespace

TEST_SUITE("report::junit") {

  TEST_CASE("a header counting failures that no test case carries adds an errored entry") {
    // A crashed fork: Surefire counted 2 errors but wrote only the passing cases.
    const TestRun run = parse_inline(R"(<testsuite name="com.acme.DbTest" tests="3" failures="0"
      errors="2"><testcase classname="com.acme.DbTest" name="connects"/>
      <system-err>The forked VM terminated without properly saying goodbye</system-err>
    </testsuite>)");
    REQUIRE(run.cases.size() == 2);
    const TestCase& entry = run.cases[1];
    CHECK(entry.suite_header);
    CHECK(entry.status == TestStatus::errored);
    CHECK(entry.count == 2);
    CHECK(entry.suite == "com.acme.DbTest");
    CHECK(entry.name == "2 failures or errors outside any test case");
    CHECK(entry.message == "the <testsuite> header counts 0 failures and 2 errors, its test cases "
                           "carry 0: a test process that crashed or a setup or teardown error "
                           "outside any test");
    CHECK(entry.details == "The forked VM terminated without properly saying goodbye");
  }

  TEST_CASE("a suite with an error and no test case at all is an error, not zero tests") {
    // jest-junit for a test file that failed to run (reportTestSuiteErrors off).
    const TestRun run = parse_inline(R"(<testsuites name="jest tests" tests="0" failures="0"
      errors="1"><testsuite name="src/cart.test.js" errors="1" failures="0" skipped="0"
      tests="0"/></testsuites>)");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].suite == "src/cart.test.js");
    CHECK(run.cases[0].status == TestStatus::errored);
    CHECK(header_errors(run) == 1);
  }

  TEST_CASE("nested suites and the testsuites total count a missing failure once") {
    const TestRun run = parse_inline(R"(<testsuites tests="4" failures="3" errors="0">
      <testsuite name="outer" tests="4" failures="3">
        <testsuite name="inner" tests="2" failures="2">
          <testcase name="a"><failure/></testcase><testcase name="b"/>
        </testsuite>
        <testsuite name="other" tests="2" failures="1">
          <testcase name="c"><failure/></testcase><testcase name="d"/>
        </testsuite>
      </testsuite></testsuites>)");
    CHECK(header_errors(run) == 1);
    REQUIRE(run.cases.size() == 5);
    CHECK(run.cases[2].suite == "inner");
    CHECK(run.cases[2].suite_header);
  }

  TEST_CASE("a top-level header alone can be the one that counts more") {
    const TestRun run = parse_inline(R"(<testsuites failures="2"><testsuite name="s" failures="1">
      <testcase name="a"><failure/></testcase></testsuite></testsuites>)");
    CHECK(header_errors(run) == 1);
    CHECK(run.cases.back().suite == "");
  }

  TEST_CASE("headers that agree with their cases add nothing, in every dialect's way of counting") {
    // Catch2 and doctest count failed assertions (one <failure> each); pytest writes a failure
    // and an error in one testcase when the teardown fails too; status-only ctest failures.
    for (const char* xml : {
             R"(<testsuite failures="2"><testcase name="a"><failure/><failure/></testcase></testsuite>)",
             R"(<testsuite failures="1" errors="1"><testcase name="a"><failure/><error/></testcase></testsuite>)",
             R"(<testsuite failures="1"><testcase name="a" status="fail"/></testsuite>)",
             R"(<testsuite failures="0" errors="0"><testcase name="a"/></testsuite>)",
             R"(<testsuite tests="1" failures="garbage" errors="-3"><testcase name="a"/></testsuite>)",
             R"(<testsuite name="empty"/>)"}) {
      CAPTURE(xml);
      CHECK(header_errors(parse_inline(xml)) == 0);
    }
  }

  TEST_CASE("web test runner counts a failed test under failures and errors: counted once") {
    const char* wtr = R"(<testsuites><testsuite name="Chrome_puppeteer_/a.test.js" tests="2"
      errors="1" failures="1"><properties><property name="test.fileName" value="a.test.js"/>
      <property name="browser.name" value="Chrome"/><property name="browser.launcher"
      value="puppeteer"/></properties><testcase name="x"><failure message="m"/></testcase>
      <testcase name="y"/></testsuite></testsuites>)";
    CHECK(header_errors(parse_inline(wtr)) == 0);
    // Without its properties the same header counts two: one beyond the failed test.
    std::string other(wtr);
    other.replace(other.find("browser.launcher"), 16, "browser.other");
    CHECK(header_errors(parse_inline(other)) == 1);
  }

  TEST_CASE("surefire flaky tests are not counted as failures by the header, nor here") {
    const TestRun run = parse_inline(R"(<testsuite name="s" tests="2" failures="1" errors="0">
      <testcase name="flaky"><flakyFailure message="x" type="T"><stackTrace>t</stackTrace></flakyFailure></testcase>
      <testcase name="broken"><failure message="y" type="T"/><rerunFailure message="y" type="T"><stackTrace>t</stackTrace></rerunFailure></testcase>
    </testsuite>)");
    REQUIRE(run.cases.size() == 2);
    CHECK(run.cases[0].status == TestStatus::flaky);
    CHECK(run.cases[1].status == TestStatus::failed);
  }

  TEST_CASE("real surefire reruns: flaky, failed every time, and a header that counts every run") {
    // Maven Surefire 2.22.3 (surefire-rerun/README.md): tests="6" failures="4" for 3 tests.
    auto bytes = tollgate::util::read_file(std::string(TOLLGATE_TEST_DATA) + "/tests/surefire-rerun.xml");
    REQUIRE(bytes.has_value());
    const TestRun run = parse_inline(*bytes);
    CHECK(run.dialect == "surefire");
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[0].name == "appliesDiscount");
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[0].reruns == 2);
    CHECK(run.cases[0].message == "expected:<90> but was:<95>");
    CHECK(run.cases[1].name == "totalsAfterRetry");
    CHECK(run.cases[1].status == TestStatus::flaky);
    CHECK(run.cases[1].reruns == 1);
    CHECK(run.cases[2].status == TestStatus::passed);
    CHECK(header_errors(run) == 0);
  }

  TEST_CASE("the real reports' headers agree with their cases") {
    // mocha's empty "Root Suite", jest, pytest, ctest, go, Surefire with reruns: nothing added.
    for (const char* name : {"mocha-junit.xml", "mocha-repeated.xml", "jest-junit.xml", "pytest-xunit1.xml",
                             "ctest-junit.xml", "go-junit-report.xml", "surefire-flaky.xml", "catch2-junit.xml",
                             "phpunit.xml", "bazel-test.xml", "node-junit.xml", "gotestsum-rerun.xml",
                             "surefire-rerun.xml"}) {
      CAPTURE(name);
      auto bytes = tollgate::util::read_file(std::string(TOLLGATE_TEST_DATA) + "/tests/" + name);
      REQUIRE(bytes.has_value());
      CHECK(header_errors(parse_inline(*bytes)) == 0);
    }
  }
}

TEST_SUITE("report::test_report") {

  TEST_CASE("no failure disappears: by default, nor when retries merge unless a retry passed") {
    // Random reports of same-named and distinct cases with random outcomes (a fixed seed, so a
    // failure reproduces): a failed or errored case is always counted; merged as retries, a
    // test that failed and never passed stays failed or errored.
    uint32_t seed = 20261204;
    const auto next = [&seed](uint32_t n) {
      seed = seed * 1664525u + 1013904223u;
      return (seed >> 8) % n;
    };
    const char* outcomes[] = {"", "<failure/>", "<error/>", "<skipped/>"};
    for (int round = 0; round < 500; ++round) {
      std::string xml = "<testsuite name=\"s\">";
      std::map<std::string, std::pair<bool, bool>> by_name; // name -> failed somewhere, passed somewhere
      size_t bad = 0;
      const uint32_t n = 1 + next(12);
      for (uint32_t i = 0; i < n; ++i) {
        const std::string name = "t" + std::to_string(next(4));
        const uint32_t outcome = next(4);
        xml += "<testcase name=\"" + name + "\">" + outcomes[outcome] + "</testcase>";
        bad += outcome == 1 || outcome == 2;
        by_name[name].first = by_name[name].first || outcome == 1 || outcome == 2;
        by_name[name].second = by_name[name].second || outcome == 0;
      }
      xml += "</testsuite>";
      CAPTURE(xml);
      TestRun run = parse_inline(xml);
      size_t failing = 0;
      for (const TestCase& test : run.cases)
        failing += test.status == TestStatus::failed || test.status == TestStatus::errored;
      CHECK(failing == bad);

      tollgate::report::merge_retries(run);
      for (const auto& entry : by_name) {
        // A named copy, not a structured binding: clang 14 cannot capture a binding in CHECK_MESSAGE's lambda.
        const auto& name = entry.first;
        const auto& seen = entry.second;
        if (!seen.first || seen.second) continue;
        bool still_failing = false;
        for (const TestCase& test : run.cases)
          still_failing = still_failing || (test.name == name && (test.status == TestStatus::failed ||
                                                                  test.status == TestStatus::errored));
        CHECK_MESSAGE(still_failing, name);
      }
    }
  }
}
