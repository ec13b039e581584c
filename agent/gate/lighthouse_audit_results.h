#pragma once
// lhci's results for one assertion key over one URL's runs (@lhci/utils assertions.js,
// getAssertionResultsForAudit and what it calls): the value getters per score display mode,
// auditRan, the default minScore, aggregation, and the pseudo-audits of categories,
// resource-summary, user-timings and Lighthouse's own performance-budget.
#include <string>
#include <vector>

#include "gate/lighthouse_assert.h"
#include "model/lighthouse.h"
#include "util/error.h"

namespace tollgate::gate {

// Thrown where lhci throws (a key of the wrong shape); assert_lighthouse returns it as its error.
struct LighthouseConfigFailure {
  util::ParseError error;
};

// "categories:performance" → {"categories", "performance"}: split on '.' and ':', empty parts dropped.
std::vector<std::string> split_assertion_key(const std::string& key);

// `audit_runs` are the runs the audit is read from (the representative run alone for median-run);
// `all_runs` the URL's runs (categories always read all of them, as lhci does). `options` are the
// assertion's options with the top-level aggregationMethod merged in. url, level and key are left
// for the caller to fill in.
std::vector<LighthouseAssertion> audit_results(const std::string& audit_id, const std::vector<std::string>& property,
                                               const std::vector<const model::LighthouseRun*>& audit_runs,
                                               const model::RcValue& options,
                                               const std::vector<const model::LighthouseRun*>& all_runs,
                                               const std::string& key);

} // namespace tollgate::gate
