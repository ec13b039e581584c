#pragma once
#include <memory>

#include "command/command.h"

namespace tollgate::command {

// `tollgate lighthouse`: LHRs + a lighthouserc → lhci assert's verdict, scores and what lhci ignores.
std::unique_ptr<Command> make_lighthouse_command();

} // namespace tollgate::command
