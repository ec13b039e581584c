// Conformance against real-world reports in ../shared/corpus (see its README). A user's clone
// has no such folder: then every case here says so and passes.
#include "report/test_report.h"
#include "util/files.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <map>
#include <string>

namespace fs = std::filesystem;
using tollgate::model::TestRun;
using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;

namespace {

const fs::path k_corpus = fs::path(TOLLGATE_TEST_DATA) / ".." / ".." / ".." / "shared" / "corpus";

bool have_corpus() {
  if (fs::is_directory(k_corpus)) return true;
  MESSAGE("skipped: no corpus at " << k_corpus.string());
  return false;
}

tollgate::util::Expected<TestRun, tollgate::util::ParseError>
parse_corpus(const std::string& name) {
  auto bytes = tollgate::util::read_file((k_corpus / name).string());
  REQUIRE_MESSAGE(bytes.has_value(), name);
  return parse_test_report(*bytes);
}

TestRun corpus_run(const std::string& name) {
  auto run = parse_corpus(name);
  REQUIRE_MESSAGE(run.has_value(), name << ": " << (run ? "" : run.error().message));
  return std::move(run.value());
}

std::map<TestStatus, int> count(const TestRun& run) {
  std::map<TestStatus, int> counts;
  for (const auto& test : run.cases)
    ++counts[test.status];
  return counts;
}

} // namespace

