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
    const std::string md = publish::merge_summary(in);
    CHECK(md.find("| Tests \\(mac\\) | ❌ failure | 3 tests, 1 failed |") != std::string::npos);
    CHECK(md.find("| 6 | 5 | 1 | 0 | 0 | 0 | 1.00 s |") != std::string::npos);
    CHECK(md.find("| failed legs | 0 | 1 | ❌ failed |") != std::string::npos);
    CHECK(md.find("#### Findings (1 distinct, 1 in several legs)") != std::string::npos);
    CHECK(md.find("<b>t › &lt;script&gt;</b> — assert 1 == 2 (<code>src/a.py:3</code>) — 2 of 2 legs") != std::string::npos);
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("@octo") == std::string::npos); // mentions are broken
    CHECK(publish::shared_finding_message(findings[0]) ==
          "In 2 of 2 legs: Tests (mac), Tests (linux | @octo)\n\nassert 1 == 2\nmore");
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
