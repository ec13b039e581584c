#pragma once
// The scan gates and title (issue 16 item 3). Pure: findings in, gates and words out.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/outcome.h"
#include "model/scan.h"

namespace tollgate::gate {

// Counts per severity (model::ScanSeverity as index) of findings that count (not suppressed,
// kind "fail"), by state; unknown (no baseline) counts as new.
struct ScanTotals {
  static constexpr size_t k_severities = 8;
  std::array<size_t, k_severities> new_findings{}, unchanged{}, fixed{};
  size_t suppressed = 0;   // by the SARIF log or the allowlist
  size_t not_failures = 0; // kind pass, open, informational, review, notApplicable
  size_t total_new() const;
  size_t total_unchanged() const;
  size_t total_fixed() const;
  // critical, high, medium, low as the outputs count them: by rank (error with high, ...),
  // findings that count, every state but fixed.
  size_t at_rank(int rank) const;
};

ScanTotals count_scan(const std::vector<model::ScanFinding>& findings, const std::vector<model::ScanFinding>& fixed);

struct ScanGateOptions {
  model::ScanSeverity fail_on = model::ScanSeverity::high; // the least severity that fails
  bool fail_never = false;                                 // --fail-on never
  std::optional<size_t> max_findings;
  bool new_only = false;    // only new findings judge (needs a baseline)
  size_t incomplete_runs = 0; // runs whose tool did not finish
};

inline constexpr const char* k_gate_severity = "findings at or above the fail-on severity";
inline constexpr const char* k_gate_max_findings = "maximum findings";
inline constexpr const char* k_gate_complete = "scanner runs complete";

// Whether a finding is judged: it counts, and with new_only it is not unchanged.
bool judged(const model::ScanFinding& f, bool new_only);

// Puts findings in the order they are shown: on changed lines first, then by severity rank,
// highest first; equal ones keep their order. A counting sort (ten buckets), not a comparison
// sort: a run of a hundred thousand findings is ordered in one pass.
void order_for_showing(std::vector<const model::ScanFinding*>& findings);

// One gate for --fail-on (unless never), one for --max-findings when given, one failing gate when
// a tool did not finish (no results is then no proof of a clean scan).
std::vector<model::Gate> decide_scan(const std::vector<model::ScanFinding>& findings, const ScanGateOptions& options);

// "2 new high, 1 new medium · 14 unchanged · 3 fixed"; without a baseline "2 high, 1 medium";
// "no new findings · 14 unchanged"; "no findings". A failed gate the counts do not show is named
// first.
std::string scan_title(const ScanTotals& totals, bool has_baseline, const std::vector<model::Gate>& gates);

} // namespace tollgate::gate
