#pragma once
// `lhci assert` (@lhci/cli 0.15), decided as a value: the same assertion results, passed ones
// included, and the same configuration errors, from the options of a lighthouserc and the runs.
// Beside lhci's results it lists what lhci silently ignores (lighthouse_lint.h).
#include <optional>
#include <string>
#include <vector>

#include "model/lighthouse.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::gate {

// Where an assertion was written, for annotations.
enum class AssertionSource { config, preset, budgets };

// One evaluated assertion, as an entry of lhci's .lighthouseci/assertion-results.json.
struct LighthouseAssertion {
  std::string url;
  std::string audit_id;       // "largest-contentful-paint", "categories", "resource-summary"
  std::string audit_property; // "performance", "script.size", a user timing; "" for plain audits
  std::string name;           // minScore | maxNumericValue | maxLength | auditRan
  std::string level;          // warn | error (lhci evaluates any other level too, and never fails on it)
  std::string op;             // >=, <=, ==
  double expected = 0;
  std::optional<double> actual;  // none where lhci has NaN (no value)
  std::vector<std::optional<double>> values; // per run; none where lhci has NaN
  bool passed = false;
  std::string message;        // lhci's explanation when a value is missing
  std::string audit_title;
  std::string aggregation;    // the aggregation method that applied
  std::string key;            // the assertion key as lhci looked it up ("categories:performance")
  AssertionSource source = AssertionSource::config;
  int line = 0;               // of the key in the config or budgets file; 0 when unknown

  // "categories:performance", "resource-summary:script:size", "dom-size" (SPEC §4 "audit").
  std::string audit() const;
  bool fails_build() const { return !passed && level == "error"; }
};

struct LighthouseVerdict {
  std::vector<LighthouseAssertion> results; // every evaluated assertion, in lhci's order
  bool passed = true;                       // no error-level assertion failed
};

// What the gate reads besides the runs: the options lhci assert sees (a lighthouserc's flattened
// sections after yargs, see report/lighthouserc.h) and, when they name a budgetsFile, its parsed
// contents.
struct LighthouseAssertInput {
  model::RcValue options = model::RcValue::object_value();
  const model::RcValue* budgets = nullptr;
  int preset_line = 0; // where "preset" is written, for assertions that come from it
};

// The verdict, or the configuration error lhci raises (its message; the line where known).
util::Expected<LighthouseVerdict, util::ParseError> assert_lighthouse(const LighthouseAssertInput& input,
                                                                      const std::vector<model::LighthouseRun>& runs);

// lhci's representative run of a URL's runs (median-run): the run closest to the median
// first-contentful-paint and interactive. Returns an index into `runs`; runs must not be empty.
size_t representative_run(const std::vector<const model::LighthouseRun*>& runs);

// Runs grouped by finalUrl in order of first appearance, as lhci groups them.
struct UrlRuns {
  std::optional<std::string> url; // none when the LHRs have no finalUrl
  std::vector<const model::LighthouseRun*> runs;
};
std::vector<UrlRuns> group_by_url(const std::vector<model::LighthouseRun>& runs);

} // namespace tollgate::gate
