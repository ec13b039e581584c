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

TestTotals count_tests(const std::vector<model::TestRun>& runs);

enum class FailOn { failed, errors, never };

struct TestGateOptions {
  FailOn fail_on = FailOn::failed;
  size_t min_tests = 0; // tests that ran (not skipped)
};

// One gate per option that applies; flaky tests never fail a gate.
std::vector<model::Gate> decide_tests(const TestTotals& totals, const TestGateOptions& options);

// "12 tests, 5 failed, 1 skipped" (zero counts left out, errors and flaky named when present).
std::string tests_title(const TestTotals& totals);

} // namespace tollgate::gate
