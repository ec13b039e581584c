#include "coverage_test_support.h"
#include "report/cobertura.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::testing;

TEST_SUITE("report::cobertura") {
  TEST_CASE("coverage.py: sources, lines and condition-coverage branches") {
    const auto r = report::parse_cobertura(coverage_data("coveragepy-cobertura.xml"));
    REQUIRE(r);
    CHECK(r->format == "cobertura");
    CHECK(r->source_roots == std::vector<std::string>{"/work/main/tests/data/coverage/py-sample"});
    REQUIRE(r->files.size() == 2);
    const auto t = totals_of(*r);
    CHECK(t.lines == 15); // coverage.py's Cobertura leaves out the docstring its JSON lists
    CHECK(t.lines_covered == 11);
    CHECK(t.branches == 8);
    CHECK(t.branches_covered == 6);
    const auto& f = file_named(*r, "shop/pricing.py");
    CHECK(hits_at(f, 8) == 0);
    CHECK(hits_at(f, 7) == 1);
  }

  TEST_CASE("gcovr: branch counts from condition-coverage") {
    const auto r = report::parse_cobertura(coverage_data("gcovr-cobertura.xml"));
    REQUIRE(r);
    CHECK(r->source_roots == std::vector<std::string>{"c-sample"});
    const auto t = totals_of(*r);
    CHECK(t.lines == 14);
    CHECK(t.lines_covered == 10);
    CHECK(t.branches == 12);
    CHECK(t.branches_covered == 8);
    CHECK(hits_at(file_named(*r, "sample.c"), 18) == 4);
  }

  TEST_CASE("c8: method lines under <methods> are not counted twice") {
    const auto r = report::parse_cobertura(coverage_data("c8-cobertura.xml"));
    REQUIRE(r);
    const auto t = totals_of(*r);
    CHECK(t.lines == 25);
    CHECK(t.lines_covered == 20);
    CHECK(t.branches == 10);
    CHECK(t.branches_covered == 7);
    CHECK(hits_at(file_named(*r, "cart.js"), 3) == 2);
  }

  TEST_CASE("classes of one file merge") {
    const auto r = report::parse_cobertura(
        "<coverage><packages><package><classes>"
        "<class filename='a.py'><lines><line number='1' hits='1'/><line number='2' "
        "hits='0'/></lines></class>"
        "<class filename='a.py'><lines><line number='2' hits='3'/></lines></class>"
        "</classes></package></packages></coverage>");
    REQUIRE(r);
    REQUIRE(r->files.size() == 1);
    CHECK(hits_at(r->files[0], 2) == 3);
  }

  TEST_CASE("bad numbers name the element's line") {
    const auto r = report::parse_cobertura(
        "<coverage><packages><package><classes><class filename='a'>\n<lines>\n"
        "<line number='-3' hits='1'/></lines></class></classes></package></packages></coverage>");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 3);
    const auto hits = report::parse_cobertura(
        "<coverage><packages><package><classes><class filename='a'><lines>"
        "<line number='3' hits='lots'/></lines></class></classes></package></packages></coverage>");
    REQUIRE_FALSE(hits);
    CHECK(hits.error().message == "hits is not a number");
  }

  TEST_CASE("a branch count of 2^40 is refused, not allocated") {
    const auto r = report::parse_cobertura(
        "<coverage><packages><package><classes><class filename='a'><lines>"
        "<line number='1' hits='1' branch='true' condition-coverage='0% (0/1099511627776)'/>"
        "</lines></class></classes></package></packages></coverage>");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("hostile") != std::string::npos);
  }

  TEST_CASE("external entities stay unresolved") {
    const auto r = report::parse_cobertura(
        "<?xml version='1.0'?><!DOCTYPE c [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
        "<coverage><packages><package><classes><class filename='&xxe;'><lines>"
        "<line number='1' hits='1'/></lines></class></classes></package></packages></coverage>");
    REQUIRE(r);
    CHECK(r->files[0].path == "&xxe;");
  }
}
