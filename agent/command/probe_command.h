#pragma once
#include "command/command.h"

#include <memory>

namespace tollgate::command {

// `tollgate probe`: post-deploy HTTP/TLS probes with an analysis policy; on failure the
// deployment is marked failed and the rollback workflow dispatched once.
std::unique_ptr<Command> make_probe_command();

} // namespace tollgate::command
