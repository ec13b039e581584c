#include "model/coverage.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

using namespace tollgate::model;

namespace {
FileCoverage file(std::vector<LineHits> lines, std::vector<BranchHits> branches = {}) {
  FileCoverage f;
  f.path = "a.c";
  f.lines = std::move(lines);
  f.branches = std::move(branches);
  f.normalize();
  return f;
}
} // namespace

TEST_SUITE("model::coverage") {
  TEST_CASE("normalize sorts and sums repeated lines and branches") {
    const auto f = file({{3, 1}, {1, 0}, {3, 2}}, {{2, 0, 1, 0}, {2, 0, 0, 1}, {2, 0, 1, 5}});
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].line == 1);
    CHECK(f.lines[1].hits == 3);
    REQUIRE(f.branches.size() == 2);
    CHECK(f.branches[1].hits == 5);
  }

  TEST_CASE("normalize gives the same lines for one run, two runs in order, and any order") {
    // Two runs in order are merged rather than sorted; the result must be the sort's. Random
    // lists of each kind, with repeated lines, against a map of line to summed hits.
    std::mt19937 rng(18);
    for (int round = 0; round < 300; ++round) {
      const int runs = 1 + round % 4; // one run (in order), two (merged), three or four (sorted)
      std::vector<LineHits> lines;
      std::map<uint32_t, uint32_t> want;
      for (int r = 0; r < runs; ++r) {
        const size_t n = rng() % 40;
        std::vector<uint32_t> run;
        for (size_t i = 0; i < n; ++i) run.push_back(1 + rng() % 50);
        std::sort(run.begin(), run.end());
        for (const uint32_t line : run) {
          const uint32_t hits = rng() % 3;
          lines.push_back({line, hits});
          want[line] += hits;
        }
      }
      const auto f = file(lines);
      REQUIRE(f.lines.size() == want.size());
      size_t i = 0;
      for (const auto& [line, hits] : want) {
        CHECK(f.lines[i].line == line);
        CHECK(f.lines[i].hits == hits);
        ++i;
      }
    }
  }

  TEST_CASE("merge: hits add, executable if either says so, branches merge per line") {
    auto a = file({{1, 0}, {2, 1}}, {{2, 0, 0, 0}, {2, 0, 1, 1}});
    const auto b = file({{1, 4}, {5, 0}}, {{2, 0, 0, 3}});
    a.merge(b);
    REQUIRE(a.lines.size() == 3);
    CHECK(a.find_line(1)->hits == 4);
    CHECK(a.find_line(5)->hits == 0);
    CHECK(a.find_line(3) == nullptr);
    const auto c = count_coverage(a);
    CHECK(c.lines_covered == 2);
    CHECK(c.branches == 2);
    CHECK(c.branches_covered == 2);
  }

  TEST_CASE("hits saturate instead of wrapping") {
    const auto f = file({{1, k_max_hits}, {1, 7}});
    CHECK(f.lines[0].hits == k_max_hits);
  }

  TEST_CASE("percentages are 100 when there is nothing to cover") {
    CoverageCounts c;
    CHECK(c.line_pct() == 100);
    c.lines = 3;
    c.lines_covered = 1;
    CHECK(c.line_pct() == doctest::Approx(33.333333333));
  }
}
