#include "report/test_report_fold.h"

#include <algorithm>

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

} // namespace

void add_test_case(model::TestRun& run, TestCase&& test) {
  model::PassedFold& fold = run.passed;
  if (!fold.on) {
    run.cases.push_back(std::move(test));
    return;
  }
  const size_t ordinal = fold.ordinal++;
  fold.duration_s = model::add_duration(fold.duration_s, test.duration_s);
  // A suite's cases come one after another: look the name up only when it changes.
  if (fold.suites.empty() || fold.suites[fold.last_suite].name != test.suite) {
    auto [it, added] = fold.suite_index.try_emplace(test.suite, fold.suites.size());
    if (added) fold.suites.push_back({test.suite});
    fold.last_suite = it->second;
  }
  tally(fold.suites[fold.last_suite], test);
  if (!foldable(test)) {
    run.cases.push_back(std::move(test));
    return;
  }
  ++fold.count;
  auto& slowest = fold.slowest;
  if (slowest.size() == model::k_slowest_folded &&
      slower(slowest.back(), test.duration_s, ordinal))
    return;
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
