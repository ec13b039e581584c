#pragma once
// What a probe found: its samples and the verdict over them.
#include "probe/percentile.h"
#include "probe/policy.h"
#include "probe/probe_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::probe {

struct Sample {
  int index = 0;          // 1-based
  int64_t started_ms = 0; // since the probes began
  SampleKind kind = SampleKind::success;
  int status = 0;        // 0 when no answer came
  double latency_ms = 0; // all hops; for errors, until the error
  std::string reason;    // why it failed or errored; empty on success
};

struct ProbeResult {
  std::string name;
  std::string shown_url;
  std::vector<Sample> samples;
  int failures = 0, errors = 0;
  Verdict verdict = Verdict::running;
  bool passed = false;
  std::string reason;
  LatencyPercentiles percentiles; // over the samples that got an answer
};

// The final result: percentiles over answered samples, and the percentile limits applied to the
// analysis verdict (a probe within its failure limits can still fail on p95).
ProbeResult summarize(const ProbeSpec& spec, Analysis analysis, std::vector<Sample> samples);

} // namespace tollgate::probe
