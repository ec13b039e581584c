#pragma once
// The Tollgate config (.github/tollgate.yml or --config): read through util::load_yaml (bounded
// aliases, no duplicate keys) and checked against the one schema of keys the commands read, so
// a misspelled key (`min_line:`) stops the run with its line and the key it probably meant,
// instead of being ignored.
//
//   coverage:   min-line, min-branch, min-file (a number, or {glob: number}), min-patch,
//               max-drop, path-map (FROM=TO or a list), exclude (a path/glob or a list)
//   analysis:   the probe analysis keys (interval, count, ...)
//   probes:     a list of probes: the probe keys, the analysis keys, headers, analysis
//   lighthouse: a lighthouserc (with ci:) or ci.assert's options; checked by `lighthouse`
//   scan:       allow (a list of {rule, path, reason, expires}: the scan allowlist)
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace tollgate::command {

// Every key the config may hold at `section` ("" for the top level, "coverage", "probes[]",
// "analysis"); empty for a section whose keys are free (lighthouse).
std::vector<std::string_view> config_keys(std::string_view section);

// Throws util::InputError ("path:line:column: unknown key ...; did you mean ...?") for the first
// key the schema does not know, or a section of the wrong shape.
void check_config_keys(const YAML::Node& config, const std::string& path);

// The config at `path`, checked; a Null node when the file does not exist and was not named
// explicitly (--config). Throws util::InputError for everything else.
YAML::Node load_tollgate_config(const std::string& path, bool explicit_path);

// The known key nearest to `key` (a '_' for '-', a letter or two off), or "" when none is near.
std::string nearest_key(std::string_view key, const std::vector<std::string_view>& known);

} // namespace tollgate::command
