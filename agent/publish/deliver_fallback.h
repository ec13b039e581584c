#pragma once
// Workflow-command annotations when no check run could be posted: the runner shows only the first
// 10 of each level per step and drops the rest silently, so Tollgate chooses which 10 and counts
// the rest itself.
#include <string>
#include <vector>

#include "model/outcome.h"

namespace tollgate::publish {

struct FallbackAnnotations {
  std::vector<model::Finding> shown; // in print order: failures, warnings, notices
  size_t more_failures = 0, more_warnings = 0, more_notices = 0;
  size_t more() const { return more_failures + more_warnings + more_notices; }
};

// At most k_step_annotations_per_level findings of each level (and max_annotations in all), each
// level with the findings on changed lines first, then in the outcome's order; the most severe
// level is printed first, so that a job-wide cap drops the least severe.
FallbackAnnotations fallback_annotations(const model::Outcome& outcome);

// "20 more failures and 3 more warnings" — empty when nothing was left out.
std::string describe_more(const FallbackAnnotations& selection);

} // namespace tollgate::publish
