#pragma once
#include <string>
#include <vector>

#include "model/outcome.h"
#include "model/test_result.h"

namespace tollgate::gate {

struct TestTotals {
  size_t tests = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0;
  double duration_s = 0;
};

// Durations saturate (model::k_max_duration_s): a report's times are hostile.
inline constexpr double k_max_duration_s = model::k_max_duration_s;
using model::add_duration;

// Each entry counts as many tests as it stands for (TestCase::count): the failures a suite
// header counts beyond its test cases are errors of that suite. Passed tests a reader folded
// (TestRun::passed) count as kept ones would.
TestTotals count_tests(const std::vector<model::TestRun>& runs);

enum class FailOn { failed, errors, never };

struct TestGateOptions {
  FailOn fail_on = FailOn::failed;
  size_t min_tests = 0; // tests that ran (not skipped)
  // Reports that hold no test at all pass (--allow-empty); by default they fail, as
  // dorny/test-reporter's fail-on-empty does: a suite that ran nothing must not look green.
  bool allow_empty = false;
};

// Gate names, for callers that single one out.
inline constexpr const char* k_gate_failed = "failed tests";
inline constexpr const char* k_gate_errored = "errored tests";
inline constexpr const char* k_gate_min_tests = "minimum tests";
inline constexpr const char* k_gate_empty = "tests found";

// One gate per option that applies; flaky tests never fail a gate. Reports without any test
// add the failed gate "tests found" unless allow_empty.
std::vector<model::Gate> decide_tests(const TestTotals& totals, const TestGateOptions& options);

// "12 tests, 5 failed, 1 skipped" (zero counts left out, errors and flaky named when present).
// A failed gate that the counts do not show (minimum tests, tests found) is named first, and
// "all passed" is said only when every gate passed.
std::string tests_title(const TestTotals& totals, const std::vector<model::Gate>& gates = {});

} // namespace tollgate::gate
