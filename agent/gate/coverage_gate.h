#pragma once
// Coverage decisions as values: patch coverage from the changed lines, the gates, the title, and
// the findings on uncovered changed lines.
#include "model/coverage.h"
#include "model/finding.h"
#include "model/outcome.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tollgate::gate {

// Changed lines of one file that the report marks executable.
struct PatchFile {
  std::string path;
  uint64_t lines = 0;
  uint64_t lines_covered = 0;
  std::vector<uint32_t> uncovered;                   // ascending
  std::vector<std::pair<uint32_t, uint32_t>> ranges; // uncovered lines grouped for annotations
};

struct PatchCoverage {
  uint64_t lines = 0; // executable changed lines (diff-cover's total_num_lines)
  uint64_t lines_covered = 0;
  uint64_t changed_lines = 0;   // added lines of the diff, executable or not
  std::vector<PatchFile> files; // files with at least one executable changed line, by path
  double pct() const {
    return lines ? 100.0 * static_cast<double>(lines_covered) / static_cast<double>(lines) : 100.0;
  }
};

// Only lines the report marks executable count, as diff-cover counts them. Uncovered lines are
// grouped into one range when no executable line lies between them (blank lines and comments do
// not split "Lines 23–25").
PatchCoverage compute_patch(const std::vector<model::FileCoverage>& files,
                            const model::ChangedLineMap& changed);

// A --min-file threshold for the files a glob matches (config `coverage: min-file: {glob: pct}`).
struct FileThreshold {
  std::string pattern;
  double min_pct = 0;
};

struct CoverageGateOptions {
  std::optional<double> min_line, min_branch, min_file, min_patch, max_drop;
  std::vector<FileThreshold> file_thresholds; // first matching pattern wins over min_file
  std::optional<double> baseline_line_pct;    // from --baseline
  // Why the changed lines could not be had (a base was asked for, none was found): --min-patch
  // is then "not measured", skipped unless fail_unmeasured_patch.
  std::string patch_not_measured;
  bool fail_unmeasured_patch = false;
};

struct FileBelow {
  std::string path;
  double pct = 0;
  double threshold = 0;
};

struct CoverageDecision {
  std::vector<model::Gate> gates;     // one per option given, in the order of the options' table
  std::vector<FileBelow> files_below; // for the min-file gate, lowest first
};

// patch is null when no base was given or the changed lines were not measured
// (options.patch_not_measured says why: the patch gate is then not measured, never passed). A gate with nothing to measure says so in its detail:
// min-patch with no executable changed lines passes (measured: no changed executable line);
// min-branch without branch data and max-drop without a baseline are not measured (skipped,
// `"actual": null`); min-line with no executable lines at all fails (a pipeline that measured
// nothing).
CoverageDecision decide_coverage(const model::CoverageCounts& totals,
                                 const std::vector<model::FileCoverage>& files,
                                 const PatchCoverage* patch, const CoverageGateOptions& options);

// "Coverage 81.2% (−0.4) · patch 93.0%": the delta when a baseline is known, the patch when a
// base was given, "· patch not measured" when the changed lines could not be had, and
// "· branches not measured" / "· coverage drop not measured" for the other gates (when given)
// that measured nothing.
std::string coverage_title(const model::CoverageCounts& totals,
                           std::optional<double> baseline_line_pct, const PatchCoverage* patch,
                           bool patch_not_measured = false,
                           const std::vector<model::Gate>* gates = nullptr);

// One finding per uncovered range: "Lines 23–25 are not covered by tests".
std::vector<model::Finding> uncovered_findings(const PatchCoverage& patch, model::Level level);

// "23–25" or "23".
std::string format_range(std::pair<uint32_t, uint32_t> range);

} // namespace tollgate::gate
