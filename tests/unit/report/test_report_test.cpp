#include "report_test_support.h"

#include <chrono>
#include <doctest/doctest.h>
#include <string>

using tollgate::model::TestStatus;
using tollgate::report::parse_test_report;
using tollgate::testing::report_data;

TEST_SUITE("report::test_report") {

  TEST_CASE("the format is detected from the root element") {
    CHECK(parse_test_report("<testsuites/>")->format == "junit");
    CHECK(parse_test_report("<testsuite/>")->format == "junit");
    CHECK(parse_test_report("<assemblies/>")->format == "xunit");
    CHECK(parse_test_report("<assembly/>")->format == "xunit");
    CHECK(parse_test_report("<test-run/>")->format == "nunit");
    CHECK(parse_test_report(
              "<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"/>")
              ->format == "trx");
  }

  TEST_CASE("real files are detected without a forced format") {
    CHECK(parse_test_report(report_data("xunit-v2.xml"))->format == "xunit");
    CHECK(parse_test_report(report_data("nunit3.xml"))->format == "nunit");
    CHECK(parse_test_report(report_data("mstest.trx"))->format == "trx");
    CHECK(parse_test_report(report_data("surefire-flaky.xml"))->format == "junit");
  }

  TEST_CASE("a forced format must match the document") {
    CHECK(parse_test_report(report_data("nunit3.xml"), "nunit")->cases.size() == 8);
    const auto wrong = parse_test_report(report_data("nunit3.xml"), "junit");
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().message == "not a junit test report: the root element is <test-run>, "
                                   "expected <testsuites> or <testsuite>");
    CHECK(wrong.error().line == 2);
    CHECK(wrong.error().column == 1);
  }

  TEST_CASE("an unknown forced format is an error") {
    const auto run = parse_test_report("<testsuite/>", "tap");
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().message ==
          "unknown test report format 'tap' (expected junit, xunit, nunit or trx)");
  }

  TEST_CASE("an empty or blank file is the error empty report") {
    for (const char* bytes : {"", "  \n\t\n", "\xEF\xBB\xBF\n"}) {
      const auto run = parse_test_report(bytes);
      REQUIRE_FALSE(run.has_value());
      CHECK(run.error().message == "empty report");
    }
  }

  TEST_CASE("an unknown root element is named in the error") {
    const auto run = parse_test_report("<?xml version=\"1.0\"?>\n<coverage line-rate=\"1\"/>");
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().message ==
          "not a test report: the root element is <coverage>, expected "
          "<testsuites>, <testsuite>, <assemblies>, <assembly>, <test-run> or <TestRun>");
    CHECK(run.error().line == 2);
  }

  TEST_CASE("content that is not XML is a parse error with a location") {
    const auto run = parse_test_report("<testsuite name=\"a\"><testcase></testsuite>");
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().line == 1);
    CHECK(run.error().column >= 1);
  }

  TEST_CASE("a JSON file is not a test report, said as such, not as malformed XML") {
    for (const char* bytes : {"{\"tests\": []}", "\xEF\xBB\xBF\n  [1, 2]"}) {
      const auto run = parse_test_report(bytes);
      REQUIRE_FALSE(run.has_value());
      CHECK(run.error().message ==
            "not a test report (JSON): test reports are XML (JUnit, xUnit.net, NUnit 3 or TRX)");
      CHECK(run.error().line >= 1);
      CHECK(tollgate::report::not_a_test_report(bytes) == "JSON");
    }
  }

  TEST_CASE("only documents of another kind are plainly not test reports") {
    using tollgate::report::not_a_test_report;
    CHECK(not_a_test_report("<?xml version=\"1.0\"?>\n<project><modelVersion>4.0.0</modelVersion></project>") ==
          "root element <project>");
    CHECK(not_a_test_report("<xsl:stylesheet version=\"1.0\"/>") == "root element <xsl:stylesheet>");
    // A report, or what may be a broken one, is never waved through as a stray file.
    CHECK(not_a_test_report("<testsuite><testcase name=\"a\"/></testsuite>") == std::nullopt);
    CHECK(not_a_test_report("<testsuite><testcase name=\"a\"") == std::nullopt);
    CHECK(not_a_test_report("<project>") == std::nullopt);
    CHECK(not_a_test_report("") == std::nullopt);
    CHECK(not_a_test_report("plain text") == std::nullopt);
  }

  TEST_CASE("a truncated report fails at its last line") {
    const auto run = parse_test_report("<testsuite>\n<testcase name=\"a\"/>\n<testcase name=\"b\"");
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().line == 3);
  }

  TEST_CASE("concatenated reports with several top-level suites are all read") {
    const auto run =
        parse_test_report("<?xml version=\"1.0\"?>\n<testsuite name=\"a\"><testcase name=\"x\"/>"
                          "</testsuite>\n<?xml version=\"1.0\"?>\n<testsuite name=\"b\">"
                          "<testcase name=\"y\"/></testsuite>");
    REQUIRE(run.has_value());
    REQUIRE(run->cases.size() == 2);
    CHECK(run->cases[1].suite == "b");
  }

  TEST_CASE("several top-level suites without declarations are all read") {
    const auto run = parse_test_report(
        "<testsuite name=\"a\"><testcase name=\"x\"/></testsuite>\n<testsuite name=\"b\">"
        "<testcase name=\"y\"><failure/></testcase></testsuite>");
    REQUIRE(run.has_value());
    REQUIRE(run->cases.size() == 2);
    CHECK(run->cases[1].suite == "b");
    CHECK(run->cases[1].status == TestStatus::failed);
  }

  TEST_CASE("a UTF-8 byte order mark is accepted") {
    const auto run = parse_test_report("\xEF\xBB\xBF<testsuite><testcase name=\"a\"/></testsuite>");
    REQUIRE(run.has_value());
    CHECK(run->cases.size() == 1);
  }

  TEST_CASE("100,000 test cases (30 MB) parse quickly") {
    // Shaped like a large Surefire/Gradle merge: long package names, file attributes, and one
    // failure with a stack trace in every hundred tests.
    std::string xml = "<testsuites>\n";
    xml.reserve(40 * 1024 * 1024);
    for (int suite = 0; suite < 100; ++suite) {
      const std::string classname =
          "com.acme.platform.billing.integration.invoices.InvoiceCalculationSuite" +
          std::to_string(suite);
      xml += "<testsuite name=\"" + classname +
             "\" tests=\"1000\" failures=\"10\" errors=\"0\" "
             "skipped=\"0\" time=\"12.5\" timestamp=\"2024-05-01T10:00:00\" hostname=\"runner\">\n";
      for (int test = 0; test < 1000; ++test) {
        xml += "  <testcase classname=\"" + classname +
               "\" name=\"shouldComputeTheInvoiceTotalWhenSeveralDiscountsAndTaxRulesApply_case" +
               std::to_string(test) +
               "\" file=\"src/test/java/com/acme/platform/billing/integration/"
               "invoices/InvoiceCalculationSuite.java\" time=\"0.0" +
               std::to_string(test % 10) + "\"";
        if (test % 100 == 7) {
          xml += "><failure message=\"expected 1 but was 2\" type=\"AssertionError\">"
                 "java.lang.AssertionError: expected 1 but was 2\n"
                 "\tat com.acme.Suite.test(Suite.java:12)\n</failure></testcase>\n";
        } else {
          xml += "/>\n";
        }
      }
      xml += "</testsuite>\n";
    }
    xml += "</testsuites>\n";
    const auto start = std::chrono::steady_clock::now();
    const auto run = parse_test_report(xml);
    const auto elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(run.has_value());
    CHECK(run->cases.size() == 100000);
    size_t failed = 0;
    for (const auto& test : run->cases)
      failed += test.status == TestStatus::failed;
    CHECK(failed == 1000);
    MESSAGE("100k test cases (" << xml.size() / (1024 * 1024) << " MB) parsed in " << elapsed
                                << " s");
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
    // A guard against accidental quadratic work, loose enough for a loaded 2-core CI machine;
    // the real figure is measured by scripts/bench (typically ~0.3 s).
    CHECK(elapsed < 5.0);
#endif
  }

} // TEST_SUITE
