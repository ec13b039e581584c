#pragma once
// Decisions over a matrix's legs (`tollgate merge`): the failures several legs share, the summed
// test counts, the coverage of all legs merged per line, the gates to apply to the merged numbers,
// and one verdict.
#include <optional>
#include <string>
#include <vector>

#include "gate/coverage_gate.h"
#include "gate/tests_gate.h"
#include "model/leg_result.h"
#include "model/outcome.h"

namespace tollgate::gate {

// One finding as it appears in one or more legs: shown once, with the legs named.
struct SharedFinding {
  model::Finding finding;        // as the first leg that has it wrote it
  std::vector<std::string> legs; // check names, in the order of the legs, each once
  size_t of = 0;                 // how many legs ran the same command: "in 2 of 3 legs"
};

// Findings of all legs grouped by (path, start line, title), the key under which two legs report
// the same failure; the most severe level of the group wins. Failures first, then warnings, then
// notices; within a level in the order the legs first report them. Coverage legs are skipped when
// their coverage is merged: the uncovered-line findings are computed again from the merged data.
std::vector<SharedFinding> share_findings(const std::vector<model::LegResult>& legs, bool coverage_merged);

// The totals of every `tests` leg added up; nullopt when there is none.
std::optional<TestTotals> sum_tests(const std::vector<model::LegResult>& legs);

struct MergedLegCoverage {
  std::vector<model::FileCoverage> files; // by path, hits added per line across legs
  std::vector<std::string> outside;       // union of the legs' paths outside the repository
  model::CoverageCounts totals;
  std::optional<double> baseline_line_pct; // what the legs compared with (the first one that says)
};

// Coverage data of every leg that has it, merged as reports merge: hits add per line, a line is
// executable if any leg says so, branches merge per (line, block, branch). nullopt when no leg
// carries coverage data.
std::optional<MergedLegCoverage> merge_leg_coverage(const std::vector<model::LegResult>& legs);

// The coverage gates the legs applied (read back from their `gates` by name), to apply again to
// the merged numbers: per gate the strictest threshold any leg used. Options given to merge win.
CoverageGateOptions inherit_coverage_gates(const std::vector<model::LegResult>& legs, const CoverageGateOptions& given);

// "failed legs": how many legs failed. Coverage legs do not count here when their coverage is
// merged: their partial numbers are replaced by the merged coverage gates.
model::Gate failed_legs_gate(const std::vector<model::LegResult>& legs, bool coverage_merged);

// The legs the verdict counts: all but the coverage legs whose coverage is merged (all when only those).
size_t leg_count(const std::vector<model::LegResult>& legs, bool coverage_merged);

// The most failed legs named in a merged title: 3 (our limit; a check title is one line, and the
// summary's "failed legs" gate names them all).
inline constexpr size_t k_title_leg_names = 3;

// "3 legs, 1 failed (Tests (3.12)) · 15 tests, 2 failed · Coverage 81.2% · patch 93.0%"; a gate a
// failed tests leg missed besides failing tests (--min-tests) is named in the tests part.
std::string merge_title(const std::vector<model::LegResult>& legs, bool coverage_merged,
                        const std::optional<TestTotals>& tests, const std::string& coverage_title);

// The default check name: the legs' commands in the command table's order, "Tests (all legs)" or
// "Tests + Coverage (all legs)".
std::string merge_check_name(const std::vector<model::LegResult>& legs);

} // namespace tollgate::gate
