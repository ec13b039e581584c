#pragma once
#include "command/command.h"

#include <memory>

namespace tollgate::command {

std::unique_ptr<Command> make_coverage_command();

} // namespace tollgate::command
