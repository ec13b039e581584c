#pragma once
// The merge command's Markdown: a table of the legs, the summed test counts, the gates, the
// failures with the legs that share them, and the coverage of all legs merged.
#include <optional>
#include <string>
#include <vector>

#include "gate/merge_gate.h"
#include "model/leg_result.h"
#include "model/outcome.h"
#include "publish/review_budget.h"
#include "report/tests_baseline.h"

namespace tollgate::publish {

struct MergeSummaryInput {
  const std::vector<model::LegResult>* legs = nullptr;
  const std::vector<gate::SharedFinding>* findings = nullptr;
  std::optional<gate::TestTotals> tests;
  const std::vector<model::Gate>* gates = nullptr;
  std::string coverage; // publish::coverage_summary of the merged data (without gates), or ""
  const std::vector<std::string>* leg_notes = nullptr; // already Markdown: what could not be checked
  const report::TestsBaseline* tests_baseline = nullptr; // --baseline with test totals: new vs old failures
  std::string missing_baseline; // --baseline's path when its file does not exist (the first run): said so
  bool coverage_merged = false; // the coverage legs' own numbers are partial: shown without a verdict
  SummaryOptions options;
};

// The matrix leg a result belongs to: the label its writer recorded, else the part of its check
// name in parentheses ("Tests (3.12)" → "3.12"), else its check name or file. Results of several
// commands in one leg (tests and coverage) share the label, and one row of the legs table.
std::string leg_label(const model::LegResult& leg);

// First what broke: the distinct failures, each with its message, the lines that explain it, a
// link to its line and the legs that have it. Then one row per leg (a 3-leg matrix of tests and
// coverage is 3 rows, a column per command), the summed test counts, the gates and the coverage
// of all legs merged. Bounded: lists stop at fixed counts; the budget cuts the rest with a note.
std::string merge_summary(const MergeSummaryInput& input);

// The annotation message of a shared finding: which legs have it, then the leg's own message.
std::string shared_finding_message(const gate::SharedFinding& shared);

} // namespace tollgate::publish
