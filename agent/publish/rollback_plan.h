#pragma once
// `rollback plan`: the deployment of an environment to roll back to, and the mark that keeps a
// job's own GitHub-made deployment out of it when that job deployed another commit.
//
// A job with `environment:` makes GitHub create a deployment of the workflow's commit (GITHUB_SHA)
// and mark it success when the job succeeds, whatever the job deployed
// (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment).
// A rollback run, or a deploy started by workflow_run or workflow_dispatch, runs on one commit and
// deploys another, so that record must never be read as "this commit ran fine here".
#include "github/client.h"
#include "publish/deployments.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::publish {

// Starts the description of the status that says a deployment's commit was not deployed.
constexpr std::string_view k_not_deployed_marker = "tollgate: not deployed";

// The newest deployment of `environment` whose latest status is success, except deployments
//  - of `failing_sha`;
//  - marked k_not_deployed_marker (in any status: GitHub's success comes after the mark);
//  - of a commit rolled back from in this environment: a deployment of that commit carries the
//    records of a rollback (publish/rollback.h), so the rollback run's own deployment of the bad
//    commit never counts, however the rollback job's environment is configured.
// Pages of deployments are followed; every status of a candidate is read.
std::optional<Deployment> plan_rollback(github::Client& client, const std::string& repo_path,
                                        const std::string& environment,
                                        const std::string& failing_sha);

struct NotDeployedMark {
  int64_t deployment_id = 0; // 0: nothing to mark
  std::string description;
};

// When a job runs on `run_sha` but deploys `deployed_sha`: the deployment GitHub created for the
// job, if there is one — the newest of the environment, at run_sha, without a final status yet — and
// the description of the inactive status that marks it. Nothing is posted.
NotDeployedMark find_run_deployment_to_mark(github::Client& client, const std::string& repo_path,
                                            const std::string& environment,
                                            const std::string& run_sha,
                                            const std::string& deployed_sha);

} // namespace tollgate::publish
