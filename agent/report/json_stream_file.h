#pragma once
// Istanbul and coverage.py JSON read from a regular file in chunks through one buffer
// (report/json_events.h), so memory is the model's, not the file's.
#include "model/coverage.h"

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

// The report, when the file is a regular file that parse_coverage would read as JSON (forced
// "istanbul" or "coveragepy", or unforced and starting with '{') and the streamed read ends in a
// report of the format the file's shape decides. nullopt otherwise — not JSON, a pipe, a read
// error, an error in the content, a shape the whole-document readers decide: the caller reads the
// file whole, which gives the same result and words any error with its line and column.
std::optional<model::CoverageReport> read_json_coverage_file(const std::string& path,
                                                             std::string_view forced_format);

} // namespace tollgate::report
