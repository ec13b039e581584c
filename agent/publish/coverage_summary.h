#pragma once
// The coverage command's Markdown: totals, gates, the changed files with their uncovered ranges,
// files below --min-file, and the report paths that name no file of the repository.
#include "gate/coverage_gate.h"
#include "model/coverage.h"
#include "model/outcome.h"
#include "publish/review_budget.h"
#include "report/coverage_baseline.h"

#include <optional>
#include <string>
#include <vector>

namespace tollgate::publish {

struct CoverageSummaryInput {
  model::CoverageCounts totals;
  std::optional<double> baseline_line_pct;
  const gate::PatchCoverage* patch = nullptr; // null without a base
  const std::vector<model::FileCoverage>* files = nullptr;
  const std::vector<std::string>* outside = nullptr;
  const std::vector<gate::FileBelow>* files_below = nullptr;
  const std::vector<model::Gate>* gates = nullptr;
  std::string base; // the revision the patch was compared with, for the heading
  std::string patch_method;       // how the changed lines were found, when not the usual merge base
  std::string patch_not_measured; // why there is no patch although one was asked for
  bool fail_unmeasured_patch = false;
  const report::CoverageBaseline* baseline = nullptr; // --baseline: the per-file change (Δ)
  SummaryOptions options;
};

// A file's line coverage against the base's: "+1.2", "−3.4", "±0.0", "new" (not in the base);
// "" when there is no baseline or the file measured nothing.
std::string file_delta(const model::CoverageCounts& now, const report::CoverageBaseline* baseline, const std::string& path);

// First the numbers and what changed: totals with their change against --baseline, then the
// impacted files (the changed files: coverage, its Δ against the base, the changed lines covered,
// the uncovered changed lines as ranges), or without a diff the files whose coverage moved. Then
// the gates, the files below --min-file, and what was not counted. Bounded in size: tables stop
// at fixed row counts and the whole stays under the check run's 65,535 characters.
std::string coverage_summary(const CoverageSummaryInput& input);

} // namespace tollgate::publish
