#include "publish/coverage_summary.h"
#include "publish/limits.h"
#include "util/text.h"

#include <doctest/doctest.h>

using namespace tollgate;

TEST_SUITE("publish::coverage_summary") {
  TEST_CASE("totals, gates, changed files with ranges, outside paths") {
    std::vector<model::FileCoverage> files(1);
    files[0].path = "src/a|b.py";
    files[0].lines = {{1, 1}, {2, 0}, {3, 0}};
    gate::PatchCoverage patch;
    patch.lines = 2;
    patch.lines_covered = 0;
    patch.files.push_back({"src/a|b.py", 2, 0, {2, 3}, {{2, 3}}});
    const std::vector<std::string> outside = {"/usr/lib/@evil/<x>.py"};
    const std::vector<gate::FileBelow> below;
    const std::vector<model::Gate> gates = {{"patch coverage", 80, 0, false, ""}};
    publish::CoverageSummaryInput in;
    in.totals = model::count_coverage(files[0]);
    in.patch = &patch;
    in.files = &files;
    in.outside = &outside;
    in.files_below = &below;
    in.gates = &gates;
    in.base = "origin/main";
    const std::string md = publish::coverage_summary(in);
    CHECK(md.find("| Lines | 1 | 3 | 33.3% |") != std::string::npos);
    CHECK(md.find("| Changed lines (vs <code>origin/main</code>) | 0 | 2 | 0.0% |") !=
          std::string::npos);
    CHECK(md.find("| patch coverage | 80 | 0 | ❌ failed |") != std::string::npos);
    CHECK(md.find("<code>src/a&#124;b.py</code> | 33.3% | 0 / 2 | 2–3 |") != std::string::npos);
    CHECK(md.find("<x>") == std::string::npos);
    CHECK(md.find("1 report path(s) name no file of the repository") != std::string::npos);
  }

  TEST_CASE("thousands of changed files stay under the check run limit") {
    std::vector<model::FileCoverage> files;
    gate::PatchCoverage patch;
    for (int i = 0; i < 5000; ++i) {
      const std::string path = "src/" + std::string(150, 'x') + std::to_string(100000 + i) + ".c";
      model::FileCoverage f;
      f.path = path;
      f.lines = {{1, 0}};
      files.push_back(f);
      patch.files.push_back({path, 1, 0, {1}, {{1, 1}}});
    }
    const std::vector<std::string> outside(5000, std::string(250, 'o'));
    publish::CoverageSummaryInput in;
    in.patch = &patch;
    in.files = &files;
    in.outside = &outside;
    const std::string md = publish::coverage_summary(in);
    CHECK(util::utf8_length(md) < publish::k_check_output_chars);
    CHECK(md.find("more changed files") != std::string::npos);
  }

  TEST_CASE("a patch that was not measured says so first, and its gate is not passed") {
    model::Gate g{"patch coverage", 80, 0, true, "changed lines not measured"};
    g.measured = false;
    const std::vector<model::Gate> gates = {g};
    const std::vector<model::FileCoverage> files;
    publish::CoverageSummaryInput in;
    in.files = &files;
    in.gates = &gates;
    in.patch_not_measured = "git fetch failed: fatal: <b>@someone</b>\n# heading";
    const std::string md = publish::coverage_summary(in);
    CHECK(md.rfind("> **Patch coverage: not measured** — ", 0) == 0);
    CHECK(md.find("skipped, not passed") != std::string::npos);
    CHECK(md.find("| patch coverage | 80 | — | ⚪ not measured (skipped) |") != std::string::npos);
    CHECK(md.find("✅") == std::string::npos);
    CHECK(md.find("<b>") == std::string::npos);
    CHECK(md.find("@someone") == std::string::npos);
    CHECK(md.find("\n#") == std::string::npos);
  }
}
