#pragma once
// Bounds on what the SARIF reader keeps (issue 16 item 7: SARIF is written by tools that ran on
// pull-request code). Every limit is ours unless a source is named; what passes one is counted
// and shown ("skipped"), never dropped silently.
#include <cstddef>

namespace tollgate::report {

// Bytes read from a SARIF file per call; the reader holds one chunk at a time, so a 100 MB file
// streams in about this much input buffer (the findings themselves are what is kept).
constexpr size_t k_sarif_chunk_bytes = size_t{1} << 20;
// Non-JSON text before the JSON (a tool's "warning: ..." line on stdout): looked for this far.
constexpr size_t k_sarif_max_preamble_bytes = 64 * 1024;
// Nesting: SARIF's own objects nest about 10 deep (run → result → codeFlows → threadFlows →
// locations → location → physicalLocation → region → snippet); property bags may go deeper.
constexpr size_t k_sarif_max_depth = 128;
// message.text and descriptions kept per result (the Checks API takes 64 KB per annotation
// message; a finding's message is a sentence, and the summary shows a line of it).
constexpr size_t k_sarif_max_message_bytes = 4096;
// Rule ids, names, URIs, fingerprint values, tags.
constexpr size_t k_sarif_max_field_bytes = 1024;
// region.snippet.text kept for matching a finding whose file is not in the checkout.
constexpr size_t k_sarif_max_snippet_bytes = 512;
// Per result: fingerprints, tags, message arguments and suppressions read (the rest counted).
constexpr size_t k_sarif_max_fingerprints = 16;
constexpr size_t k_sarif_max_tags = 32;
constexpr size_t k_sarif_max_arguments = 32;
// Per file: runs, rules per run, results over all runs. A 100 MB Trivy or Semgrep log holds a few
// hundred thousand results; past this many a file is refused (a gate over a part would be a
// false green), naming the limit.
constexpr size_t k_sarif_max_runs = 1000;
constexpr size_t k_sarif_max_rules = 200'000;
constexpr size_t k_sarif_max_results = 2'000'000;
// The fewest bytes a result usually takes (ruleId, message and one physical location: Trivy's,
// Semgrep's and ESLint's results are 300 bytes to several KB), for sizing the findings up front
// from the file's size; a log of smaller results only grows its vector as it reads.
constexpr size_t k_sarif_min_result_bytes = 256;
// ...and at most this many reserved (about 230 MB of address space): a larger log grows its vector
// past it as it reads, rather than asking for up to a gigabyte at once from a small runner.
constexpr size_t k_sarif_max_reserved_results = 500'000;
// uriBaseId chains (originalUriBaseIds entries based on others) followed this deep.
constexpr size_t k_sarif_max_base_chain = 8;
// Distinct (uriBaseId, uri) pairs of a run whose resolved path is remembered (a few hundred files
// in a real run; hostile input past this is resolved each time rather than growing memory). Ours.
constexpr size_t k_sarif_max_cached_locations = 65'536;
// The key segment kept in the reader's path of the current value: SARIF's own keys are short.
constexpr size_t k_sarif_max_key_bytes = 64;

} // namespace tollgate::report
