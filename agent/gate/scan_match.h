#pragma once
// New, unchanged and fixed: a head scan compared with the base's (issue 16 item 3). Pure.
//
// A head finding matches a base finding of the same tool and rule id, each base finding at most
// once, in three passes:
//  1. fingerprints: partialFingerprints / fingerprints of the same key and value on both sides.
//     Two findings that both carry a key with different values are different findings, whatever
//     else they share (the tool said so).
//  2. context: the same path and the same context hash (a hash of the finding's source lines with
//     blanks removed, which does not change when lines above are added or removed — the idea of
//     code scanning's primaryLocationLineHash), the n-th occurrence of a (rule, path, hash) in
//     line order matching the n-th (two identical lines in one file stay two findings). Unlike
//     codeql-action, which hashes the 100 characters from the line on, only the finding's own
//     lines count (and the next ones while they hold fewer than k_min_context_chars
//     characters): an edit just below an old finding does not make it new.
//     https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#providing-data-to-track-code-scanning-alerts-across-runs
//     https://github.com/github/codeql-action/blob/main/src/fingerprints.ts
//  3. message: the same path and message text, only for findings of which one side has no
//     context hash (a dependency finding without a line, a file missing from the checkout).
// Head findings left are new; base findings left are fixed.
#include <vector>

#include "model/scan.h"

namespace tollgate::gate {

struct ScanComparison {
  std::vector<model::ScanFinding> fixed; // base findings no head finding matched (state fixed)
  size_t by_fingerprint = 0, by_context = 0, by_message = 0;
};

// Sets every head finding's state to new or unchanged.
ScanComparison compare_scans(std::vector<model::ScanFinding>& head, const std::vector<model::ScanFinding>& base);

// Removes findings that repeat an earlier one exactly — tool, rule, location (URI, line, column)
// and message — as when one scanner's log is passed twice or a tool reports a result per
// configuration; returns how many (the caller says so in the summary).
size_t drop_duplicates(std::vector<model::ScanFinding>& findings);

// The context hash of a finding: the non-blank characters of its `lines` lines from the start of
// `text_from_line` (the file from the finding's first line on), at most k_context_chars of them;
// while fewer than k_min_context_chars are kept ("}", a blank line), the next lines too, up to
// k_max_context_lines. Blanks are dropped so re-indentation keeps the hash. Empty for no text.
inline constexpr size_t k_context_chars = 100; // codeql-action's BLOCK_SIZE in fingerprints.ts
inline constexpr size_t k_min_context_chars = 8;
inline constexpr size_t k_max_context_lines = 5;
model::ContextHash context_hash(std::string_view text_from_line, size_t lines = 1);

} // namespace tollgate::gate
