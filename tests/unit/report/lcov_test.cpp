#include "coverage_test_support.h"
#include "report/lcov.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::lcov") {
  TEST_CASE("gcc with geninfo: lines and branches as lcov --summary counts them") {
    const auto r = report::parse_lcov(coverage_data("gcc-lcov.info"));
    REQUIRE(r);
    CHECK(r->format == "lcov");
    REQUIRE(r->files.size() == 1);
    const auto& f = r->files[0];
    CHECK(f.path == "/work/main/tests/data/coverage/c-sample/sample.c");
    const auto t = totals_of(*r);
    CHECK(t.lines == 14);
    CHECK(t.lines_covered == 10);
    CHECK(t.branches == 12);
    CHECK(t.branches_covered == 8);
    CHECK(hits_at(f, 18) == 4);
    CHECK(hits_at(f, 10) == 0);
  }

  TEST_CASE("coverage.py and c8 tracefiles") {
    const auto py = report::parse_lcov(coverage_data("coveragepy.lcov"));
    REQUIRE(py);
    CHECK(py->files.size() == 2);
    const auto pt = totals_of(*py);
    CHECK(pt.lines == 16);
    CHECK(pt.lines_covered == 12);
    CHECK(pt.branches == 8);
    CHECK(pt.branches_covered == 6);
    const auto js = report::parse_lcov(coverage_data("c8-lcov.info"));
    REQUIRE(js);
    const auto jt = totals_of(*js);
    CHECK(jt.lines == 25);
    CHECK(jt.lines_covered == 20);
    CHECK(jt.branches == 10);
    CHECK(jt.branches_covered == 7);
  }

  TEST_CASE("repeated records for one file sum, and LF/LH are recomputed") {
    const auto r = report::parse_lcov(
        "TN:a\nSF:x.c\nDA:1,0\nDA:2,3\nLF:99\nLH:99\nend_of_record\n"
        "TN:b\nSF:x.c\nDA:1,2\nDA:3,0\nBRDA:3,0,0,-\nBRDA:3,0,1,1\nend_of_record\n"
        "SF:x.c\nBRDA:3,0,0,4\nend_of_record\n");
    REQUIRE(r);
    REQUIRE(r->files.size() == 1);
    const auto& f = r->files[0];
    CHECK(f.lines.size() == 3);
    CHECK(hits_at(f, 1) == 2);
    CHECK(hits_at(f, 2) == 3);
    CHECK(hits_at(f, 3) == 0);
    REQUIRE(f.branches.size() == 2);
    CHECK(f.branches[0].hits == 4); // "-" then 4: taken
    CHECK(f.branches[1].hits == 1);
  }

  TEST_CASE("CRLF line ends, checksums and lcov 2 records are accepted") {
    const auto r = report::parse_lcov(
        "VER:2.0\r\nSF:a.py\r\nFNL:0,1,3\r\nFNA:0,1,f\r\nDA:1,1,abc\r\n"
        "BRDA:2,e0,(x > 1) == True,1\r\nMCDC:2,2,t,1,0,x\r\nDA:2,0\r\nend_of_record\r\n");
    REQUIRE(r);
    const auto t = totals_of(*r);
    CHECK(t.lines == 2);
    CHECK(t.lines_covered == 1);
    CHECK(t.branches == 1);
    CHECK(t.branches_covered == 1);
  }

  TEST_CASE("negative counts count as zero and huge counts saturate") {
    const auto r =
        report::parse_lcov("SF:a\nDA:1,-1\nDA:2,99999999999999999999999\nend_of_record\n");
    REQUIRE(r);
    CHECK(hits_at(r->files[0], 1) == 0);
    CHECK(hits_at(r->files[0], 2) == model::k_max_hits);
  }

  TEST_CASE("a DA before any SF names its line and column") {
    const auto r = report::parse_lcov("TN:\nDA:1,1\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    CHECK(r.error().column == 1);
    CHECK(r.error().message.find("outside a file record") != std::string::npos);
  }

  TEST_CASE("line numbers out of range are errors; line 0 is skipped") {
    const auto huge = report::parse_lcov("SF:a\nDA:1,1\nDA:1099511627776,1\n");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().line == 3);
    CHECK(huge.error().message.find("out of range") != std::string::npos);
    const auto negative = report::parse_lcov("SF:a\nBRDA:-4,0,0,1\n");
    REQUIRE_FALSE(negative);
    CHECK(negative.error().line == 2);
    const auto zero = report::parse_lcov("SF:a\nDA:0,1\nBRDA:0,0,0,1\nDA:1,1\n");
    REQUIRE(zero);
    CHECK(zero->files[0].lines.size() == 1);
    CHECK(zero->files[0].branches.empty());
  }

  TEST_CASE("malformed records are errors") {
    CHECK_FALSE(report::parse_lcov("SF:a\nDA:1\n"));
    CHECK_FALSE(report::parse_lcov("SF:a\nDA:x,1\n"));
    CHECK_FALSE(report::parse_lcov("SF:a\nDA:1,one\n"));
    CHECK_FALSE(report::parse_lcov("SF:a\nBRDA:1,0,1\n"));
    CHECK_FALSE(report::parse_lcov("SF:a\nBRDA:1,0,0,x\n"));
  }
}
