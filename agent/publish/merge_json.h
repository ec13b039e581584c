#pragma once
// The members a `merge --json` result adds (SPEC §4): the legs, the summed totals (test counts
// and merged coverage side by side, so the result also serves as a coverage --baseline), the
// patch, the files and the merged coverage_data (so merged results can be merged again).
#include <optional>
#include <vector>

#include "gate/coverage_gate.h"
#include "gate/merge_gate.h"
#include "model/leg_result.h"
#include "util/json.h"

namespace tollgate::publish {

struct MergeJsonInput {
  const std::vector<model::LegResult>* legs = nullptr;
  const std::vector<gate::SharedFinding>* findings = nullptr;
  std::optional<gate::TestTotals> tests;
  const gate::MergedLegCoverage* coverage = nullptr; // null when no leg had coverage data
  const gate::PatchCoverage* patch = nullptr;        // null without a base
};

void write_merge_json(util::JsonWriter& w, const MergeJsonInput& input);

} // namespace tollgate::publish
