#pragma once
// The Markdown of `tollgate probe`: one row per probe (samples, failures, errors, p50/p95/p99,
// verdict), the first failing samples of each probe with their reasons, and what happened to the
// deployment and the rollback.
#include "probe/result.h"
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
std::string probe_summary(const std::vector<probe::ProbeResult>& results,
                          const RollbackSummary& rollback);
// The rollback part alone (empty unless requested), for `rollback dispatch`.
std::string rollback_summary(const RollbackSummary& rollback);

// The --json members (SPEC §4): "probes":[{name, samples, failures, p50_ms, p95_ms, passed, …}]
// with every sample, and "rollback":{dispatched, run_url, …}. Latencies keep full precision.
void write_probes_json(util::JsonWriter& w, const std::vector<probe::ProbeResult>& results);
void write_rollback_json(util::JsonWriter& w, const RollbackSummary& rollback);

// "12 ms", "1.25 s", "–" for none.
std::string format_latency(const std::optional<double>& ms);

} // namespace tollgate::publish
