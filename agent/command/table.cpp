#include "command/command.h"
#include "command/tests_command.h"
#include "command/coverage_command.h"
#include "command/lighthouse_command.h"
#include "command/probe_command.h"
#include "command/deployment_command.h"
#include "command/rollback_command.h"
#include "command/merge_command.h"

namespace tollgate::command {

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"tests", "Test result files → verdict, check run with annotations on failures", &make_tests_command},
      {"coverage", "Coverage reports → totals, per-file and patch coverage, gates, annotations on uncovered changed lines", &make_coverage_command},
      {"lighthouse", "Lighthouse results (LHR JSON) → lhci assert's verdict on a lighthouserc, scores per URL, what lhci ignores", &make_lighthouse_command},
      {"probe", "Post-deploy HTTP/TLS probes with an analysis policy; on failure mark the deployment failed and dispatch the rollback once", &make_probe_command},
      {"deployment", "start | finish: the job's GitHub Deployment and its statuses", &make_deployment_command},
      {"rollback", "plan: the last good deployment of an environment; dispatch: run the rollback workflow once", &make_rollback_command},
      {"merge", "A matrix's --json results → one check: the legs, shared failures once, coverage merged per line, one verdict", &make_merge_command},
  };
  return table;
}

} // namespace tollgate::command
