#include "command/command.h"
#include "command/lighthouse_command.h"
#include "command/tests_command.h"

namespace tollgate::command {

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"tests", "Test result files → verdict, check run with annotations on failures", &make_tests_command},
      {"lighthouse", "Lighthouse results (LHR JSON) → lhci assert's verdict on a lighthouserc, scores per URL, what lhci ignores", &make_lighthouse_command},
  };
  return table;
}

} // namespace tollgate::command
