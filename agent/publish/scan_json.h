#pragma once
// The "scan" member of `tollgate scan --json` (issue 16): everything needed to read the result
// back as a --baseline or in `merge` (report/scan_json.h reads it). Layout version 1:
//
//   "scan": {
//     "version": 1, "fail_on": "high", "new_only": true, "baseline": "base.json" | null,
//     "counts": {"critical": 0, "high": 2, "medium": 1, "low": 0, "new": 3, "unchanged": 14,
//                "fixed": 1, "suppressed": 2, "not_failures": 0},
//     "runs": [{"source": "results/a.sarif", "tool": "Semgrep", "version": "1.50.0", "results": 17,
//               "incomplete": false}],
//     "notes": [{"what": "ruleIndex past the end of the rules (ruleId trusted)", "count": 3}],
//     "results": [FINDING...],   every head finding, in reading order
//     "fixed": [FINDING...],     base findings gone from the head
//     "allowlist": [{"rule": "...", "path": "...", "reason": "...", "expires": "2026-12-31",
//                    "expired": false, "suppressed": 1, "would_suppress": 0}]
//   }
//   FINDING: {"tool", "rule_id", "rule_name", "help_uri", "severity" ("critical" ... "none"),
//             "security_severity" (number or null), "kind", "message", "uri", "path" ("" when no
//             file of the repository), "start_line", "end_line", "start_column" (0: none),
//             "state" ("new", "unchanged", "fixed", "unknown"), "suppression" (null or
//             {"by": "sarif" | "allowlist", "reason"}), "fingerprints" {key: value},
//             "context_hash", "on_changed_line", "source"}
#include <string>
#include <vector>

#include "gate/scan_allowlist.h"
#include "gate/scan_gate.h"
#include "model/scan.h"
#include "util/json.h"

namespace tollgate::publish {

inline constexpr int k_scan_json_version = 1;

struct ScanRunSource {
  std::string source; // the SARIF file
  model::ScanRunInfo run;
};

struct ScanJsonInput {
  const std::vector<model::ScanFinding>* findings = nullptr;
  const std::vector<model::ScanFinding>* fixed = nullptr;
  const gate::ScanTotals* totals = nullptr;
  const std::vector<ScanRunSource>* runs = nullptr;
  const std::vector<std::pair<std::string, size_t>>* notes = nullptr;
  const std::vector<gate::ScanAllowUse>* allowlist = nullptr;
  std::string fail_on;
  bool new_only = false;
  std::string baseline; // the --baseline path, "" without one
};

// Writes "scan": {...} into an open object.
void write_scan_json(util::JsonWriter& w, const ScanJsonInput& in);

void write_scan_finding(util::JsonWriter& w, const model::ScanFinding& f);

} // namespace tollgate::publish
