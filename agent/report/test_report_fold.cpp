#include "report/test_report_fold.h"

#include <algorithm>
#include <string>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

void tally(model::SuiteTally& suite, const TestCase& test) {
  suite.tests += test.count;
  if (test.status == TestStatus::failed || test.status == TestStatus::errored)
    suite.failed += test.count;
  if (test.status == TestStatus::skipped) suite.skipped += test.count;
  suite.duration_s = model::add_duration(suite.duration_s, test.duration_s);
}

bool foldable(const TestCase& test) {
  return test.status == TestStatus::passed && test.count == 1 && !test.suite_header;
}

// Slower first; of equal durations the earlier in the report.
bool slower(const model::PassedFold::Slow& a, double duration, size_t ordinal) {
  return a.test.duration_s > duration || (a.test.duration_s == duration && a.ordinal < ordinal);
}

// A suite's cases come one after another: the name is looked up only when it changes.
model::SuiteTally& suite_of(model::PassedFold& fold, std::string_view suite) {
  if (fold.suites.empty() || fold.suites[fold.last_suite].name != suite) {
    auto [it, added] = fold.suite_index.try_emplace(std::string(suite), fold.suites.size());
    if (added) fold.suites.push_back({std::string(suite)});
    fold.last_suite = it->second;
  }
  return fold.suites[fold.last_suite];
}

} // namespace

void add_test_case(model::TestRun& run, TestCase&& test) {
  model::PassedFold& fold = run.passed;
  if (!fold.on) {
    run.cases.push_back(std::move(test));
    return;
  }
  if (foldable(test)) {
    if (fold_passed_case(run, test.suite, test.duration_s)) keep_slowest(run, std::move(test));
    return;
  }
  ++fold.ordinal;
  fold.duration_s = model::add_duration(fold.duration_s, test.duration_s);
  tally(suite_of(fold, test.suite), test);
  run.cases.push_back(std::move(test));
}

bool fold_passed_case(model::TestRun& run, std::string_view suite, double duration_s) {
  model::PassedFold& fold = run.passed;
  const size_t ordinal = fold.ordinal++;
  fold.duration_s = model::add_duration(fold.duration_s, duration_s);
  model::SuiteTally& tally = suite_of(fold, suite);
  tally.tests += 1;
  tally.duration_s = model::add_duration(tally.duration_s, duration_s);
  ++fold.count;
  return !(fold.slowest.size() == model::k_slowest_folded &&
           slower(fold.slowest.back(), duration_s, ordinal));
}

void keep_slowest(model::TestRun& run, TestCase&& test) {
  model::PassedFold& fold = run.passed;
  const size_t ordinal = fold.ordinal - 1;
  auto& slowest = fold.slowest;
  const auto at = std::find_if(slowest.begin(), slowest.end(), [&](const auto& slow) {
    return !slower(slow, test.duration_s, ordinal);
  });
  if (slowest.size() == model::k_slowest_folded) slowest.pop_back();
  slowest.insert(at, {std::move(test), run.cases.size(), ordinal});
}

std::vector<model::SuiteTally> suite_tallies(const model::TestRun& run) {
  if (run.passed.on) return run.passed.suites;
  std::vector<model::SuiteTally> suites;
  std::unordered_map<std::string, size_t> index;
  for (const auto& test : run.cases) {
    auto [it, added] = index.try_emplace(test.suite, suites.size());
    if (added) suites.push_back({test.suite});
    tally(suites[it->second], test);
  }
  return suites;
}

std::vector<const TestCase*> slowest_candidates(const model::TestRun& run) {
  std::vector<const TestCase*> candidates;
  candidates.reserve(run.cases.size() + run.passed.slowest.size());
  std::vector<const model::PassedFold::Slow*> folded;
  for (const auto& slow : run.passed.slowest)
    folded.push_back(&slow);
  std::sort(folded.begin(), folded.end(),
            [](const auto* a, const auto* b) { return a->ordinal < b->ordinal; });
  auto next = folded.begin();
  for (size_t i = 0; i <= run.cases.size(); ++i) {
    for (; next != folded.end() && (*next)->kept_before == i; ++next)
      candidates.push_back(&(*next)->test);
    if (i < run.cases.size()) candidates.push_back(&run.cases[i]);
  }
  return candidates;
}

size_t case_count(const model::TestRun& run) {
  return run.cases.size() + run.passed.count;
}

} // namespace tollgate::report
