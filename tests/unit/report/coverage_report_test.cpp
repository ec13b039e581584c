#include "coverage_test_support.h"
#include "report/coverage_report.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::coverage_report") {
  TEST_CASE("every test file is detected by its content") {
    const std::pair<const char*, const char*> cases[] = {{"gcc-lcov.info", "lcov"},
                                                         {"coveragepy.lcov", "lcov"},
                                                         {"c8-lcov.info", "lcov"},
                                                         {"coveragepy-cobertura.xml", "cobertura"},
                                                         {"gcovr-cobertura.xml", "cobertura"},
                                                         {"c8-cobertura.xml", "cobertura"},
                                                         {"jacoco.xml", "jacoco"},
                                                         {"c8-coverage-final.json", "istanbul"},
                                                         {"coveragepy.json", "coveragepy"},
                                                         {"go-cover.out", "go"},
                                                         {"c8-clover.xml", "clover"}};
    for (const auto& c : cases) {
      const char* const file = c.first;
      const char* const format = c.second;
      const auto r = report::parse_coverage(coverage_data(file));
      REQUIRE_MESSAGE(r, file << ": " << (r ? "" : r.error().message));
      CHECK_MESSAGE(r->format == format, file);
    }
  }

  TEST_CASE("a forced format wins; an unknown one is an error") {
    const auto r = report::parse_coverage(coverage_data("c8-coverage-final.json"), "istanbul");
    REQUIRE(r);
    CHECK(r->format == "istanbul");
    const auto bad = report::parse_coverage("SF:a\n", "gcov");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("unknown coverage format 'gcov'") == 0);
  }

  TEST_CASE("empty and unknown inputs") {
    CHECK(report::parse_coverage("  \n").error().message == "empty report");
    const auto r = report::parse_coverage("\nhello\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    const auto xml = report::parse_coverage("<testsuites/>");
    REQUIRE_FALSE(xml);
    CHECK(xml.error().message.find("not a coverage report: <testsuites>") == 0);
  }

  TEST_CASE("a byte order mark is skipped") {
    const auto r = report::parse_coverage("\xEF\xBB\xBFSF:a\nDA:1,1\nend_of_record\n");
    REQUIRE(r);
    CHECK(r->files.size() == 1);
  }

  TEST_CASE("files that are no report of a known format say so, and a broken report does not") {
    const char* not_reports[] = {
        // SonarQube generic coverage: a <coverage> root, another format.
        "<coverage version='1'><file path='a.js'><lineToCover lineNumber='1' covered='true'/>"
        "</file></coverage>",
        // Maven's pom.xml, an XSL stylesheet, HTML that is not XML.
        "<?xml version='1.0'?><project xmlns='http://maven.apache.org/POM/4.0.0'><modelVersion>"
        "4.0.0</modelVersion></project>",
        "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'/>",
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'><title>x</title></head>",
        // A <coverage> or <report> root of no format Tollgate reads.
        "<coverage><foo/></coverage>",
        "<report><testcase/></report>",
        // JSON of other shapes: Jest's coverage-summary.json, package.json, an array.
        R"({"total":{"lines":{"total":10,"covered":8,"skipped":0,"pct":80}}})",
        R"({"name":"x","version":"1.0.0"})",
        R"({"compilerOptions":{"strict":true}})",
        "[1, 2]",
        // A stylesheet, a script.
        "body { margin: 0 }\n",
        "/* prettify */ var x = 1;\n",
    };
    for (const char* text : not_reports) {
      CAPTURE(text);
      const auto r = report::parse_coverage(text);
      REQUIRE_FALSE(r);
      CHECK(report::is_not_a_report(r.error()));
    }
    CHECK(report::parse_coverage(not_reports[0]).error().message.find("SonarQube") !=
          std::string::npos);

    const char* broken[] = {
        "<coverage line-rate='1'><packages><package><classes>",       // cut off
        R"({"a.js":{"statementMap":{"0":{"start":{"line":-1}}},"s":{}}})", // Istanbul, bad line
        "{\"a.js\": [1,2",                                               // malformed JSON
        "SF:a.c\nDA:x,1\nend_of_record\n",
    };
    for (const char* text : broken) {
      CAPTURE(text);
      const auto r = report::parse_coverage(text);
      REQUIRE_FALSE(r);
      CHECK_FALSE(report::is_not_a_report(r.error()));
    }
    // Empty results of real writers are reports: coverage.py with nothing measured, Istanbul's {}.
    CHECK(report::parse_coverage("<coverage line-rate='0'><sources/><packages/></coverage>"));
    CHECK(report::parse_coverage("{}"));
    CHECK(report::parse_coverage("<report name='r'/>"));
  }
}
