#pragma once
// Judging one answer against a probe's expectations: pure, so every rule is unit-tested without
// a network.
#include "probe/percentile.h"
#include "probe/probe_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tollgate::probe {

// What came back for one sample (after any redirects that were followed).
struct Answer {
  int status = 0;
  std::string body; // at most k_max_probe_body_bytes
  bool body_truncated = false;
  double latency_ms = 0;
  std::optional<int64_t> cert_not_after; // leaf certificate expiry, epoch seconds (https)
};

// Every expectation the answer breaks, in words; empty when it meets them all. Text taken from
// the answer is shortened; callers escape it for where it is shown.
std::vector<std::string> check_answer(const ProbeSpec& spec, const Answer& answer,
                                      int64_t now_epoch_s);

// Days (fractional) from now until the certificate expires; negative once expired.
double days_left(int64_t not_after_epoch_s, int64_t now_epoch_s);

// The latency percentile limits (max-p50/p95/p99) over the whole probe; nothing when within.
std::optional<std::string> check_percentiles(const ProbeSpec& spec,
                                             const LatencyPercentiles& percentiles);

} // namespace tollgate::probe
