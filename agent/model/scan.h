#pragma once
// A security or lint finding read from SARIF (issue 16), and the scale `tollgate scan` gates on.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/interned.h"

namespace tollgate::model {

// GitHub code scanning shows one of two scales: a security severity (critical, high, medium, low)
// when a `security-severity` score is given, else the SARIF level (error, warning, note). Both
// live on one axis here; see severity_rank for how they compare.
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
enum class ScanSeverity : uint8_t { none, note, warning, error, low, medium, high, critical };

const char* to_string(ScanSeverity severity);
std::optional<ScanSeverity> scan_severity_from(std::string_view name);

// critical 4; high and error 3; medium and warning 2; low and note 1; none 0. The pairs follow
// GitHub's default check-failure settings for code scanning ("High or higher" beside "Only
// errors"), so `--fail-on high` also fails on an error-level lint finding, and `--fail-on error`
// on a high-severity vulnerability.
// https://docs.github.com/en/code-security/code-scanning/managing-your-code-scanning-configuration/editing-your-configuration-of-default-setup#defining-the-severities-causing-pull-request-check-failure
int severity_rank(ScanSeverity severity);

// The code-scanning bucket of a CVSS-like score: ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium,
// > 0.0 low; none for 0, negatives and NaN.
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
ScanSeverity severity_from_score(double score);

// How a finding compares with the baseline.
enum class ScanState : uint8_t { new_finding, unchanged, fixed, unknown /* no baseline given */ };
const char* to_string(ScanState state);

// Why a finding does not count.
enum class Suppression : uint8_t { none, sarif /* the tool's own suppressions */, allowlist /* the config */ };

// "fail", the kind of a result that does not say (SARIF §3.27.9), interned once.
const util::Interned& fail_kind();

// The hash of a finding's source context (gate::context_hash): 16 hexadecimal characters held in
// the finding itself, not a heap string per finding (200,000 of them on the bench log); empty when
// the finding has no context.
class ContextHash {
public:
  static constexpr size_t k_size = 16;

  ContextHash() = default;
  // nullopt for text longer than k_size or holding a NUL byte (never a hash Tollgate wrote).
  static std::optional<ContextHash> from(std::string_view text);

  std::string_view view() const;
  bool empty() const { return m_bytes[0] == '\0'; }
  void clear() { m_bytes.fill('\0'); }
  bool operator==(const ContextHash& other) const = default;
  bool operator==(std::string_view other) const { return view() == other; }

private:
  std::array<char, k_size> m_bytes{}; // NUL-padded
};

struct ScanFinding {
  // The texts many findings share are interned (util::Interned): one pointer each.
  util::Interned tool;      // run.tool.driver.name
  util::Interned rule_id;   // result.ruleId, else the rule it points at, else ""
  util::Interned rule_name; // the rule's name or short description, for titles
  util::Interned help_uri;  // the rule's helpUri (only https/http; shown as text, never a link)
  std::string message;      // message.text (bounded); message.markdown is never read
  util::Interned uri;       // the location as the report wrote it (base resolved), for messages
  util::Interned path;      // repository-relative when resolved; "" when no file of the repository
  int start_line = 0;     // 1-based; 0 when the result has no region (or a zero one)
  int end_line = 0;
  int start_column = 0;
  ScanSeverity severity = ScanSeverity::warning;
  // The one-byte fields side by side: a finding is 16 bytes smaller without padding between them
  // (3 MB of the 200,000 findings of the bench log, each faulted in; docs/performance.md).
  Suppression suppression = Suppression::none;
  ScanState state = ScanState::unknown;
  bool on_changed_line = false;
  std::optional<double> security_severity; // the score it came from, if any
  util::Interned kind = fail_kind(); // result.kind: only "fail" fails a gate
  // partialFingerprints ("partial/KEY") and fingerprints ("full/KEY"), sorted by key.
  std::vector<std::pair<util::Interned, std::string>> fingerprints;
  ContextHash context_hash; // rule-independent hash of the normalised source lines (matching)
  std::string snippet;      // region.snippet.text, bounded: the context when the file is missing
  util::Interned suppression_reason; // justification, or the allowlist entry's reason
  util::Interned source; // "results/a.sarif" (the file), for messages

  bool is_failure_kind() const { return kind == fail_kind(); }
  // A file of the repository and a line: what an annotation and the source context need.
  bool has_location() const { return !path.empty() && start_line > 0; }
  bool counts() const { return suppression == Suppression::none && is_failure_kind(); }
};

// One SARIF run as read.
struct ScanRunInfo {
  std::string tool;     // tool.driver.name ("" when absent)
  std::string version;  // tool.driver.semanticVersion or version
  size_t results = 0;   // results read
  // "results" absent or null, or an invocation with executionSuccessful false: SARIF §3.14.23
  // says the tool did not finish, so no results is no proof of a clean scan.
  bool incomplete = false;
};

// The "scan" member of a `tollgate scan --json` result read back: as a --baseline (its findings
// are the base's) and by `merge` (the legs' findings and what they fixed).
struct ScanLegData {
  std::vector<ScanFinding> findings; // every finding of the head, suppressed and not-failures too
  std::vector<ScanFinding> fixed;    // base findings the head no longer has
  std::string fail_on;               // "high", ... or "never"
  bool new_only = false;
  bool has_baseline = false;
};

} // namespace tollgate::model
