#pragma once
// The Markdown of `tollgate probe`: one row per probe (samples, failures, errors, p50/p95/p99,
// verdict), the first failing samples of each probe with their reasons, and what happened to the
// deployment and the rollback.
#include "probe/result.h"
#include "publish/review_budget.h"
#include "util/json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::publish {

// What the probe step did about a failure (shown in the summary and written to --json).
struct RollbackSummary {
  bool requested = false;  // probes failed with --rollback-workflow and --environment
  bool dispatched = false; // this step dispatched the rollback workflow
  bool already = false;    // another leg or an earlier attempt had dispatched it
  std::string run_url;
  std::string dedupe_key;
  int64_t deployment_id = 0;
  bool marked_failed = false; // a failure status was posted on the deployment
  std::string environment;
  std::string to_ref;
  std::string note; // what happened, or why nothing was dispatched
};

// Failing samples listed per probe; the rest are counted.
constexpr size_t k_failing_samples_shown = 5;

std::string probe_title(const std::vector<probe::ProbeResult>& results);
// A percentile is shown only when the sample count supports it: the p-th percentile of n samples
// differs from the slowest sample only when n ≥ 1 / (1 − p), so p95 needs 20 samples and p99 100;
// below that the cell says how many samples there were.
constexpr size_t k_p95_min_samples = 20;
constexpr size_t k_p99_min_samples = 100;

// First the deployment's fate and the rollback (the ref it rolls back to as the user named it, or
// the last good deployment's commit, linked; the rollback run, linked); then the failing probes
// with their reason; then the table (percentiles where the samples support them) and the failing
// samples, collapsed. Internal keys (the dedupe key, full SHAs) stay in --json.
std::string probe_summary(const std::vector<probe::ProbeResult>& results, const RollbackSummary& rollback,
                          const SummaryOptions& options = {});
// The rollback lead alone (empty unless requested), for `rollback dispatch`.
std::string rollback_summary(const RollbackSummary& rollback, const ReviewLinks& links = {});

// The --json members (SPEC §4): "probes":[{name, samples, failures, p50_ms, p95_ms, passed, …}]
// with every sample, and "rollback":{dispatched, run_url, …}. Latencies keep full precision.
void write_probes_json(util::JsonWriter& w, const std::vector<probe::ProbeResult>& results);
void write_rollback_json(util::JsonWriter& w, const RollbackSummary& rollback);

// "12 ms", "1.25 s", "–" for none.
std::string format_latency(const std::optional<double>& ms);

} // namespace tollgate::publish
