#pragma once
// Check runs: created once per check name, head commit and run attempt (found again by its
// external_id), annotations appended in batches of 50, nothing posted twice even when a write
// was applied but answered with an error.
#include <string>
#include <vector>

#include "github/client.h"
#include "model/leg_result.h"
#include "model/outcome.h"

namespace tollgate::publish {

struct CheckRunTarget {
  std::string repo_path;   // "/repos/owner/name"
  std::string head_sha;
  std::string external_id; // external_id_for(check name, writer)
  std::string details_url; // the workflow run, when known
};

struct CheckRunResult {
  int64_t id = 0;
  std::string html_url;
  size_t annotations_posted = 0; // stored on the check run, as GitHub counts them
};

// "tollgate:<check>:<run id>:<attempt>:<job>.<leg>.<runner>.<step>" (names hashed): the same step
// run again finds its own check run by it; a check run of the same name, run and attempt with
// another writer part belongs to another writer (another leg, job or step), which is refused.
std::string external_id_for(std::string_view check_name, const model::Writer& writer);

// The findings that can be annotations (they have a path and a line), capped at max_annotations.
std::vector<model::Finding> annotatable(const model::Outcome& outcome);

// "> [!NOTE] N more finding(s) were not annotated (the limit is M ...)" when findings with a
// location were left out by max_annotations; "" otherwise. In the job summary and the check
// run's own summary: a reviewer reading either is told that the annotations are not all.
std::string unannotated_note(const model::Outcome& outcome);

// What a request says of the check run's status: the job's own check run (--check-run job) is
// left to the runner, so those updates say nothing of it.
enum class RunStatus { in_progress, completed, untouched };

// Builds the JSON body for a create (with the first batch) or an update (with a later batch).
std::string check_run_body(const model::Outcome& outcome, const CheckRunTarget& target, bool create,
                           const std::vector<const model::Finding*>& batch, RunStatus status);

// Creates or (same writer) resumes the check run. A check run of the same name on the same commit
// written in this run attempt by another writer is never overwritten: util::InputError (exit 2)
// naming the input that tells the writers apart, before anything is posted.
CheckRunResult publish_check_run(github::Client& client, const model::Outcome& outcome, const CheckRunTarget& target);

// Writes the outcome onto an existing check run (the job's own: --check-run job).
CheckRunResult publish_onto_check_run(github::Client& client, const model::Outcome& outcome,
                                      const std::string& repo_path, int64_t check_run_id);

} // namespace tollgate::publish
