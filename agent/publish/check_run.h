#pragma once
// Check runs: created once per check name, head commit and run attempt (found again by its
// external_id), annotations appended in batches of 50, nothing posted twice even when a write
// was applied but answered with an error.
#include <string>
#include <vector>

#include "github/client.h"
#include "model/outcome.h"

namespace tollgate::publish {

struct CheckRunTarget {
  std::string repo_path;   // "/repos/owner/name"
  std::string head_sha;
  std::string external_id; // stable per check name + run + attempt
  std::string details_url; // the workflow run, when known
};

struct CheckRunResult {
  int64_t id = 0;
  std::string html_url;
  size_t annotations_posted = 0; // stored on the check run, as GitHub counts them
};

// The findings that can be annotations (they have a path and a line), capped at max_annotations.
std::vector<const model::Finding*> annotatable(const model::Outcome& outcome);

// What a request says of the check run's status: the job's own check run (--check-run job) is
// left to the runner, so those updates say nothing of it.
enum class RunStatus { in_progress, completed, untouched };

// Builds the JSON body for a create (with the first batch) or an update (with a later batch).
std::string check_run_body(const model::Outcome& outcome, const CheckRunTarget& target, bool create,
                           const std::vector<const model::Finding*>& batch, RunStatus status);

CheckRunResult publish_check_run(github::Client& client, const model::Outcome& outcome, const CheckRunTarget& target);

// Writes the outcome onto an existing check run (the job's own: --check-run job).
CheckRunResult publish_onto_check_run(github::Client& client, const model::Outcome& outcome,
                                      const std::string& repo_path, int64_t check_run_id);

} // namespace tollgate::publish
