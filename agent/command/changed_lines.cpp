#include "command/changed_lines.h"

#include <fmt/format.h>

#include "command/pull_request_lookup.h"

namespace tollgate::command {

runner::FoundChanges changed_lines_for(const Context& ctx, const std::string& base) {
  const auto& event = ctx.actions.event;
  runner::FoundChanges found;
  found.compared_with = base;
  // A workflow_run publisher checks out the base repository, not the commit its artifacts
  // measured: git there knows nothing of the pull request's lines.
  if (event.event_name == "workflow_run") {
    found.not_measured = "this workflow_run's checkout is not the commit the reports measured";
  } else {
    found = runner::find_changed_lines(ctx.repo_root, {base, event.head_sha, ctx.actions.in_actions});
    if (found.lines && !found.approximate) return found;
  }
  // The pull request's own diff, when git could not get an exact one. Its lines are those of the
  // pull request's head, which is what a workflow_run's reports and a head checkout measured.
  if (ctx.client && event.pull_request > 0 && base == event.base_sha && !event.head_sha.empty()) {
    auto api = pull_request_changed_lines(*ctx.client, ctx.actions, event.pull_request, event.head_sha);
    if (api.lines) {
      runner::FoundChanges from_api;
      from_api.lines = std::move(api.lines);
      from_api.compared_with = base;
      from_api.method = fmt::format("the files of pull request #{} (REST API)", event.pull_request);
      return from_api;
    }
    if (!found.lines) found.not_measured += "; " + api.not_measured;
  }
  return found;
}

} // namespace tollgate::command
