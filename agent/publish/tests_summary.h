#pragma once
#include <string>
#include <vector>

#include "gate/tests_gate.h"
#include "model/outcome.h"
#include "model/test_result.h"

namespace tollgate::publish {

struct FailureView {
  const model::TestCase* test;
  std::string location; // "path:line" or ""
};

// Markdown for the check run summary and the job summary: totals table, gates, failures in
// collapsible details with the trimmed trace, flaky tests and the slowest tests. Bounded in size.
std::string tests_summary(const gate::TestTotals& totals, const std::vector<model::Gate>& gates,
                          const std::vector<FailureView>& failures, const std::vector<const model::TestCase*>& flaky,
                          const std::vector<const model::TestCase*>& slowest);

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

// "suite › test" for titles.
std::string test_title(const model::TestCase& test);

} // namespace tollgate::publish
