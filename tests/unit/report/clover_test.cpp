#include "coverage_test_support.h"
#include "report/clover.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::clover") {
  TEST_CASE("Istanbul's clover: stmt and cond lines, covered/uncovered branch counts") {
    const auto r = report::parse_clover(coverage_data("c8-clover.xml"));
    REQUIRE(r);
    CHECK(r->format == "clover");
    REQUIRE(r->files.size() == 2);
    CHECK(r->files[0].path == "/work/main/tests/data/coverage/js-sample/cart.js");
    const auto t = totals_of(*r);
    CHECK(t.lines == 25);
    CHECK(t.lines_covered == 20);
    CHECK(t.branches == 10);
    CHECK(t.branches_covered == 7);
  }

  TEST_CASE("OpenClover: method lines are not executable; cond lines are two branches") {
    const auto r = report::parse_clover(
        "<coverage clover='4.5.2'><project><package name='p'><file name='A.java' path='src/A.java'>"
        "<line num='3' count='2' type='method'/><line num='4' count='2' type='stmt'/>"
        "<line num='5' type='cond' truecount='2' falsecount='0'/><line num='7' count='0' "
        "type='stmt'/>"
        "</file></package></project></coverage>");
    REQUIRE(r);
    REQUIRE(r->files.size() == 1);
    CHECK(r->files[0].path == "src/A.java");
    const auto c = model::count_coverage(r->files[0]);
    CHECK(c.lines == 3);
    CHECK(c.lines_covered == 2);
    CHECK(c.branches == 2);
    CHECK(c.branches_covered == 1);
    CHECK(r->files[0].find_line(5)->hits == 2);
  }
}
