#pragma once
// Lighthouse budgets files (budget.json) as `lhci assert --budgetsFile` reads them: validated
// with Lighthouse's Budget.initializeBudget rules and messages, then turned into an assertMatrix
// (lhci's budgets-converter.js): timings → maxNumericValue, resourceCounts →
// resource-summary:TYPE:count, resourceSizes (KB) → resource-summary:TYPE:size in bytes, each
// budget's robots.txt-style path → a matchingUrlPattern.
#include <string>
#include <string_view>

#include "model/lighthouse.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::gate {

// {"assertMatrix": [...]} with each converted assertion on the line of its budget entry, or the
// error lhci (Lighthouse) raises for the file.
util::Expected<model::RcValue, util::ParseError> budgets_to_assert_options(const model::RcValue& budgets);

// lhci's convertPathExpressionToRegExp: "/blog/*" → "https?://[^/]+/blog/.*"; no path or "/" → ".*".
std::string budget_path_pattern(std::string_view path);

} // namespace tollgate::gate
