#pragma once
// Accounting for every leg of a matrix (`tollgate merge`): a leg that wrote no `--json` result
// (dependencies failed to install, the runner died, the leg was cancelled) is a failed leg, named,
// never a leg that silently is not there. What legs to expect comes from the workflow run's jobs
// (the Actions API) and/or from `--expected-legs`; both are decided here, as values.
#include <optional>
#include <string>
#include <vector>

#include "model/leg_result.h"

namespace tollgate::gate {

// One job of the workflow run, as the jobs API lists it.
struct RunJob {
  std::string name;       // "test (ubuntu-latest, 3.12)"
  std::string status;     // queued, in_progress, completed, ...
  std::string conclusion; // success, failure, cancelled, skipped, ... or empty while running
  std::string html_url;
};

// A leg that must have a result.
struct ExpectedLeg {
  std::string name;       // shown in the table: the job's name, or the leg label
  std::string job;        // the job id (GITHUB_JOB) the legs' results record; empty when unknown
  std::string leg;        // the matrix leg label ("ubuntu-latest, 3.12"); empty outside a matrix
  std::string conclusion; // the job's, when known
  std::string url;        // the job's page, when known
};

// The legs of the jobs `job_keys` in the run: jobs named exactly a key, or "key (leg)". A job is
// named by `jobs.<job_id>.name`, else its id
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idname);
// the jobs API lists each leg of a matrix job as that name followed by the leg's matrix values,
// ", "-joined in parentheses ("test (ubuntu-latest, 3.12)"), unless the name itself uses the
// matrix (https://docs.github.com/en/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run).
// That suffix is what the service returns, not a documented format: where it does not match,
// merge says so and `--legs-job` / `--expected-legs` name the legs instead.
std::vector<ExpectedLeg> legs_from_jobs(const std::vector<RunJob>& jobs, const std::vector<std::string>& job_keys);

// The label that names a result's leg: its recorded matrix leg, else the parenthesised suffix of
// its check name ("Tests (3.12)" → "3.12"), else its check name.
std::string leg_label(const model::LegResult& result);

// Adds a failed, missing leg to `legs` for each expected leg that no result answers. Returns how
// many were added.
size_t add_missing_legs(std::vector<model::LegResult>& legs, const std::vector<ExpectedLeg>& expected);

// The legs the run's jobs expect, added to `legs` as add_missing_legs does, per job key. Where
// none of a key's jobs matches a result by its leg (the job names do not show the matrix values
// as the legs label them), the key's legs are compared by count instead: as many failed legs are
// added as the key has jobs beyond the legs with results, named after the jobs that did not
// succeed when exactly that many did not. Returns a note per key compared by count.
std::vector<std::string> add_missing_from_jobs(std::vector<model::LegResult>& legs,
                                               const std::vector<ExpectedLeg>& from_jobs);

// `--expected-legs N`: adds failed, missing legs until `legs` has results from N distinct legs.
size_t add_missing_by_count(std::vector<model::LegResult>& legs, size_t expected);

} // namespace tollgate::gate
