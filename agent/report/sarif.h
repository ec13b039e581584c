#pragma once
// SARIF 2.1.0 → scan findings (issue 16). A streaming reader: RapidJSON's SAX Reader over chunks
// of the file, so a 100 MB log never becomes a document in memory; only what a finding needs is
// kept, bounded (report/sarif_limits.h). Pure: the bytes come from a ChunkSource the caller
// gives (command/ reads the file); paths are resolved against the repository afterwards
// (report/sarif_paths.h).
//
// Read as GitHub code scanning reads it: several runs per file, any tool; rules from the driver
// and from tool.extensions; the rule a result names by ruleId (ruleIndex when it agrees, or when
// there is no ruleId); severity as severity_of() below; kind other than "fail" is no failure;
// suppressions honoured; message.markdown never read.
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/scan.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// Fills `into` with up to `size` bytes; returns how many (0 at the end), or -1 on a read error.
using ChunkSource = std::function<long(char* into, size_t size)>;

// One run as read: tool, version, results, whether the tool finished (model/scan.h).
using SarifRunInfo = model::ScanRunInfo;

struct SarifLog {
  // Findings with `uri` set (base ids resolved, file:// kept); `path` is empty until
  // resolve_scan_paths. Severity, kind, suppressions, fingerprints decided here.
  std::vector<model::ScanFinding> findings;
  std::vector<SarifRunInfo> runs;
  // What was read with a fallback, or not read, with how many times: "ruleIndex 7 past the end of
  // the rules (ruleId trusted)" → 3. Shown in the summary; never a silent zero.
  std::map<std::string, size_t> notes;
  size_t preamble_lines = 0;  // non-JSON lines before the JSON (a tool's warning), skipped
  std::string preamble_first; // the first of them, bounded, for the note
};

// Reads one SARIF file. Errors (not JSON, not SARIF 2.1.0, too deep, too many results) carry
// the 1-based line and column where reading stopped. `file_bytes`, when known, sizes the
// findings' storage up front (k_sarif_min_result_bytes a result, within k_sarif_max_reserved_results), so a large log's findings are
// not moved each time their vector grows; what is reserved and never filled is address space,
// not memory.
//
// `rewind`, when given, starts the source again from its first byte (false when it cannot): the
// log is then parsed the fast way — without RapidJSON's validation of each string's UTF-8, the
// chunks checked as they are read instead (a tenth of the CPU time of a 100 MB log), and by its
// recursive parser rather than the iterative one — and parsed again the exact way only when a
// byte was not UTF-8 or the fast pass failed, so that what is refused and the error's words, line
// and column are the same either way.
util::Expected<SarifLog, util::ParseError> read_sarif(const ChunkSource& source, size_t file_bytes = 0,
                                                      const std::function<bool()>& rewind = {});

// How many findings read_sarif reserves for a file of `file_bytes` (the caller sizes its heap).
size_t sarif_reserved_findings(size_t file_bytes);

// The same over bytes in memory (tests, fuzzing, small files).
util::Expected<SarifLog, util::ParseError> parse_sarif(std::string_view bytes);

// True when the bytes look like SARIF: a JSON object with "runs" and a "version" or "$schema"
// naming SARIF, in its first kilobytes (a --baseline may be SARIF or a tollgate --json result).
bool looks_like_sarif(std::string_view head);

// The severity GitHub code scanning shows, in its order (issue 16 item 2):
//  1. a security-severity score (on the result, else its rule) > 0: ≥9 critical, ≥7 high, ≥4
//     medium, else low (a score that is not a number is noted and ignored);
//  2. a severity the tool wrote only in tags or in the rule's descriptions ("HIGH",
//     "Severity: critical") — Tollgate's addition for scanners that write no score;
//  3. the result's level, else the rule's defaultConfiguration.level, else "warning" (SARIF
//     §3.27.10's default). "none" has no severity.
struct SeverityInputs {
  std::string_view result_score, rule_score;   // as written: "9.8" or a number's text
  std::optional<model::ScanSeverity> tag_severity;
  std::string_view result_level, rule_level;   // "" when absent
};
struct SeverityDecision {
  model::ScanSeverity severity = model::ScanSeverity::warning;
  std::optional<double> score;
  std::string note; // a fallback taken ("security-severity \"n/a\" is not a number"), or ""
};
SeverityDecision severity_of(const SeverityInputs& in);

// A severity word in a tag or a description: "critical", "HIGH", "Severity: Medium",
// "severity:low". nullopt when the text names none.
std::optional<model::ScanSeverity> severity_in_text(std::string_view text);

} // namespace tollgate::report
