#pragma once
#include <memory>

#include "command/command.h"

namespace tollgate::command {

// `tollgate scan`: SARIF files → findings by severity, new/unchanged/fixed against a baseline,
// suppressions, gates, annotations (issue 16).
std::unique_ptr<Command> make_scan_command();

} // namespace tollgate::command
