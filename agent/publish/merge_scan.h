#pragma once
// How `tollgate merge` shows the legs' folded scan findings (gate/merge_scan.h): a section of the
// merged summary, the annotation message naming who reported a finding, and the "scan" member of
// the merged --json (the same layout as a scan's, so a merged result can be a scan --baseline).
#include <string>
#include <vector>

#include "gate/merge_scan.h"
#include "util/json.h"

namespace tollgate::publish {

// "Reported by Trivy and Grype in 2 legs: Trivy (Security (linux)), Grype (Security (linux)), …"
std::string reporters_text(const gate::FoldedScanFinding& folded);

// The annotation message of a folded finding: who reported it, then the tool's message and the
// rule's help URI (plain text: annotation messages are not Markdown).
std::string folded_scan_message(const gate::FoldedScanFinding& folded);

// "#### Security across the legs": counts by severity (new / unchanged / fixed with a baseline),
// then the findings that count with who reported them, bounded.
std::string merge_scan_summary(const std::vector<gate::FoldedScanFinding>& folded, bool has_baseline, bool new_only);

// Writes "scan": {"version": 1, "new_only", "baseline", "counts", "results", "fixed", "reported_by"}
// into an open object; "reported_by"[i] lists the {"tool", "leg"} of "results" then "fixed", in order.
void write_merge_scan_json(util::JsonWriter& w, const std::vector<gate::FoldedScanFinding>& folded, bool has_baseline,
                           bool new_only);

} // namespace tollgate::publish
