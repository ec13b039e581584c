#pragma once
// What `lhci assert` silently ignores or quietly reinterprets in a configuration, each said as a
// warning with the fix: a camelCase or upper-case assertion key (lhci looks up "dom-size" and
// finds nothing under "domSize"), an option that does not exist ("minNumericValue"), a level other
// than off/warn/error, an unknown aggregation method, a pattern that matches no URL, a preset
// string without "lighthouse:", an audit that the runs do not have. The verdict is not changed.
#include <string>
#include <vector>

#include "gate/lighthouse_assert.h"
#include "model/lighthouse.h"

namespace tollgate::gate {

struct LighthouseWarning {
  AssertionSource source = AssertionSource::config;
  int line = 0; // of the offending key; 0 when unknown
  std::string message;
};

// `assert_section` is the rc file's ci.assert object as written (for unknown option names); it
// may be null.
std::vector<LighthouseWarning> lint_lighthouse(const LighthouseAssertInput& input, const model::RcValue* assert_section,
                                               const std::vector<model::LighthouseRun>& runs,
                                               const LighthouseVerdict& verdict);

// Why an assertion found no audit: removed categories and audits named with the Lighthouse
// version that removed them, else "" (lhci's own message applies).
std::string explain_missing_audit(const LighthouseAssertion& assertion, const std::vector<model::LighthouseRun>& runs);

} // namespace tollgate::gate
