#pragma once
// Latency percentiles over a probe's samples.
#include <optional>
#include <vector>

namespace tollgate::probe {

// Nearest-rank percentile: the smallest value such that at least p% of the values are at or
// below it (p in (0, 100]). Nothing for an empty list. p50 of {10, 20, 30, 40} is 20.
std::optional<double> percentile(std::vector<double> values, double p);

struct LatencyPercentiles {
  std::optional<double> p50, p95, p99;
};

LatencyPercentiles latency_percentiles(const std::vector<double>& latencies_ms);

} // namespace tollgate::probe
