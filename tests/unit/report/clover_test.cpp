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

  TEST_CASE("every layout the writers produce is read: nested packages, files beside packages, "
            "OpenClover's testproject") {
    // Older Istanbul: project/metrics, then packages inside packages.
    const auto old_istanbul = report::parse_coverage(
        "<coverage generated='1' clover='3.2.0'><project timestamp='1' name='All files'>"
        "<metrics statements='3'/><package name='src'><metrics/><package name='src.lib'>"
        "<metrics/><file name='a.js' path='/w/src/lib/a.js'><metrics/>"
        "<line num='1' count='1' type='stmt'/><line num='2' count='0' type='cond' truecount='1' "
        "falsecount='1'/></file></package></package></project></coverage>");
    REQUIRE(old_istanbul);
    CHECK(old_istanbul->format == "clover");
    const auto t = totals_of(*old_istanbul);
    CHECK(t.lines == 2);
    CHECK(t.branches == 2);
    CHECK(t.branches_covered == 1);

    // PHPUnit: a file without a namespace straight under project, one in a package, classes in
    // files; no clover attribute.
    const auto phpunit = report::parse_coverage(
        "<?xml version='1.0'?><coverage generated='1'><project timestamp='1'>"
        "<file name='/w/src/a.php'><class name='A'><metrics/></class>"
        "<line num='3' type='method' name='f' count='1'/><line num='4' type='stmt' count='1'/>"
        "<metrics loc='5'/></file><package name='App'><file name='/w/src/B.php'>"
        "<class name='B' namespace='App'><metrics/></class>"
        "<line num='7' type='stmt' count='0'/></file></package><metrics files='2'/></project>"
        "</coverage>");
    REQUIRE(phpunit);
    CHECK(phpunit->files.size() == 2);
    CHECK(totals_of(*phpunit).lines == 2);

    // OpenClover (Java): test sources under <testproject>.
    const auto openclover = report::parse_coverage(
        "<coverage clover='4.5.2' generated='1'><project name='p'><metrics/><package name='a'>"
        "<file name='A.java' path='/w/src/main/java/a/A.java'><class name='A'/>"
        "<line num='5' count='3' type='stmt'/></file></package></project>"
        "<testproject name='p'><package name='a'><file name='ATest.java' "
        "path='/w/src/test/java/a/ATest.java'><line num='9' count='1' type='stmt'/></file>"
        "</package></testproject></coverage>");
    REQUIRE(openclover);
    CHECK(openclover->files.size() == 2);
  }

  TEST_CASE("real nested layouts: nyc with istanbul-lib-report's nested summarizer, istanbul 0.4") {
    // nyc's text report of the same run: Lines 89.47% (17 of 19), Branches 65% (13 of 20); the
    // project <metrics> of both files say conditionals 20, covered 13.
    const auto nested = report::parse_coverage(coverage_data("nyc-nested-clover.xml"));
    REQUIRE(nested);
    CHECK(nested->files.size() == 4); // lib/deep/round.js sits in a package in a package
    auto t = totals_of(*nested);
    CHECK(t.lines == 19);
    CHECK(t.lines_covered == 17);
    CHECK(t.branches == 20);
    CHECK(t.branches_covered == 13);

    const auto old = report::parse_coverage(coverage_data("istanbul-0.4-clover.xml"));
    REQUIRE(old);
    CHECK(old->files.size() == 4);
    t = totals_of(*old);
    CHECK(t.branches == 20);
    CHECK(t.branches_covered == 13);
  }
}
