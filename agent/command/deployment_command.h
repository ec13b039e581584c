#pragma once
#include "command/command.h"

#include <memory>

namespace tollgate::command {

// `tollgate deployment start|finish`: the job's GitHub Deployment and its statuses.
std::unique_ptr<Command> make_deployment_command();

} // namespace tollgate::command
