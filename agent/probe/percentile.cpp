#include "probe/percentile.h"

#include <algorithm>
#include <cmath>

namespace tollgate::probe {

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty() || !(p > 0) || p > 100) return std::nullopt;
  const auto n = values.size();
  // The rank is computed in integer hundredths so that 95% of 20 is exactly 19, not 19.0000001.
  const auto hundredths = static_cast<long long>(std::llround(p * 100));
  auto rank = static_cast<size_t>((hundredths * static_cast<long long>(n) + 9999) / 10000);
  rank = std::clamp<size_t>(rank, 1, n);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                   values.end());
  return values[rank - 1];
}

LatencyPercentiles latency_percentiles(const std::vector<double>& latencies_ms) {
  return {percentile(latencies_ms, 50), percentile(latencies_ms, 95), percentile(latencies_ms, 99)};
}

} // namespace tollgate::probe
