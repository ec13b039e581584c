#include "command/command.h"
#include "command/tests_command.h"
#include "command/coverage_command.h"
#include "command/lighthouse_command.h"
#include "command/probe_command.h"
#include "command/deployment_command.h"
#include "command/rollback_command.h"
#include "command/merge_command.h"
#include "command/metrics_command.h"
#include "command/release_command.h"
#include "command/scan_command.h"

namespace tollgate::command {

// The common options each command uses: probe reads no report and posts no commit status (the
// check run and the deployment status say it); deployment and rollback post neither a check
// run nor a status, so only the result, the dry run and the summary apply; merge reads --json
// results, whose format is fixed, and is no matrix leg itself; metrics only reads (deployments and
// commits) and shows. Only coverage, lighthouse, probe and scan read the Tollgate config; scan
// reads only SARIF, so it takes no --format.
const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"tests", "Test result files → verdict, check run with annotations on failures", &make_tests_command,
       k_opt_check | k_opt_report | k_opt_format | k_opt_no_status},
      {"coverage", "Coverage reports → totals, per-file and patch coverage, gates, annotations on uncovered changed lines", &make_coverage_command,
       k_opt_check | k_opt_report | k_opt_format | k_opt_no_status | k_opt_config},
      {"lighthouse", "Lighthouse results (LHR JSON) → lhci assert's verdict on a lighthouserc, scores per URL, what lhci ignores", &make_lighthouse_command,
       k_opt_check | k_opt_report | k_opt_format | k_opt_no_status | k_opt_config, true},
      {"scan", "SARIF files from any scanner → findings by severity, new against a baseline, suppressions, gates, annotations", &make_scan_command,
       k_opt_check | k_opt_report | k_opt_no_status | k_opt_config},
      {"probe", "Post-deploy HTTP/TLS probes with an analysis policy; on failure mark the deployment failed and dispatch the rollback once", &make_probe_command,
       k_opt_check | k_opt_config},
      {"deployment", "start | finish: the job's GitHub Deployment and its statuses", &make_deployment_command, k_opt_always},
      {"rollback", "plan: the last good deployment of an environment; dispatch: run the rollback workflow once", &make_rollback_command, k_opt_always},
      {"release", "What an environment is about to get since its last successful deployment, and whether the commit's checks passed (--require)", &make_release_command, k_opt_always},
      {"merge", "A matrix's --json results → one check: the legs, shared failures once, coverage merged per line, one verdict", &make_merge_command,
       (k_opt_check & ~k_opt_matrix) | k_opt_report | k_opt_no_status},
      {"metrics", "Delivery figures of environments from their deployments: frequency, lead time, change failure rate, time to restore, rollback time", &make_metrics_command,
       k_opt_always},
  };
  return table;
}

} // namespace tollgate::command
