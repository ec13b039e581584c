#pragma once
// The small pieces of JavaScript semantics that `lhci assert` verdicts depend on: lhci's
// kebabCase, ToNumber for option values compared with >= and <=, and the aggregation of values
// across runs.
#include <string>
#include <string_view>
#include <vector>

#include "model/lighthouse.h"

namespace tollgate::gate {

// @lhci/utils lodash.js kebabCase: "domSize" → "dom-size", then lower case. With
// alphanumeric_only, runs of other characters become one '-' and '-' at either end is dropped.
std::string lhci_kebab_case(std::string_view s, bool alphanumeric_only = false);

// What `actual >= expected` makes of a config value: null → 0, "0.9" → 0.9, [0.9] → 0.9,
// true → 1, {} → NaN.
double js_to_number(const model::RcValue& value);

// String(value) for the few places lhci builds a string from a config value (a RegExp source).
std::string js_to_string(const model::RcValue& value);

// lhci's getValueForAggregationMethod: "median" is the middle value (the mean of the middle two
// for an even count); "optimistic" takes the best (min for max* options, max for min*),
// "pessimistic" the worst; any other method, median-run included, takes the maximum.
double aggregate_values(const std::vector<double>& values, std::string_view method, std::string_view option);

} // namespace tollgate::gate
