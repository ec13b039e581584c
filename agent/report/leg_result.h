#pragma once
// A matrix leg's `--json` result (SPEC §4) → model::LegResult, for `tollgate merge`. Pure: bytes
// in, the leg or a ParseError out; never throws.
#include <optional>
#include <string>
#include <string_view>

#include "model/leg_result.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// Reads what every command writes (command, check_name, passed, conclusion, title, gates,
// findings) plus a `tests` result's totals and a `coverage` result's coverage_data (version 1:
// per file [line, hits] and [line, block, branch, hits] entries) and a `scan` result's "scan"
// member (report/scan_json.h). JSON that is not a Tollgate
// result, or whose members have the wrong types, is an error that names the member.
util::Expected<model::LegResult, util::ParseError> parse_leg_result(std::string_view bytes);

// The leg parse_leg_result reads from the file's bytes, read from a regular file in chunks through
// one buffer (report/json_events.h), so the file is never held whole: a coverage leg's memory is
// its hits per line, not its bytes twice. nullopt otherwise — a pipe, a read error, malformed
// JSON, bytes that are not UTF-8, a result parse_leg_result refuses: the caller reads the file
// whole, which gives the same error with its line and column.
std::optional<model::LegResult> read_leg_result_file(const std::string& path);
// The same, `read_bytes` (> 0) at a time.
std::optional<model::LegResult> read_leg_result_file(const std::string& path, size_t read_bytes);

// A path from a leg result, as a repository-relative path, or nullopt: the result is hostile, so
// an absolute path, a drive letter, a backslash, a control character, or ".." that climbs out of
// the repository gives no path. (Whether the path is a tracked file, and not reached through a
// symlink that leaves the workspace, is checked where the files are: `merge` in command/.)
std::optional<std::string> confined_leg_path(std::string_view path);

} // namespace tollgate::report
