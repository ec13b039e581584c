#pragma once
// Where an outcome goes: GitHub (check run, status, comment), the job summary, step outputs,
// workflow-command annotations when the token cannot write, or the terminal outside Actions.
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "github/client.h"
#include "model/leg_result.h"
#include "model/outcome.h"
#include "publish/pr_comment.h"
#include "runner/environment.h"
#include "runner/log_stream.h"

namespace tollgate::publish {

enum class CheckRunMode { create, job, none };

// One row per purpose in a pull request's checks list: GitHub lists a commit status context as a
// row of its own beside the check runs (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/collaborating-on-repositories-with-code-quality-features/about-status-checks),
// so a status that repeats a check run is noise. `fallback` posts it only when the check run
// could not be written (a token without `checks: write`, a personal access token: the Checks API
// is for GitHub Apps only); `always` posts both; `off` never a status.
enum class StatusMode { fallback, always, off };
StatusMode parse_status_mode(std::string_view text);


struct DeliveryOptions {
  bool dry_run = false;
  CommentMode comment = CommentMode::off; // the sticky pull-request comment
  StatusMode commit_status = StatusMode::fallback;
  CheckRunMode check_run = CheckRunMode::create;
  std::string summary_file;     // outside Actions: also write the Markdown summary here
  std::string json_path;        // where the --json result went, to point at it
  bool check_name_given = false; // --check-name: the status context follows it
  model::Writer writer;         // who writes: tells this step's check run from another writer's
};

// The commit status context: the command's ("tollgate/tests (3.12)", which follows the default
// check name), or "tollgate/<check name>" when the check name was given, so that two steps with
// different check names never share a status. GitHub keeps the latest status per context as the
// commit's state for it (https://docs.github.com/en/rest/commits/statuses).
std::string status_context(const model::Outcome& outcome, const DeliveryOptions& options);

struct DeliveryReport {
  std::string check_run_url;
  std::string comment_url;
  std::string comment_action;   // created, updated, unchanged (changes), skipped (failures, passed) or ""
  bool status_posted = false;
  size_t annotations_posted = 0;
  bool fell_back = false;       // the token could not write: workflow commands were used
};

// The Markdown shown in the job summary, the comment and (as summary) the check run.
std::string render_markdown(const model::Outcome& outcome);

// Publishes the outcome. `client` is null when there is no token or no repository. Permission
// errors (no token, read-only token) fall back to workflow commands and the job summary and are
// said once on `log`; other GitHub failures propagate as github::ApiError (exit status 3).
// Workflow commands (annotations, add-mask) go through `commands`; `out` and `log` are the
// filtered streams of runner::SafeLog, where no line can be a command.
DeliveryReport deliver(const model::Outcome& outcome, const runner::ActionsContext& ctx, github::Client* client,
                       const DeliveryOptions& options, runner::CommandWriter& commands, std::ostream& out,
                       std::ostream& log);

} // namespace tollgate::publish
