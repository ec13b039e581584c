#include "gate/tests_gate.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::gate {

TestTotals count_tests(const std::vector<model::TestRun>& runs) {
  TestTotals t;
  for (const auto& run : runs) {
    const bool folded = run.passed.on;
    if (folded) { // the fold added every case's duration in the report's order
      t.tests += run.passed.count;
      t.passed += run.passed.count;
      t.duration_s = add_duration(t.duration_s, run.passed.duration_s);
    }
    for (const auto& c : run.cases) {
      t.tests += c.count;
      if (!folded) t.duration_s = add_duration(t.duration_s, c.duration_s);
      switch (c.status) {
      case model::TestStatus::passed: t.passed += c.count; break;
      case model::TestStatus::failed: t.failed += c.count; break;
      case model::TestStatus::errored: t.errors += c.count; break;
      case model::TestStatus::skipped: t.skipped += c.count; break;
      case model::TestStatus::flaky: t.flaky += c.count; break;
      }
    }
  }
  return t;
}

std::vector<model::Gate> decide_tests(const TestTotals& t, const TestGateOptions& o) {
  std::vector<model::Gate> gates;
  if (o.fail_on == FailOn::failed) {
    const auto bad = static_cast<double>(t.failed + t.errors);
    gates.push_back(
        {k_gate_failed, 0, bad, bad == 0, "failed or errored tests (--fail-on failed)"});
  } else if (o.fail_on == FailOn::errors) {
    const auto bad = static_cast<double>(t.errors);
    gates.push_back({k_gate_errored, 0, bad, bad == 0, "errored tests (--fail-on errors)"});
  }
  if (o.min_tests > 0) {
    const auto ran = static_cast<double>(t.tests - t.skipped);
    gates.push_back({k_gate_min_tests, static_cast<double>(o.min_tests), ran,
                     ran >= static_cast<double>(o.min_tests),
                     "tests that ran, skipped ones not counted (--min-tests)"});
  }
  if (t.tests == 0 && !o.allow_empty) {
    gates.push_back({k_gate_empty, 1, 0, false,
                     "the reports hold no test case (--allow-empty lets that pass)"});
  }
  return gates;
}

namespace {

// What a failed gate says in the title; the failed and errored counts speak for their own gates.
std::string failed_gate_words(const model::Gate& g) {
  if (g.name == k_gate_min_tests)
    return fmt::format("minimum tests not met: {} ran, {} required",
                       static_cast<long long>(g.actual), static_cast<long long>(g.threshold));
  if (g.name == k_gate_empty) return "no tests found";
  return fmt::format("{} failed", g.name);
}

} // namespace

std::string tests_title(const TestTotals& t, const std::vector<model::Gate>& gates) {
  std::string named;
  for (const auto& g : gates) {
    if (g.passed || g.name == k_gate_failed || g.name == k_gate_errored) continue;
    named += (named.empty() ? "" : "; ") + failed_gate_words(g);
  }
  const bool all_gates_passed =
      std::all_of(gates.begin(), gates.end(), [](const auto& g) { return g.passed; });
  std::string title = fmt::format("{} test{}", t.tests, t.tests == 1 ? "" : "s");
  if (t.failed) title += fmt::format(", {} failed", t.failed);
  if (t.errors) title += fmt::format(", {} error{}", t.errors, t.errors == 1 ? "" : "s");
  if (t.flaky) title += fmt::format(", {} flaky", t.flaky);
  if (t.skipped) title += fmt::format(", {} skipped", t.skipped);
  if (!t.failed && !t.errors && t.tests)
    title += all_gates_passed ? ", all passed" : fmt::format(", {} passed", t.passed);
  return named.empty() ? title : named + " — " + title;
}

} // namespace tollgate::gate
