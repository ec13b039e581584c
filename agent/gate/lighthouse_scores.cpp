#include "gate/lighthouse_scores.h"

#include <algorithm>

#include "gate/lighthouse_assert.h"
#include "gate/lighthouse_values.h"

namespace tollgate::gate {

const std::vector<std::string>& lighthouse_key_metrics() {
  static const std::vector<std::string> ids = {"largest-contentful-paint", "cumulative-layout-shift", "total-blocking-time",
                                               "first-contentful-paint"};
  return ids;
}

namespace {

LighthouseStat& stat_for(std::vector<LighthouseStat>& stats, const std::string& id) {
  auto it = std::find_if(stats.begin(), stats.end(), [&](const LighthouseStat& s) { return s.id == id; });
  if (it != stats.end()) return *it;
  stats.push_back({id, {}, {}, {}, {}, {}});
  return stats.back();
}

void finish(std::vector<LighthouseStat>& stats) {
  for (auto& s : stats)
    if (!s.values.empty()) s.median = aggregate_values(s.values, "median", "minScore");
}

} // namespace

std::vector<LighthouseUrlStats> lighthouse_url_stats(const std::vector<model::LighthouseRun>& runs) {
  std::vector<LighthouseUrlStats> out;
  for (const auto& group : group_by_url(runs)) {
    LighthouseUrlStats u;
    u.url = group.url.value_or("");
    u.runs = group.runs.size();
    u.lighthouse_version = group.runs.front()->lighthouse_version;
    for (const auto* run : group.runs) {
      for (const auto& c : run->categories) {
        LighthouseStat& s = stat_for(u.categories, c.id);
        if (s.title.empty()) s.title = c.title;
        if (c.score.is_number()) s.values.push_back(c.score.number);
      }
      for (const auto& id : lighthouse_key_metrics()) {
        LighthouseStat& s = stat_for(u.metrics, id);
        const auto* a = run->audit(id);
        if (!a) continue;
        if (s.title.empty()) s.title = a->title;
        if (s.unit.empty()) s.unit = a->numeric_unit;
        if (a->numeric_value.is_number()) s.values.push_back(a->numeric_value.number);
      }
    }
    finish(u.categories);
    finish(u.metrics);
    out.push_back(std::move(u));
  }
  return out;
}

void apply_lighthouse_baseline(std::vector<LighthouseUrlStats>& stats, const std::vector<model::LighthouseBaselineUrl>& base) {
  for (auto& u : stats) {
    const auto it = std::find_if(base.begin(), base.end(), [&](const auto& b) { return b.url == u.url; });
    if (it == base.end()) continue;
    for (auto& c : u.categories)
      if (auto f = it->categories.find(c.id); f != it->categories.end()) c.baseline = f->second;
    for (auto& m : u.metrics)
      if (auto f = it->metrics.find(m.id); f != it->metrics.end()) m.baseline = f->second;
  }
}

} // namespace tollgate::gate
