#include "coverage_test_support.h"
#include "report/jacoco.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::jacoco") {
  TEST_CASE("package paths, ci as hits, mb + cb branches, nested groups") {
    const auto r = report::parse_jacoco(coverage_data("jacoco.xml"));
    REQUIRE(r);
    CHECK(r->format == "jacoco");
    REQUIRE(r->files.size() == 2);
    const auto& cart = file_named(*r, "com/example/shop/Cart.java");
    CHECK(cart.lines.size() == 6);
    CHECK(hits_at(cart, 14) == 5);
    CHECK(hits_at(cart, 12) == 0);
    const auto c = model::count_coverage(cart);
    CHECK(c.lines_covered == 4);
    CHECK(c.branches == 4);
    CHECK(c.branches_covered == 3);
    const auto t = totals_of(*r);
    CHECK(t.lines == 9);
    CHECK(t.lines_covered == 5);
  }

  TEST_CASE("a line without its counters is an error at that line") {
    const auto r =
        report::parse_jacoco("<report name='x'><package name='p'><sourcefile name='A.java'>\n"
                             "<line nr='3' mi='1'/></sourcefile></package></report>");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
  }
}
