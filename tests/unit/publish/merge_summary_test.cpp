#include <doctest/doctest.h>

#include "publish/json_result.h"
#include "publish/merge_json.h"
#include "publish/merge_summary.h"
#include "report/leg_result.h"

using namespace tollgate;

namespace {

model::LegResult leg(std::string name, bool passed, std::string title) {
  model::LegResult l;
  l.command = "tests";
  l.check_name = std::move(name);
  l.passed = passed;
  l.conclusion = passed ? model::Conclusion::success : model::Conclusion::failure;
  l.title = std::move(title);
  l.tests = model::LegTestCounts{3, passed ? 3u : 2u, passed ? 0u : 1u, 0, 0, 0, 0.5};
  return l;
}

} // namespace

TEST_SUITE("publish::merge_summary") {
  TEST_CASE("legs table, totals, gates and shared failures with their legs, escaped") {
    const std::vector<model::LegResult> legs = {leg("Tests (linux | @octo)", true, "3 tests, all passed"),
                                                leg("Tests (mac)", false, "3 tests, 1 failed")};
    model::Finding f;
    f.path = "src/a.py";
    f.start_line = 3;
    f.title = "t › <script>";
    f.message = "assert 1 == 2\nmore";
    const std::vector<gate::SharedFinding> findings = {{f, {"Tests (mac)", "Tests (linux | @octo)"}, 2}};
    const std::vector<model::Gate> gates = {{"failed legs", 0, 1, false, ""}};
    publish::MergeSummaryInput in;
    in.legs = &legs;
    in.findings = &findings;
    in.tests = gate::sum_tests(legs);
    in.gates = &gates;
    in.options.links = {"https://github.example", "o/r", std::string(40, 'a'), "7", "1"};
    const std::string md = publish::merge_summary(in);
    // One row per leg, a column per command; the leg's own verdict.
    CHECK(md.find("| Leg | Tests |\n|---|---|\n") != std::string::npos);
    CHECK(md.find("| mac | ❌ 3 tests, 1 failed |") != std::string::npos);
    CHECK(md.find("| 6 | 5 | 1 | 0 | 0 | 0 | 1.00 s |") != std::string::npos);
    CHECK(md.find("| failed legs | 0 | 1 | ❌ failed |") != std::string::npos);
    // What broke comes first, with its message and a link to its line at the commit.
    CHECK(md.find("#### Failures (1 distinct, 1 in several legs)") == 0);
    CHECK(md.find("- `t › <script>` — assert 1 == 2 · [`src/a.py:3`](https://github.example/o/r/blob/" +
                  std::string(40, 'a') + "/src/a.py#L3) · 2 of 2 legs") != std::string::npos);
    CHECK(md.find("#### Failures") < md.find("| Leg |"));
    CHECK(md.find("<script>") == md.find("`t › <script>`") + std::string("`t › ").size()); // only in the code span
    CHECK(md.find("@octo") == std::string::npos); // mentions are broken
    CHECK(publish::shared_finding_message(findings[0]) ==
          "In 2 of 2 legs: Tests (mac), Tests (linux | @octo)\n\nassert 1 == 2\nmore");
  }

  TEST_CASE("results of two commands in one leg share its row; a merged coverage leg shows no verdict") {
    auto tests = leg("Tests (3.12)", true, "3 tests, all passed");
    auto coverage = leg("Coverage (3.12)", true, "Coverage 53.3%");
    coverage.command = "coverage";
    coverage.tests.reset();
    auto other = leg("Tests (3.13)", true, "3 tests, all passed");
    const std::vector<model::LegResult> legs = {tests, coverage, other};
    const std::vector<gate::SharedFinding> none;
    publish::MergeSummaryInput in;
    in.legs = &legs;
    in.findings = &none;
    in.coverage_merged = true;
    const std::string md = publish::merge_summary(in);
    INFO(md);
    CHECK(md.find("| Leg | Tests | Coverage |\n|---|---|---|\n") != std::string::npos);
    CHECK(md.find("| 3\\.12 | ✅ 3 tests, all passed | Coverage 53.3% (this leg) |") != std::string::npos);
    CHECK(md.find("| 3\\.13 | ✅ 3 tests, all passed | — |") != std::string::npos);
    CHECK(md.find("✅ Coverage") == std::string::npos);
    CHECK(publish::leg_label(coverage) == "3.12");
  }

  TEST_CASE("with a tests baseline the newly failing finding is told from the one that already failed") {
    const std::vector<model::LegResult> legs = {leg("Tests (mac)", false, "3 tests, 2 failed")};
    model::Finding broken, old;
    broken.title = "t › broken";
    old.title = "t › old";
    const std::vector<gate::SharedFinding> findings = {{broken, {"Tests (mac)"}, 1}, {old, {"Tests (mac)"}, 1}};
    report::TestsBaseline base;
    base.tests = 3;
    base.passed = 2;
    base.failing = {"t › old"};
    publish::MergeSummaryInput in;
    in.legs = &legs;
    in.findings = &findings;
    in.tests = gate::sum_tests(legs);
    in.tests_baseline = &base;
    const std::string md = publish::merge_summary(in);
    CHECK(md.rfind("**1 newly failing** · 1 already failing on the base", 0) == 0);
    CHECK(md.find("`t › broken` · 1 of 1 legs: Tests \\(mac\\) · *new*") != std::string::npos);
    CHECK(md.find("`t › old` · 1 of 1 legs: Tests \\(mac\\) · *already failing on the base*") != std::string::npos);
  }

  TEST_CASE("a merged result can be merged again: its JSON reads back as a leg") {
    std::vector<model::LegResult> legs = {leg("Tests (a)", true, "ok")};
    gate::MergedLegCoverage coverage;
    model::FileCoverage file;
    file.path = "src/a.py";
    file.lines = {{1, 2}, {2, 0}};
    file.branches = {{1, 0, 0, 1}};
    coverage.files = {file};
    coverage.totals = model::count_coverage(file);
    const std::vector<gate::SharedFinding> none;
    model::Outcome outcome;
    outcome.command = "merge";
    outcome.check_name = "Tests + Coverage (all legs)";
    outcome.write_json_extra = [&](util::JsonWriter& w) {
      publish::MergeJsonInput in;
      in.legs = &legs;
      in.findings = &none;
      in.tests = gate::sum_tests(legs);
      in.coverage = &coverage;
      publish::write_merge_json(w, in);
    };
    const auto back = report::parse_leg_result(publish::result_json(outcome));
    REQUIRE(back);
    CHECK(back->command == "merge");
    REQUIRE(back->tests);
    CHECK(back->tests->tests == 3);
    REQUIRE(back->coverage);
    REQUIRE(back->coverage->size() == 1);
    CHECK((*back->coverage)[0].lines.size() == 2);
    CHECK((*back->coverage)[0].branches.size() == 1);
  }
}
