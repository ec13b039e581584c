#include "coverage_test_support.h"
#include "report/coverage_py.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::coverage_py") {
  TEST_CASE("executed and missing lines, arcs as branches, as coverage.py's own LCOV counts them") {
    const auto r = report::parse_coverage_py(coverage_data("coveragepy.json"));
    REQUIRE(r);
    CHECK(r->format == "coveragepy");
    REQUIRE(r->files.size() == 2);
    const auto t = totals_of(*r);
    CHECK(t.lines == 16);
    CHECK(t.lines_covered == 12);
    CHECK(t.branches == 8);
    CHECK(t.branches_covered == 6);
    const auto& f = file_named(*r, "shop/pricing.py");
    CHECK(hits_at(f, 17) == 0);
    // Line 14 (the for loop) has two arcs: into the body (taken) and out of the loop (missed).
    const auto c = model::count_coverage(f);
    CHECK(c.branches == 8);
  }

  TEST_CASE("a report without files is an error") {
    const auto r = report::parse_coverage_py(R"({"meta":{}})");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("files") != std::string::npos);
  }

  TEST_CASE("negative lines are errors; exits (negative destinations) are arcs") {
    CHECK_FALSE(report::parse_coverage_py(R"({"files":{"a.py":{"executed_lines":[-2]}}})"));
    const auto r = report::parse_coverage_py(
        R"({"files":{"a.py":{"executed_lines":[1],"missing_branches":[[1,-1]],"executed_branches":[[1,2]]}}})");
    REQUIRE(r);
    CHECK(r->files[0].branches.size() == 2);
  }
}
