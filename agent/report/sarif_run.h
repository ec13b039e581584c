#pragma once
// One SARIF run as the streaming reader collects it: rules, base URIs, artifacts and results as
// written, decided together when the run ends (a run may list its results before its rules).
// Internal to the SARIF reader.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/scan.h"
#include "report/sarif.h"

namespace tollgate::report {

struct SarifRule {
  std::string id, name, short_description, help_uri, default_level, score;
  std::optional<model::ScanSeverity> text_severity; // from its tags or descriptions
  // What its findings show, set when the run is decided: the id, the name (else the short
  // description), the help URI when it is http(s).
  util::Interned shown_id, shown_name, shown_help;
};

struct SarifArtifactLocation {
  util::Interned uri, base_id; // a run names a few hundred files a hundred thousand times
  std::optional<int64_t> index; // into run.artifacts
};

// What a result says that needs the rest of the run to decide. Its finding (message, lines,
// kind, fingerprints, snippet) is built in place in SarifLog::findings, at the same position
// counted from the run's first finding: nothing the size of a finding is moved between them.
struct SarifPendingResult {
  // Interned, not strings: a level or a score is one of a few texts, and a run's results all wait
  // here (a third less memory touched than three strings each; docs/performance.md).
  util::Interned rule_id;
  util::Interned level, score;
  std::optional<int64_t> rule_index, component_index;
  std::optional<model::ScanSeverity> tag_severity;
  SarifArtifactLocation location;
  std::vector<std::string> arguments; // message.arguments for {0}-style placeholders
  bool suppressions_present = false;
  size_t suppressions = 0;
  bool suppression_contested = false; // a suppression underReview or rejected: not suppressed
  util::Interned justification;
};

struct SarifRunState {
  SarifRunInfo info;
  std::vector<SarifRule> driver_rules;
  std::map<int64_t, std::vector<SarifRule>> extension_rules; // by tool.extensions index
  std::map<std::string, SarifArtifactLocation> base_ids;     // originalUriBaseIds
  std::vector<SarifArtifactLocation> artifacts;              // artifacts[i].location
  // A deque: a hundred thousand results are never moved to grow it, and each is freed as soon as
  // its finding is decided. results[i] belongs to log.findings[first_finding + i].
  std::deque<SarifPendingResult> results;
  size_t first_finding = 0;
};

// Decides every result of a run: its rule (ruleId trusted over a disagreeing ruleIndex), its
// severity, its URI (base ids resolved), its suppression, its message placeholders, in place in
// log.findings; what fell back is counted in log.notes.
void finish_sarif_run(SarifRunState& run, SarifLog& log);

// "file:///w/src/a.js" → "/w/src/a.js"; "src/a%20b.js" → "src/a b.js". Percent-decoded; other
// schemes (https:, a package URL) are returned as they are and resolve to no file.
std::string sarif_uri_to_path(std::string_view uri);

} // namespace tollgate::report
