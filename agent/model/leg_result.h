#pragma once
// One leg of a matrix as `tollgate merge` sees it: the `--json` result a command wrote (SPEC §4),
// read back. Only what merging needs is kept: the verdict, the gates, the findings, the test
// counts, and the per-line coverage data that the coverage command writes for this purpose.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/coverage.h"
#include "model/finding.h"
#include "model/outcome.h"
#include "model/scan.h"

namespace tollgate::model {

// The `totals` of a `tests` result.
struct LegTestCounts {
  uint64_t tests = 0, passed = 0, failed = 0, errors = 0, skipped = 0, flaky = 0;
  double duration_s = 0;
};

// Who ran a command inside Actions: written into its --json result ("writer") and into the
// external_id of its check run, so that two writers are told apart. GITHUB_JOB is the job's id,
// the same in every leg of a matrix; the leg label tells the legs apart.
// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
struct Writer {
  std::string run_id, run_attempt;
  std::string job;    // GITHUB_JOB
  std::string leg;    // the matrix leg label from --matrix; empty without it
  std::string runner; // RUNNER_NAME: differs between legs that run at the same time
  std::string step;   // GITHUB_ACTION: the step's id, "__run_2" for a second unnamed script step
};

struct LegResult {
  std::string source;     // the file it was read from, for messages
  std::string command;    // "tests", "coverage", ...
  std::string check_name; // "Tests (ubuntu-latest, 20)": names the leg
  std::string title;
  bool passed = true;
  Conclusion conclusion = Conclusion::success;
  std::vector<Gate> gates;
  std::vector<Finding> findings;
  std::optional<LegTestCounts> tests;             // a `tests` result's totals
  std::optional<std::vector<FileCoverage>> coverage; // `coverage_data`: repository-relative, normalized
  std::vector<std::string> coverage_outside;      // report paths that named no file of the repository
  std::optional<double> baseline_line_pct;        // the base branch's line coverage the leg compared with
  std::optional<ScanLegData> scan;                // a `scan` result's "scan" member (report/scan_json.h)
  // Who wrote it ("writer" in the result, inside Actions): the job id (GITHUB_JOB), the matrix leg
  // label and the run, so merge can match results to the run's jobs.
  bool has_writer = false;
  std::string job, leg, run_id;
  // A leg that was expected but wrote no result: a failed leg, with its job's conclusion and page.
  bool missing = false;
  std::string job_conclusion, job_url;
};

} // namespace tollgate::model
