#pragma once
// Passed test cases folded while a report streams (model::PassedFold, issue 18): what the gate,
// the summary and --json need of them, in memory bounded by the suites and the failures instead
// of by the tests.
#include "model/test_result.h"

#include <string_view>
#include <vector>

namespace tollgate::report {

// Adds a test case to the run: into run.cases, or, when run.passed.on and it is a plain passed
// test case, into the fold. A reader that folds adds every case here, kept ones too, so the
// fold's durations and suites cover the whole run in the report's order.
void add_test_case(model::TestRun& run, model::TestCase&& test);

// add_test_case for a plain passed test case (passed, count 1, no suite header) of a run that
// folds, from its suite and duration alone, so a reader need not make the test case: true when it
// is among the slowest so far, and then the caller makes it and hands it to keep_slowest (the
// two together do what add_test_case does).
bool fold_passed_case(model::TestRun& run, std::string_view suite, double duration_s);
void keep_slowest(model::TestRun& run, model::TestCase&& test);

// The run's suites as counting run.cases (all of them, when nothing was folded) would give, in
// order of first appearance.
std::vector<model::SuiteTally> suite_tallies(const model::TestRun& run);

// The cases that may be among the run's slowest, in the report's order: every kept case and the
// slowest folded ones (model::k_slowest_folded of them).
std::vector<const model::TestCase*> slowest_candidates(const model::TestRun& run);

// How many tests the run holds (0: an empty report).
size_t case_count(const model::TestRun& run);

} // namespace tollgate::report
