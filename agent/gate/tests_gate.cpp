#include "gate/tests_gate.h"

#include <fmt/format.h>

namespace tollgate::gate {

TestTotals count_tests(const std::vector<model::TestRun>& runs) {
  TestTotals t;
  for (const auto& run : runs) {
    for (const auto& c : run.cases) {
      ++t.tests;
      t.duration_s += c.duration_s;
      switch (c.status) {
      case model::TestStatus::passed: ++t.passed; break;
      case model::TestStatus::failed: ++t.failed; break;
      case model::TestStatus::errored: ++t.errors; break;
      case model::TestStatus::skipped: ++t.skipped; break;
      case model::TestStatus::flaky: ++t.flaky; break;
      }
    }
  }
  return t;
}

std::vector<model::Gate> decide_tests(const TestTotals& t, const TestGateOptions& o) {
  std::vector<model::Gate> gates;
  if (o.fail_on == FailOn::failed) {
    const auto bad = static_cast<double>(t.failed + t.errors);
    gates.push_back({"failed tests", 0, bad, bad == 0, "failed or errored tests (--fail-on failed)"});
  } else if (o.fail_on == FailOn::errors) {
    const auto bad = static_cast<double>(t.errors);
    gates.push_back({"errored tests", 0, bad, bad == 0, "errored tests (--fail-on errors)"});
  }
  if (o.min_tests > 0) {
    const auto ran = static_cast<double>(t.tests - t.skipped);
    gates.push_back({"minimum tests", static_cast<double>(o.min_tests), ran, ran >= static_cast<double>(o.min_tests),
                     "tests that ran, skipped ones not counted (--min-tests)"});
  }
  return gates;
}

std::string tests_title(const TestTotals& t) {
  std::string title = fmt::format("{} test{}", t.tests, t.tests == 1 ? "" : "s");
  if (t.failed) title += fmt::format(", {} failed", t.failed);
  if (t.errors) title += fmt::format(", {} error{}", t.errors, t.errors == 1 ? "" : "s");
  if (t.flaky) title += fmt::format(", {} flaky", t.flaky);
  if (t.skipped) title += fmt::format(", {} skipped", t.skipped);
  if (!t.failed && !t.errors && t.tests) title += ", all passed";
  return title;
}

} // namespace tollgate::gate
