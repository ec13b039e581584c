#pragma once
// Pull requests through the REST API: the changed lines of one (its files), and the pull request
// a fork's `workflow_run` belongs to, which GitHub leaves out of the payload
// (`workflow_run.pull_requests` is empty for forks: https://github.com/actions/runner/issues/3444,
// https://github.com/github/docs/issues/22501).
#include <string>

#include "command/command.h"
#include "report/pull_files.h"

namespace tollgate::command {

// The added lines of pull request `number` from its files. The pull request's head must still be
// `expected_head` (the commit that was measured); otherwise, on an API failure, or where GitHub
// omits a patch, the changed lines are not measured and not_measured says why.
report::PullFilesChanges pull_request_changed_lines(github::Client& client, const runner::ActionsContext& actions,
                                                    int number, const std::string& expected_head);

// On `workflow_run` events without a pull request in the payload: the open pull request whose
// head is head_owner:head_branch (GET /repos/{o}/{r}/pulls?head=…) and whose head.sha equals
// workflow_run.head_sha; its number and base then go into ctx.actions.event. Nothing else (no
// artifact, no leg result) names the pull request. Returns a note for the log, or "".
std::string find_workflow_run_pull_request(Context& ctx);

} // namespace tollgate::command
