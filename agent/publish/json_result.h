#pragma once
#include <string>

#include "model/outcome.h"

namespace tollgate::publish {

// The --json result (SPEC §4): tool, version, command, passed, gates, findings, plus the
// command's own members. Percentages keep full precision.
std::string result_json(const model::Outcome& outcome);

void write_result_json(const std::string& path, const model::Outcome& outcome);

} // namespace tollgate::publish
