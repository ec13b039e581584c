#pragma once
#include <string>

#include "model/leg_result.h"
#include "model/outcome.h"

namespace tollgate::publish {

// The --json result (SPEC §4): tool, version, command, passed, gates, findings, plus the
// command's own members. Percentages keep full precision.
// `writer` (inside Actions) is recorded as "writer": {run_id, run_attempt, job, leg}, so that
// `merge` can match each result to its job of the run.
std::string result_json(const model::Outcome& outcome, const model::Writer* writer = nullptr);

void write_result_json(const std::string& path, const model::Outcome& outcome, const model::Writer* writer = nullptr);

} // namespace tollgate::publish
