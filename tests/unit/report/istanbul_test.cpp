#include "coverage_test_support.h"
#include "report/istanbul.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::istanbul") {
  TEST_CASE("c8's coverage-final.json agrees with its lcov output") {
    const auto r = report::parse_istanbul(coverage_data("c8-coverage-final.json"));
    REQUIRE(r);
    CHECK(r->format == "istanbul");
    REQUIRE(r->files.size() == 2);
    const auto t = totals_of(*r);
    CHECK(t.lines == 25);
    CHECK(t.lines_covered == 20);
    CHECK(t.branches == 10);
    CHECK(t.branches_covered == 7);
    CHECK(hits_at(file_named(*r, "/work/main/tests/data/coverage/js-sample/cart.js"), 3) == 2);
  }

  TEST_CASE("a line's hits are the most any statement starting on it ran") {
    const auto r = report::parse_istanbul(R"({"a.js":{"path":"src/a.js",
      "statementMap":{"0":{"start":{"line":1,"column":0},"end":{"line":1,"column":5}},
                      "1":{"start":{"line":1,"column":6},"end":{"line":3,"column":1}},
                      "2":{"start":{"line":4,"column":0},"end":{"line":4,"column":9}}},
      "s":{"0":1,"1":7,"2":0},
      "branchMap":{"0":{"loc":{"start":{"line":4,"column":0},"end":{"line":4,"column":9}},"type":"if","locations":[{},{}]}},
      "b":{"0":[0,2]}}})");
    REQUIRE(r);
    const auto& f = r->files[0];
    CHECK(f.path == "src/a.js");
    CHECK(f.lines.size() == 2);
    CHECK(hits_at(f, 1) == 7);
    CHECK(hits_at(f, 4) == 0);
    REQUIRE(f.branches.size() == 2);
    CHECK(f.branches[0].line == 4);
    CHECK(f.branches[1].hits == 2);
  }

  TEST_CASE("null counters are read as istanbul-lib-coverage reads them: a branch that never ran") {
    // computeBranchTotals: every entry of a `b` array is a branch, covered when `hits > 0`;
    // computeSimpleTotals: a statement is covered when `!!v`.
    const auto r = report::parse_istanbul(R"({"a.js":{"path":"a.js",
      "statementMap":{"0":{"start":{"line":1,"column":0},"end":{"line":1,"column":5}},
                      "1":{"start":{"line":2,"column":0},"end":{"line":2,"column":5}}},
      "s":{"0":null,"1":3},"fnMap":{},"f":{},
      "branchMap":{"0":{"loc":{"start":{"line":2,"column":0},"end":{"line":2,"column":9}},"type":"if","locations":[{},{},{}]}},
      "b":{"0":[null,2,0]}}})");
    REQUIRE(r);
    const auto c = model::count_coverage(r->files[0]);
    CHECK(c.lines == 2);
    CHECK(c.lines_covered == 1);
    CHECK(c.branches == 3);
    CHECK(c.branches_covered == 1);
  }

  TEST_CASE("errors name the file entry") {
    const auto r = report::parse_istanbul(
        R"({"a.js":{"statementMap":{"0":{"start":{"line":-1}}},"s":{"0":1}}})");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("\"a.js\"") == 0);
    const auto bad = report::parse_istanbul("{\"a.js\": [1,2");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().line == 1);
  }

  TEST_CASE("a UTF-8 sequence cut at the end of the input is an error (fuzz regression)") {
    const auto r = report::parse_istanbul(std::string("{\"a.js\": \"\xE2"));
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 1);
  }

  TEST_CASE("deep nesting is an error, not a stack overflow") {
    const auto r = report::parse_istanbul(std::string(100000, '[') + std::string(100000, ']'));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("nesting") != std::string::npos);
  }
}
