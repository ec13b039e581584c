#pragma once
#include <optional>
#include <string>
#include <vector>

#include "gate/tests_gate.h"
#include "model/outcome.h"
#include "model/test_result.h"
#include "publish/review_budget.h"
#include "publish/review_failures.h"
#include "report/tests_baseline.h"

namespace tollgate::publish {

// One suite's counts, for --summary-list all.
struct SuiteCount {
  std::string name;
  size_t tests = 0, failed = 0, skipped = 0;
  double duration_s = 0;
};

struct TestsSummaryInput {
  gate::TestTotals totals;
  const std::vector<model::Gate>* gates = nullptr;
  std::vector<FailureView> failures;              // in the order they are listed
  std::vector<const model::TestCase*> flaky;
  std::vector<const model::TestCase*> slowest;    // at most k_slowest_listed, slowest first
  std::vector<SuiteCount> suites;
  const report::TestsBaseline* baseline = nullptr; // tests --baseline, when it exists
  SummaryOptions options;
};

// The slowest tests are listed only for a suite of at least this many tests: ten slowest of fifty
// is the slowest fifth, worth a look; of a dozen it is most of the suite, repeated.
constexpr size_t k_slowest_listed = 10;
constexpr size_t k_slowest_min_tests = 5 * k_slowest_listed;

// Markdown for the check run summary, the job summary and the comment. First what broke: the
// change against the base (with --baseline), then the failing tests grouped by file with their
// message, a link to the failing line and the lines that explain it. Then the totals and gates,
// the full output of the failures (collapsed), flaky tests, the slowest tests of a large suite and
// (--summary-list all) every suite.
std::string tests_summary(const TestsSummaryInput& input);

// "**1 newly failing** · 1 already failing on the base · 2 fixed · 41 tests (+2)": the change
// against the base branch's result; "" without one.
std::string tests_change_line(const gate::TestTotals& totals, const std::vector<FailureView>& failures,
                              const report::TestsBaseline& baseline);

// A file a --report glob matched that is not a test report, and what it is instead.
struct SkippedFile {
  std::string path;
  std::string what; // "JSON", "root element <project>"
};

// "Skipped N files that are not test reports: …" (empty when none was skipped).
std::string skipped_files_note(const std::vector<SkippedFile>& skipped);

// "N reports hold no test case: …" (empty when every report holds one): a suite that ran nothing
// is named even when other reports' tests keep the totals above zero.
std::string empty_reports_note(const std::vector<std::string>& paths);

// The gates as a Markdown table (shared by every command).
std::string gates_table(const std::vector<model::Gate>& gates);

// The totals as one small table (shared with merge): no emoji, the numbers speak.
std::string totals_table(const gate::TestTotals& totals);

// "suite › test" for titles.
std::string test_title(const model::TestCase& test);

std::string format_duration(double seconds);

} // namespace tollgate::publish
