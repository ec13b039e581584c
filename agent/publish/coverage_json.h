#pragma once
// The coverage and test-count members of --json results (SPEC §4), written one way for every
// command that has them: `coverage` and `tests` for one job, `merge` for the whole matrix (whose
// result can be merged again and serve as a --baseline, so the shapes must not drift apart).
#include "gate/coverage_gate.h"
#include "gate/tests_gate.h"
#include "model/coverage.h"
#include "util/json.h"

#include <string>
#include <vector>

namespace tollgate::publish {

// lines, lines_covered, line_pct, branches, branches_covered, branch_pct (inside an object).
void write_coverage_totals(util::JsonWriter& w, const model::CoverageCounts& counts);

// tests, passed, failed, errors, skipped, flaky, duration_s (inside an object).
void write_test_totals(util::JsonWriter& w, const gate::TestTotals& totals);

// "patch": changed executable lines, covered, pct, and per file the uncovered lines.
void write_patch_json(util::JsonWriter& w, const gate::PatchCoverage& patch);

// "files" (per-file counts), "outside_repository", and "coverage_data" (version 1: per file the
// hits of every line and branch, what report::parse_leg_result reads back to merge legs).
void write_coverage_files_json(util::JsonWriter& w, const std::vector<model::FileCoverage>& files,
                               const std::vector<std::string>& outside);

} // namespace tollgate::publish
