#pragma once
// Markdown for the lighthouse check run, job summary and comment: per URL the category scores
// (median of the runs, with the run count and the change against --baseline) and the key metrics;
// the failed assertions with expected, actual and every run's value; the passed ones folded; and
// what lhci would have ignored silently. Bounded in size.
#include <string>
#include <vector>

#include "gate/lighthouse_assert.h"
#include "gate/lighthouse_lint.h"
#include "gate/lighthouse_scores.h"
#include "publish/review_budget.h"

namespace tollgate::publish {

struct LighthouseSummaryInput {
  const std::vector<gate::LighthouseUrlStats>* urls = nullptr;
  const std::vector<gate::LighthouseAssertion>* results = nullptr;
  const std::vector<gate::LighthouseWarning>* warnings = nullptr;
  std::vector<std::string> result_notes; // per result: why an audit was missing (same index), may be empty
  std::string config_label;              // "lighthouserc.json" or "lighthouserc.json (preset lighthouse:recommended)"
  std::string config_location;           // "lighthouserc.json" path shown before :line in warnings
  std::string budgets_location;          // the budgets file, for assertions that came from it
  bool has_baseline = false;
  SummaryOptions options;
};

// First what broke: each failed assertion in one line (audit, URL, actual against expected, the
// category score's change against --baseline), errors before warnings. Then per URL the scores
// and metrics, the failed assertions' table with every run's value, the passed ones collapsed
// (--summary-list all), and what lhci ignores.
std::string lighthouse_summary(const LighthouseSummaryInput& input);

// A Lighthouse score (0–1) as Lighthouse shows it: 0–100 with its colour (🔴 0–49, 🟠 50–89, 🟢 90–100).
std::string score_badge(double score);

// A metric value in its unit: "2.9 s", "150 ms", "0.012".
std::string format_metric(double value, const std::string& unit);

// An assertion's expected or actual value: scores and ratios with up to 3 decimals, large numbers
// without decimals.
std::string format_assertion_value(double value);

} // namespace tollgate::publish
