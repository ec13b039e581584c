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
    CHECK(xml.error().message.find("<testsuites>") == 0);
  }

  TEST_CASE("a byte order mark is skipped") {
    const auto r = report::parse_coverage("\xEF\xBB\xBFSF:a\nDA:1,1\nend_of_record\n");
    REQUIRE(r);
    CHECK(r->files.size() == 1);
  }
}
