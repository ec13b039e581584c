#pragma once
// What a reviewer looks at first: per URL, the median category scores and key metrics of the
// runs, and their change against the base branch's result.
#include <optional>
#include <string>
#include <vector>

#include "model/lighthouse.h"

namespace tollgate::gate {

struct LighthouseStat {
  std::string id;    // "performance", "largest-contentful-paint"
  std::string title; // "Performance", "Largest Contentful Paint"
  std::string unit;  // "millisecond", "unitless"; "" for scores
  std::vector<double> values;       // one per run that has a value
  std::optional<double> median;     // lhci's median (mean of the middle two for even counts)
  std::optional<double> baseline;   // the base branch's median, with --baseline
};

struct LighthouseUrlStats {
  std::string url;
  size_t runs = 0;
  std::string lighthouse_version;
  std::vector<LighthouseStat> categories; // in the LHR's order
  std::vector<LighthouseStat> metrics;    // LCP, CLS, TBT, FCP
};

// The key metrics shown for every URL (audit ids).
const std::vector<std::string>& lighthouse_key_metrics();

std::vector<LighthouseUrlStats> lighthouse_url_stats(const std::vector<model::LighthouseRun>& runs);

// Fills LighthouseStat::baseline from a base-branch result, matching URLs exactly.
void apply_lighthouse_baseline(std::vector<LighthouseUrlStats>& stats, const std::vector<model::LighthouseBaselineUrl>& base);

} // namespace tollgate::gate
