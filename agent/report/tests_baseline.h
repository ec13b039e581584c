#pragma once
// The baseline for `tests --baseline FILE` (and `merge --baseline`): a `tollgate tests --json` (or
// `merge --json`) result from the base branch, read for its totals and the tests that failed there, so that a pull request's summary
// tells the tests it breaks from those that already failed on the base.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

struct TestsBaseline {
  uint64_t tests = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0;
  // The failed and errored tests by name ("class › test", as the summary and the annotations name
  // them): the result's "failed_tests", or, in a result written before that member existed, the
  // titles of its failure findings.
  std::set<std::string> failing;
};

// A JSON result of another command, or one without totals, is an error that says so.
util::Expected<TestsBaseline, util::ParseError> parse_tests_baseline(std::string_view bytes);

} // namespace tollgate::report
