#pragma once
#include <memory>

#include "command/command.h"

namespace tollgate::command {

std::unique_ptr<Command> make_merge_command();

} // namespace tollgate::command
