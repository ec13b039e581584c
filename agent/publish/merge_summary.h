#pragma once
// The merge command's Markdown: a table of the legs, the summed test counts, the gates, the
// failures with the legs that share them, and the coverage of all legs merged.
#include <optional>
#include <string>
#include <vector>

#include "gate/merge_gate.h"
#include "model/leg_result.h"
#include "model/outcome.h"

namespace tollgate::publish {

struct MergeSummaryInput {
  const std::vector<model::LegResult>* legs = nullptr;
  const std::vector<gate::SharedFinding>* findings = nullptr;
  std::optional<gate::TestTotals> tests;
  const std::vector<model::Gate>* gates = nullptr;
  std::string coverage; // publish::coverage_summary of the merged data (without gates), or ""
  const std::vector<std::string>* leg_notes = nullptr; // already Markdown: what could not be checked
};

// Bounded: the legs and failures listed stop at fixed counts; the publisher truncates the rest.
std::string merge_summary(const MergeSummaryInput& input);

// The annotation message of a shared finding: which legs have it, then the leg's own message.
std::string shared_finding_message(const gate::SharedFinding& shared);

} // namespace tollgate::publish
