#pragma once
#include "command/command.h"

#include <memory>

namespace tollgate::command {

// `tollgate release --environment NAME [--sha X] [--require NAME …] [--wait D] [--deployment-id N]`:
// what the environment is about to get since its last successful deployment, whether the commit's
// checks passed (exit 1 when a required one did not), in the job summary, the step outputs and,
// with --deployment-id, the deployment's description. Every other API use is a read.
std::unique_ptr<Command> make_release_command();

} // namespace tollgate::command
