#include "coverage_test_support.h"
#include "report/go_cover.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::go_cover") {
  TEST_CASE("duplicate blocks add; a line takes the largest count of its blocks") {
    const auto r = report::parse_go_cover(coverage_data("go-cover.out"));
    REQUIRE(r);
    CHECK(r->format == "go");
    REQUIRE(r->files.size() == 3);
    const auto& p = file_named(*r, "example.com/shop/pricing/pricing.go");
    CHECK(p.lines.size() == 8);
    CHECK(hits_at(p, 5) == 5);
    CHECK(hits_at(p, 6) == 5);
    CHECK(hits_at(p, 7) == 1);
    CHECK(hits_at(p, 13) == 0);
    CHECK(file_named(*r, "example.com/shop/pricing/empty.go").lines.empty());
    const auto t = totals_of(*r);
    CHECK(t.lines == 11);
    CHECK(t.lines_covered == 8);
    CHECK(t.branches == 0);
  }

  TEST_CASE("set mode ORs duplicate blocks") {
    const auto r = report::parse_go_cover("mode: set\na.go:1.1,2.2 1 1\na.go:1.1,2.2 1 1\n");
    REQUIRE(r);
    CHECK(hits_at(r->files[0], 1) == 1);
  }

  TEST_CASE("malformed lines name their line") {
    const auto r = report::parse_go_cover("mode: count\na.go:1.1,2.2 1 1\na.go:1.1 1 1\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 3);
    CHECK_FALSE(report::parse_go_cover("a.go:1.1,2.2 1 1\n"));
    CHECK_FALSE(report::parse_go_cover("mode: count\na.go:5.1,2.2 1 1\n"));
  }

  TEST_CASE("a block spanning two billion lines is refused, not expanded") {
    const auto r = report::parse_go_cover("mode: set\na.go:1.1,2147483647.2 1 1\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("hostile") != std::string::npos);
    CHECK_FALSE(report::parse_go_cover("mode: set\na.go:1.1,1099511627776.2 1 1\n"));
  }
}
