#pragma once
// The scan results of a matrix's legs folded into one list (`tollgate merge`, issue 16 item 5): a
// finding that several legs or several tools report is shown once, with who reported it. Pure.
#include <string>
#include <string_view>
#include <vector>

#include "gate/scan_gate.h"
#include "model/leg_result.h"
#include "model/scan.h"

namespace tollgate::gate {

// Who reported a finding: a tool in a leg.
struct ScanReporter {
  std::string tool; // "Trivy"
  std::string leg;  // the leg's check name, "Security (ubuntu-latest, 20)"
  bool operator==(const ScanReporter&) const = default;
};

struct FoldedScanFinding {
  // The most severe report of it, with the state and suppression folded as below.
  model::ScanFinding finding;
  std::vector<ScanReporter> reporters; // in the order of the legs, each tool and leg once
};

// The key under which reports are one finding:
//  - a dependency advisory (a CVE-… or GHSA-… id in the rule id, as Trivy, Grype, osv-scanner and
//    Snyk name their rules) is one finding per advisory and file, whatever tool or line reports it;
//  - any other finding is its rule id and file, and where in the file: the hash of its source
//    line's context when the leg had one (survives a leg whose checkout differs by line shifts),
//    else its start line; without a file, the location as the report wrote it.
// The tool is not part of the key: two tools that name the same rule on the same line agree.
std::string scan_fold_key(const model::ScanFinding& finding);

// The advisory id in a rule id ("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"), upper-cased, or "".
std::string advisory_id(std::string_view rule_id);

// Folds the scan findings of every leg that has them (its head's findings and the ones it fixed). Per key: the most severe severity; state
// new when any report is new, else unchanged when any is, else fixed (a finding still reported
// somewhere is not fixed); suppressed only when every report is suppressed (one leg's tool
// suppressing it does not hide another's); on a changed line when any report is. Order: present
// findings before fixed ones, by severity (most severe first), then as the legs first report them.
std::vector<FoldedScanFinding> fold_scan_findings(const std::vector<model::LegResult>& legs);

// The folded findings split as count_scan takes them: present ones, and those fixed everywhere.
void split_folded(const std::vector<FoldedScanFinding>& folded, std::vector<model::ScanFinding>& present,
                  std::vector<model::ScanFinding>& fixed);

// Totals of the folded findings, as a single scan counts them (gate/scan_gate.h).
ScanTotals scan_fold_totals(const std::vector<FoldedScanFinding>& folded);

// "Security: 2 new high, 1 new medium · 14 unchanged" for the merged title: scan_title over the
// folded findings, so a merged check reads like a single scan's.
std::string scan_fold_title(const std::vector<FoldedScanFinding>& folded, bool has_baseline);

} // namespace tollgate::gate
