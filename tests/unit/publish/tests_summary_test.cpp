#include <doctest/doctest.h>

#include "publish/tests_summary.h"

using namespace tollgate;

namespace {
const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";

model::TestCase test(std::string name, model::TestStatus status, std::string message = "") {
  model::TestCase t;
  t.classname = "pkg.test_mod";
  t.name = std::move(name);
  t.status = status;
  t.message = std::move(message);
  return t;
}
} // namespace

TEST_SUITE("publish::tests_summary") {
  TEST_CASE("the failures come first, grouped by file, with message, line link and what changed") {
    const auto broken = test("test_new", model::TestStatus::failed, "assert 1 == 2");
    const auto old = test("test_old", model::TestStatus::failed, "boom");
    report::TestsBaseline base;
    base.tests = 39;
    base.passed = 38;
    base.failing = {"pkg.test_mod › test_old", "pkg.test_mod › test_gone"};
    publish::TestsSummaryInput in;
    in.totals = {40, 38, 2, 0, 0, 0, 1.5};
    in.failures = {{&broken, "tests/test_mod.py", 12, publish::FailureChange::new_failure},
                   {&old, "tests/test_mod.py", 20, publish::FailureChange::already_failing}};
    in.baseline = &base;
    in.options.links = {"https://github.com", "o/r", k_sha, "5", "1"};
    const std::string md = publish::tests_summary(in);
    INFO(md);
    CHECK(md.rfind("**1 newly failing** · 1 already failing on the base · 1 no longer failing · 40 tests (+1 vs the "
                   "base), 38 passed (±0)\n\n#### Failing tests (2)\n\n",
                   0) == 0);
    const std::string file = "https://github.com/o/r/blob/" + k_sha + "/tests/test_mod.py";
    CHECK(md.find("[`tests/test_mod.py`](" + file + ") · `pkg.test_mod › `…\n\n") != std::string::npos);
    CHECK(md.find("- `test_new` — assert 1 == 2 · [line 12](" + file + "#L12) · *new*\n") != std::string::npos);
    CHECK(md.find("- `test_old` — boom · [line 20](" + file + "#L20) · *already failing on the base*\n") !=
          std::string::npos);
    CHECK(md.find("| Tests | Passed | Failed | Errors | Skipped | Flaky | Duration |") > md.find("`test_old`"));
    CHECK(md.find("✅") == std::string::npos); // no emoji in the totals
  }

  TEST_CASE("slowest tests only for a suite large enough; none lists only the totals") {
    auto slow = test("test_slow", model::TestStatus::passed);
    slow.duration_s = 3;
    const auto failed = test("test_x", model::TestStatus::failed, "bad");
    publish::TestsSummaryInput in;
    in.totals = {12, 11, 1, 0, 0, 0, 4};
    in.failures = {{&failed, "", 0, {}}};
    in.slowest = {&slow};
    CHECK(publish::tests_summary(in).find("Slowest") == std::string::npos);
    in.totals.tests = publish::k_slowest_min_tests;
    CHECK(publish::tests_summary(in).find("<details><summary>Slowest tests (1 of 50)</summary>") != std::string::npos);
    in.options.list = publish::SummaryList::none;
    const std::string none = publish::tests_summary(in);
    CHECK(none.find("test_x") == std::string::npos);
    CHECK(none.rfind("| Tests |", 0) == 0);
  }

  TEST_CASE("all lists every suite") {
    publish::TestsSummaryInput in;
    in.totals = {3, 3, 0, 0, 0, 0, 1};
    in.suites = {{"pytest", 3, 0, 1, 1.0}};
    in.options.list = publish::SummaryList::all;
    CHECK(publish::tests_summary(in).find("- `pytest` — 3 tests, 1 skipped · 1.00 s") != std::string::npos);
  }
}