TEST_SUITE("report::corpus") {

  TEST_CASE("every corpus report parses or fails with a line number") {
    if (!have_corpus()) return;
    int parsed = 0;
    int failed = 0;
    for (const auto& entry : fs::recursive_directory_iterator(k_corpus)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".xml" && ext != ".trx")) continue;
      const std::string name = fs::relative(entry.path(), k_corpus).string();
      auto run = parse_corpus(name);
      if (run) {
        ++parsed;
        continue;
      }
      ++failed;
      INFO(name << ": " << run.error().message);
      CHECK(run.error().line > 0);
    }
    MESSAGE("corpus: " << parsed << " parsed, " << failed << " failed");
    CHECK(parsed >= 60);
    CHECK(failed == 1); // the truncated Surefire file, below
  }

  TEST_CASE("a truncated surefire report fails in its unterminated CDATA section") {
    if (!have_corpus()) return;
    const auto run = parse_corpus("action-junit-report/corrupt-junit/e2e-tests/corrupt/target/"
                                  "sf-reports/TEST-test.CorruptTest.xml");
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().message == "malformed XML: Error parsing CDATA section");
    CHECK(run.error().line == 18);
  }

  TEST_CASE("disabled, failed and errored status attributes") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("action-junit-report/issues/testDisabled.xml");
    CHECK(run.cases.size() == 22);
    auto counts = count(run);
    CHECK(counts[TestStatus::skipped] == 10);
    CHECK(counts[TestStatus::failed] == 4);
    CHECK(counts[TestStatus::errored] == 2);
    CHECK(counts[TestStatus::passed] == 6);
    CHECK(run.cases[10].message == "tests/failed/main.cpp:58: error: check_eq(3628800, 3628801)");
  }

  TEST_CASE("go-junit-report rerun of a failed test is flaky when retries are asked for") {
    if (!have_corpus()) return;
    TestRun run = corpus_run("action-junit-report/junit-server-test/report.xml");
    CHECK(run.dialect == "go");
    // Nothing in the file marks the repeated test case as a rerun: two tests by default.
    REQUIRE(run.cases.size() == 4);
    CHECK(count(run)[TestStatus::failed] == 1);
    tollgate::report::merge_retries(run);
    REQUIRE(run.cases.size() == 3);
    CHECK(run.cases[0].name == "TestWebSocketReconnectRace");
    CHECK(run.cases[0].status == TestStatus::flaky);
    CHECK(run.cases[0].reruns == 1);
    CHECK(run.cases[0].duration_s == doctest::Approx(11.1));
    CHECK(run.cases[1].status == TestStatus::skipped);
    CHECK(run.cases[2].status == TestStatus::passed);
  }

  TEST_CASE("asked for, retries with classname and file merge per test, not per name") {
    if (!have_corpus()) return;
    TestRun run = corpus_run("action-junit-report/flaky_retries/flaky_with_classname_file.xml");
    // Its header counts 1 failure and 2 errors; the cases carry one of each: the third is an
    // error of the suite, outside any test case.
    REQUIRE(run.cases.size() == 6);
    CHECK(run.cases[5].suite_header);
    CHECK(run.cases[5].count == 1);
    tollgate::report::merge_retries(run);
    REQUIRE(run.cases.size() == 4);
    CHECK(run.cases[3].suite_header);
    CHECK(run.cases[0].classname == "test_foo.TestFoo");
    CHECK(run.cases[0].status == TestStatus::flaky);
    CHECK(run.cases[0].reruns == 2);
    CHECK(run.cases[0].message == "it failed");
    CHECK(run.cases[0].line == 42);
    CHECK(run.cases[1].classname == "test_bar.TestBar");
    CHECK(run.cases[1].status == TestStatus::passed);
    TestRun all = corpus_run("action-junit-report/flaky_retries/flaky_all_failures.xml");
    tollgate::report::merge_retries(all);
    REQUIRE(all.cases.size() == 1);
    CHECK(all.cases[0].status == TestStatus::failed);
    CHECK(all.cases[0].reruns == 2);
  }

  TEST_CASE("no real report's header counts failures its cases do not carry") {
    if (!have_corpus()) return;
    for (const char* name : {"action-junit-report/junit-web-test/expected.xml",
                             "action-junit-report/junit-web-test/expectedRetries.xml",
                             "dorny-test-reporter/external/java/pulsar-test-report.xml",
                             "dorny-test-reporter/external/jest/jest-test-results.xml"}) {
      CAPTURE(name);
      for (const auto& test : corpus_run(name).cases) CHECK_FALSE(test.suite_header);
    }
  }

  TEST_CASE("nested suites with same-named tests") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("action-junit-report/nested/junit.xml");
    REQUIRE(run.cases.size() == 5);
    CHECK(count(run)[TestStatus::failed] == 3);
    CHECK(run.cases[4].suite == "packet");
  }

  TEST_CASE("surefire flakyFailure with its trace in stackTrace") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("action-junit-report/maven_surefire_flaky/surefire-report.xml");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].status == TestStatus::flaky);
    CHECK(run.cases[0].reruns == 1);
    CHECK(run.cases[0].message == "Expected: <false>\n     but: was <true>");
    CHECK(run.cases[0].details.rfind("java.lang.AssertionError: \n\nExpected: <false>", 0) == 0);
  }

  TEST_CASE("catch2 failure file and line attributes") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("action-junit-report/catch2/report.xml");
    REQUIRE(run.cases.size() == 1);
    CHECK(run.cases[0].status == TestStatus::failed);
    CHECK(run.cases[0].file == "test/unit/detail/utility/is_constant_evaluated.cpp");
    CHECK(run.cases[0].line == 19);
    CHECK(run.cases[0].message == "REQUIRE(v == 1) expands to 0 == 10");
  }

  TEST_CASE("pulsar surefire report: a skipped attempt then a failure is one failed test") {
    if (!have_corpus()) return;
    TestRun run = corpus_run("dorny-test-reporter/external/java/pulsar-test-report.xml");
    CHECK(run.cases.size() == 808); // 808 testcase elements, one repeated
    auto counts = count(run);
    CHECK(counts[TestStatus::passed] == 793);
    CHECK(counts[TestStatus::skipped] == 14);
    CHECK(counts[TestStatus::failed] == 1);
    tollgate::report::merge_retries(run); // --retries-as-flaky
    CHECK(run.cases.size() == 807);
    counts = count(run);
    CHECK(counts[TestStatus::skipped] == 13);
    CHECK(counts[TestStatus::failed] == 1);
  }

  TEST_CASE("large jest-junit report") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("dorny-test-reporter/external/jest/jest-test-results.xml");
    CHECK(run.dialect == "jest");
    CHECK(run.cases.size() == 4239);
    auto counts = count(run);
    CHECK(counts[TestStatus::passed] == 4207);
    CHECK(counts[TestStatus::skipped] == 30);
    CHECK(counts[TestStatus::failed] == 2);
  }

  TEST_CASE("pytest report written by a newer pytest") {
    if (!have_corpus()) return;
    const TestRun run = corpus_run("dorny-test-reporter/python-xunit-pytest.xml");
    CHECK(run.dialect == "pytest");
    REQUIRE(run.cases.size() == 10);
    auto counts = count(run);
    CHECK(counts[TestStatus::passed] == 6);
    CHECK(counts[TestStatus::skipped] == 2);
    CHECK(counts[TestStatus::failed] == 2);
  }

  TEST_CASE("nunit 3 reports from dotnet and the NUnit sample") {
    if (!have_corpus()) return;
    const TestRun dotnet = corpus_run("dorny-test-reporter/dotnet-nunit.xml");
    REQUIRE(dotnet.cases.size() == 9);
    auto counts = count(dotnet);
    CHECK(counts[TestStatus::passed] == 3);
    CHECK(counts[TestStatus::failed] == 3);
    CHECK(counts[TestStatus::errored] == 2);
    CHECK(counts[TestStatus::skipped] == 1);
    CHECK(dotnet.cases[0].name == "Exception_In_TargetTest");
    CHECK(dotnet.cases[0].suite == "DotnetTests.NUnitV3Tests.dll");
    CHECK(dotnet.cases.back().message == "Test exceeded Timeout value 1ms.");

    const TestRun sample = corpus_run("dorny-test-reporter/external/nunit-sample.xml");
    REQUIRE(sample.cases.size() == 18);
    counts = count(sample);
    CHECK(counts[TestStatus::passed] == 12);
    CHECK(counts[TestStatus::failed] == 1);
    CHECK(counts[TestStatus::errored] == 1);
    CHECK(counts[TestStatus::skipped] == 4);
    CHECK(sample.cases[0].name == "FailingTest");
    CHECK(sample.cases[0].message == "Intentional failure");
    CHECK(sample.cases[0].duration_s == doctest::Approx(0.023));
  }

  TEST_CASE("trx reports from dotnet test") {
    if (!have_corpus()) return;
    const TestRun dotnet = corpus_run("dorny-test-reporter/dotnet-trx.trx");
    REQUIRE(dotnet.cases.size() == 11);
    auto counts = count(dotnet);
    CHECK(counts[TestStatus::passed] == 5);
    CHECK(counts[TestStatus::failed] == 5);
    CHECK(counts[TestStatus::skipped] == 1);
    CHECK(dotnet.cases[2].name == "Should be even number(i: 3)");
    CHECK(dotnet.cases[2].classname == "DotnetTests.XUnitTests.CalculatorTests");
    CHECK(dotnet.cases[2].message == "Assert.True() Failure\nExpected: True\nActual:   False");

    const TestRun fluent = corpus_run("dorny-test-reporter/external/FluentValidation.Tests.trx");
    CHECK(fluent.cases.size() == 804);
    CHECK(count(fluent)[TestStatus::skipped] == 1);

    CHECK(corpus_run("dorny-test-reporter/empty/dotnet-trx.trx").cases.empty());
  }

} // TEST_SUITE
