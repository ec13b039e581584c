#pragma once
// Dispatching the rollback workflow, exactly once per failed deployment.
//
// The dedupe key is derived from the deployment (tollgate-rb-<deployment id>) and travels as the
// `dedupe_key` input, which the rollback workflow puts in its run name. Exactly once rests on
// three records GitHub keeps for us:
//  1. before anything, a rollback that already happened is found: a deployment status saying
//     "rollback dispatched <key>" or a run of the workflow whose title carries the key;
//  2. a claim: every process marks the deployment failed with a status whose description carries
//     a random claim token, waits a moment (writes in flight settle), re-reads the statuses, and
//     only the earliest claim (lowest id) among recent ones dispatches; the others wait for its
//     run and report it;
//  3. the winner records "rollback dispatched <key>" (log_url = the run) after dispatching, so
//     re-runs of the job find it even when the workflow's run name lacks the key.
// The dispatch itself is a write_once whose lookup finds the run by its key (without a key: the
// run that was not there before the dispatch), so an answer lost after GitHub applied it does not
// dispatch twice.
#include "github/client.h"
#include "publish/deployments.h"
#include "util/clock.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tollgate::publish {

struct DispatchRequest {
  std::string workflow; // file name (rollback.yml) or id
  std::string ref;      // branch or tag the workflow runs on
  std::vector<std::pair<std::string, std::string>> inputs;
  std::string dedupe_key; // finds the run when the server does not return it
};

struct WorkflowRun {
  int64_t id = 0;
  std::string html_url;
};

struct DispatchResult {
  bool dispatched = false;
  WorkflowRun run;     // id 0 when the run could not be identified
  bool legacy = false; // the server refused return_run_details
};

struct DispatchTiming {
  int64_t run_lookup_wait_ms = 60000; // how long to look for a dispatched run that was not returned
  int64_t run_lookup_step_ms = 2000;
};

// POST …/actions/workflows/{workflow}/dispatches with return_run_details: true; when the server
// refuses that parameter (400/422 naming it: GitHub Enterprise Server before it existed), again
// without it, and then the run is found by listing the workflow's runs created since the dispatch
// whose title contains the dedupe key.
DispatchResult dispatch_workflow(github::Client& client, util::Clock& clock,
                                 const std::string& repo_path, const DispatchRequest& request,
                                 const DispatchTiming& timing);

// The newest workflow_dispatch run of `workflow` created at or after `since_epoch_s` whose title
// contains `key`.
std::optional<WorkflowRun> find_run_by_key(github::Client& client, const std::string& repo_path,
                                           const std::string& workflow, const std::string& key,
                                           int64_t since_epoch_s);

struct ExactlyOnceTiming {
  int64_t settle_ms = 2000;     // between posting the claim and reading the claims back
  int64_t claim_window_s = 600; // older claims without a rollback belong to processes that died
  DispatchTiming dispatch;
};

struct RollbackRequest {
  Deployment deployment;           // the failed deployment
  std::string failure_description; // why it failed, for its status
  std::string log_url;             // this run
  std::string environment_url;
  std::string claimant;     // who claims (run id and attempt), for the claim token
  DispatchRequest dispatch; // inputs without dedupe_key; it is added here
};

struct RollbackResult {
  bool dispatched = false; // this process dispatched the workflow
  bool already = false;    // another process (or an earlier attempt) did
  WorkflowRun run;
  std::string dedupe_key;
  std::string note; // what happened, in words
};

std::string dedupe_key_for(const Deployment& deployment);

// True for the statuses rollback_once writes on a failed deployment (its claim, the dispatched
// rollback): that deployment's commit was rolled back from.
bool records_rollback(std::string_view description);

// Marks the deployment failed and dispatches the rollback workflow unless it has been or is being
// dispatched for this deployment by someone else.
RollbackResult rollback_once(github::Client& client, util::Clock& clock,
                             const std::string& repo_path, const RollbackRequest& request,
                             const ExactlyOnceTiming& timing);

// Pure parts, for tests: the claim token in a status description, and the winning claim among
// statuses (newest first, as listed) relative to our own claim.
std::string claim_token_of(std::string_view description);
std::optional<DeploymentStatus> winning_claim(const std::vector<DeploymentStatus>& statuses,
                                              const std::string& my_token, int64_t claim_window_s);

} // namespace tollgate::publish
