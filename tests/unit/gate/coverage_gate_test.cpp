#include "gate/coverage_gate.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::gate;

namespace {
model::FileCoverage file(std::string path, std::vector<model::LineHits> lines) {
  model::FileCoverage f;
  f.path = std::move(path);
  f.lines = std::move(lines);
  f.normalize();
  return f;
}

const model::Gate& gate_named(const CoverageDecision& d, const std::string& name) {
  for (const auto& g : d.gates)
    if (g.name == name) return g;
  FAIL("no gate " << name);
  return d.gates.front();
}
} // namespace

TEST_SUITE("gate::coverage_gate") {
  TEST_CASE("patch counts only executable changed lines and groups uncovered ones") {
    // Lines 20..26: 20 covered, 21 and 23 uncovered with 22 not executable, 24 covered, 25-26
    // uncovered.
    const std::vector<model::FileCoverage> files = {
        file("a.py", {{20, 1}, {21, 0}, {23, 0}, {24, 1}, {25, 0}, {26, 0}, {30, 0}})};
    const model::ChangedLineMap changed = {{"a.py", {20, 21, 22, 23, 24, 25, 26, 27}},
                                           {"docs.md", {1, 2}}};
    const auto p = compute_patch(files, changed);
    CHECK(p.changed_lines == 10);
    CHECK(p.lines == 6);
    CHECK(p.lines_covered == 2);
    REQUIRE(p.files.size() == 1);
    CHECK(p.files[0].uncovered == std::vector<uint32_t>{21, 23, 25, 26});
    CHECK(p.files[0].ranges == std::vector<std::pair<uint32_t, uint32_t>>{{21, 23}, {25, 26}});
    const auto findings = uncovered_findings(p, model::Level::warning);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].message == "Lines 21–23 are not covered by tests");
    CHECK(findings[0].start_line == 21);
    CHECK(findings[0].end_line == 23);
    CHECK(findings[1].level == model::Level::warning);
  }

  TEST_CASE("gates: thresholds, per-path overrides, patch and drop") {
    const std::vector<model::FileCoverage> files = {
        file("src/a.c", {{1, 1}, {2, 1}, {3, 0}, {4, 0}}), file("gen/b.c", {{1, 0}, {2, 1}}),
        file("src/c.c", {{1, 1}})};
    model::CoverageCounts totals;
    for (const auto& f : files)
      totals += model::count_coverage(f);
    PatchCoverage patch;
    patch.lines = 4;
    patch.lines_covered = 3;
    CoverageGateOptions o;
    o.min_line = 57;
    o.min_branch = 50;
    o.min_file = 60;
    o.file_thresholds = {{"gen/**", 40}};
    o.min_patch = 80;
    o.max_drop = 1;
    o.baseline_line_pct = 60;
    const auto d = decide_coverage(totals, files, &patch, o);
    REQUIRE(d.gates.size() == 5);
    CHECK(gate_named(d, "line coverage").actual == doctest::Approx(100.0 * 4 / 7));
    CHECK(gate_named(d, "line coverage").passed);
    // No branch data: skipped and not measured, never "100% passed".
    CHECK(gate_named(d, "branch coverage").passed);
    CHECK_FALSE(gate_named(d, "branch coverage").measured);
    CHECK_FALSE(gate_named(d, "file coverage").passed);
    REQUIRE(d.files_below.size() == 1);
    CHECK(d.files_below[0].path == "src/a.c");
    CHECK_FALSE(gate_named(d, "patch coverage").passed);
    CHECK(gate_named(d, "coverage drop").actual == doctest::Approx(60 - 100.0 * 4 / 7));
    CHECK_FALSE(gate_named(d, "coverage drop").passed);
  }

  TEST_CASE("no executable changed lines pass the patch gate and say so") {
    PatchCoverage patch;
    CoverageGateOptions o;
    o.min_patch = 90;
    const auto d = decide_coverage({}, {}, &patch, o);
    CHECK(d.gates[0].passed);
    CHECK(d.gates[0].detail.find("no changed executable line was measured") == 0);
  }

  TEST_CASE("--min-branch without branch data and --max-drop without a baseline are not measured") {
    model::CoverageCounts totals;
    totals.lines = 10;
    totals.lines_covered = 9;
    CoverageGateOptions o;
    o.min_branch = 80;
    o.max_drop = 1;
    const auto d = decide_coverage(totals, {}, nullptr, o);
    REQUIRE(d.gates.size() == 2);
    for (const auto& g : d.gates) {
      CHECK_FALSE(g.measured);
      CHECK(g.passed); // skipped by default, like the patch gate
      CHECK(g.detail.find("not measured") != std::string::npos);
    }
    const std::string title = coverage_title(totals, std::nullopt, nullptr, false, &d.gates);
    CHECK(title == "Coverage 90.0% · branches not measured · coverage drop not measured");
  }

  TEST_CASE("reports that measured nothing fail --min-line") {
    CoverageGateOptions o;
    o.min_line = 10;
    const auto d = decide_coverage({}, {}, nullptr, o);
    CHECK_FALSE(d.gates[0].passed);
  }

  TEST_CASE("the title carries the delta and the patch") {
    model::CoverageCounts t;
    t.lines = 1000;
    t.lines_covered = 812;
    PatchCoverage p;
    p.lines = 100;
    p.lines_covered = 93;
    CHECK(coverage_title(t, 81.6, &p) == "Coverage 81.2% (−0.4) · patch 93.0%");
    CHECK(coverage_title(t, 80.0, nullptr) == "Coverage 81.2% (+1.2)");
    CHECK(coverage_title(t, std::nullopt, nullptr) == "Coverage 81.2%");
    CHECK(coverage_title(t, 81.2, &p) == "Coverage 81.2% (±0.0) · patch 93.0%");
  }

  TEST_CASE("a patch that could not be measured is never passed: not measured, skipped or failed") {
    CoverageGateOptions o;
    o.min_patch = 90;
    o.patch_not_measured = "the base 0123456789ab is not in the checkout";
    auto d = decide_coverage({}, {}, nullptr, o);
    REQUIRE(d.gates.size() == 1);
    CHECK_FALSE(d.gates[0].measured);
    CHECK(d.gates[0].passed); // skipped: it does not decide the verdict
    CHECK(d.gates[0].detail.find("not measured: the base 0123456789ab") != std::string::npos);
    o.fail_unmeasured_patch = true;
    d = decide_coverage({}, {}, nullptr, o);
    CHECK_FALSE(d.gates[0].measured);
    CHECK_FALSE(d.gates[0].passed);
  }

  TEST_CASE("--min-patch without any base is not measured either") {
    CoverageGateOptions o;
    o.min_patch = 90;
    const auto d = decide_coverage({}, {}, nullptr, o);
    CHECK_FALSE(d.gates[0].measured);
    CHECK(d.gates[0].detail.find("not measured") != std::string::npos);
  }

  TEST_CASE("the title says when the patch was not measured") {
    model::CoverageCounts t;
    t.lines = 1000;
    t.lines_covered = 812;
    CHECK(coverage_title(t, std::nullopt, nullptr, true) == "Coverage 81.2% · patch not measured");
  }
}
