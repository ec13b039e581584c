#pragma once
#include "command/command.h"
#include "publish/probe_summary.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tollgate::command {

// `tollgate rollback plan|dispatch`: the last good deployment of an environment, and the
// rollback workflow started through workflow_dispatch, once per failed deployment.
std::unique_ptr<Command> make_rollback_command();

struct RollbackOptions {
  std::string environment; // required
  std::string workflow;    // the rollback workflow file; empty: only mark the deployment failed
  std::string ref;         // the ref the workflow runs on; default: the repository's default branch
  std::string sha;         // the failing commit; default GITHUB_SHA
  int64_t deployment_id = 0; // the failing deployment; default: found by environment + sha
  std::string to_ref;        // default: the commit of the last good deployment
  std::string reason;
  std::string environment_url;
  std::vector<std::pair<std::string, std::string>> extra_inputs; // --input k=v
};

// After a failure: marks the deployment failed, plans the rollback and dispatches it exactly
// once (see publish/rollback.h). Shared by `rollback dispatch` and `probe --rollback-workflow`.
// GitHub errors are not thrown: they end up in the note, and `error` is set.
struct RollbackRun {
  publish::RollbackSummary summary;
  bool error = false;
};
RollbackRun roll_back(Context& ctx, const RollbackOptions& options,
                      const std::string& failure_description);

} // namespace tollgate::command
