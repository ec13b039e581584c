#pragma once
// The Markdown summary of `tollgate scan` (issue 16 item 5): counts by severity × tool ×
// new/unchanged/fixed, the gates, the findings judged (those without a line too), what was
// fixed, what was suppressed and why, expired allowlist entries, the runs read, and what the
// reader skipped or read with a fallback. Every text from a report is escaped on the way in.
#include <string>
#include <utility>
#include <vector>

#include "gate/scan_allowlist.h"
#include "gate/scan_gate.h"
#include "model/outcome.h"
#include "model/scan.h"
#include "publish/review_header.h"
#include "publish/scan_json.h"

namespace tollgate::publish {

struct ScanSummaryInput {
  const std::vector<model::ScanFinding>* findings = nullptr;
  const std::vector<model::ScanFinding>* fixed = nullptr;
  const gate::ScanTotals* totals = nullptr;
  const std::vector<model::Gate>* gates = nullptr;
  const std::vector<ScanRunSource>* runs = nullptr;
  const std::vector<std::pair<std::string, size_t>>* notes = nullptr;
  const std::vector<gate::ScanAllowUse>* allowlist = nullptr;
  bool has_baseline = false;
  bool new_only = false;
  bool pull_request_without_baseline = false;
  std::string matching; // "3 by fingerprint, ..." when a baseline was compared
  ReviewLinks links;     // a finding's location links to its line at the head commit
};

std::string scan_summary(const ScanSummaryInput& in);

} // namespace tollgate::publish
