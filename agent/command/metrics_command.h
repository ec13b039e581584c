#pragma once
#include "command/command.h"

#include <cstdint>
#include <memory>
#include <string>

namespace tollgate::command {

// `tollgate metrics`: deployment frequency, lead time for changes, change failure rate, time to
// restore and rollback time of environments over a window, from GitHub's deployment records.
// Reads only: nothing is posted (no check run, no status), the figures go to the job summary.
std::unique_ptr<Command> make_metrics_command();

// `--since` / `--until`: "30d", "12w", "36h", "90m" back from `now`, "2026-11-01" (midnight UTC)
// or "2026-11-01T12:00:00Z". Throws util::InputError naming the option.
int64_t parse_metrics_time(const std::string& option, const std::string& text, int64_t now);

} // namespace tollgate::command
