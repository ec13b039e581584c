#include "publish/deliver.h"

#include <fmt/format.h>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <ostream>

#include "publish/check_run.h"
#include "publish/commit_status.h"
#include "publish/deliver_fallback.h"
#include "publish/limits.h"
#include "publish/pr_comment.h"
#include "runner/log_stream.h"
#include "runner/workflow_commands.h"
#include "util/error.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

const char* icon(model::Conclusion c) {
  switch (c) {
  case model::Conclusion::success: return "✅";
  case model::Conclusion::failure: return "❌";
  case model::Conclusion::neutral: return "⚪";
  }
  return "";
}

// A finding as one terminal line: path:line: level: title: message (first line of it).
std::string terminal_line(const model::Finding& f) {
  std::string message = f.message.substr(0, f.message.find('\n'));
  std::string where = f.path.empty() ? "(no location)" : f.start_line > 0 ? fmt::format("{}:{}", f.path, f.start_line) : f.path;
  if (f.end_line > f.start_line) where += fmt::format("-{}", f.end_line);
  std::string text = f.title.empty() ? message : message.empty() ? f.title : f.title + ": " + message;
  return util::sanitize_utf8(fmt::format("{}: {}: {}", where, model::to_string(f.level), text));
}

// `out` already neutralises every line the runner could read as a command (runner::SafeLog);
// inside Actions the text is also fenced by stop-commands.
void print_untrusted(std::ostream& out, runner::CommandWriter& commands, bool in_actions, std::string_view text) {
  std::optional<runner::CommandPause> pause;
  if (in_actions) pause.emplace(runner::pause_commands(text));
  if (pause) commands.write(pause->stop);
  out << text << (text.empty() || text.back() == '\n' ? "" : "\n");
  if (pause) commands.write(pause->resume);
}

std::string comment_plan(CommentMode mode, const model::Outcome& outcome) {
  switch (mode) {
  case CommentMode::always: return "created or updated: --comment always";
  case CommentMode::changes: return "created, or updated when the verdict or the numbers changed: --comment changes";
  case CommentMode::failures:
    return outcome.conclusion == model::Conclusion::failure
               ? "created or updated: a gate failed, --comment failures"
               : "only an existing one is updated, none is created: all passed, --comment failures";
  case CommentMode::off: break;
  }
  return "";
}

void print_dry_run(const model::Outcome& outcome, const runner::ActionsContext& ctx, const DeliveryOptions& options,
                   runner::CommandWriter& commands, std::ostream& out) {
  const std::string commit = ctx.target_sha().empty() ? "(no commit)" : ctx.target_sha();
  std::string plan = "dry run: nothing is posted. Would post:\n";
  if (options.check_run == CheckRunMode::none) {
    plan += fmt::format("no check run (--check-run none): {} — {}\n", model::to_string(outcome.conclusion), outcome.title);
  } else {
    plan += options.check_run == CheckRunMode::job
                ? fmt::format("onto the job's own check run on {}: {} — {}\n", commit, model::to_string(outcome.conclusion),
                              outcome.title)
                : fmt::format("check run \"{}\" on {}: {} — {}\n", outcome.check_name, commit,
                              model::to_string(outcome.conclusion), outcome.title);
    const auto annotations = annotatable(outcome);
    plan += fmt::format("{} annotation(s) in {} request(s):\n", annotations.size(),
                        annotations.empty() ? 1 : (annotations.size() + 49) / 50);
    for (const auto& f : annotations) plan += "  " + terminal_line(f) + "\n";
  }
  const std::string state = outcome.conclusion == model::Conclusion::failure ? "failure" : "success";
  if (options.commit_status == StatusMode::always || (options.commit_status == StatusMode::fallback &&
                                                      options.check_run == CheckRunMode::none))
    plan += fmt::format("commit status \"{}\": {}\n", status_context(outcome, options), state);
  else if (options.commit_status == StatusMode::fallback)
    plan += fmt::format("commit status \"{}\": {} — only if the check run cannot be written "
                        "(--commit-status fallback)\n", status_context(outcome, options), state);
  if (options.comment != CommentMode::off && ctx.event.pull_request > 0)
    plan += fmt::format("sticky comment on pull request #{} ({})\n", ctx.event.pull_request, comment_plan(options.comment, outcome));
  plan += "summary:\n" + render_markdown(outcome);
  print_untrusted(out, commands, ctx.in_actions, plan);
}

// --check-run job: the job's own check run, found through the jobs of this run attempt by the
// runner's name, so results appear under the workflow that produced them.
CheckRunResult publish_onto_job(github::Client& client, const model::Outcome& outcome, const runner::ActionsContext& ctx) {
  const std::string repo_path = fmt::format("/repos/{}/{}", ctx.owner, ctx.repo);
  if (ctx.run_id.empty() || ctx.runner_name.empty())
    throw util::InputError("--check-run job needs GITHUB_RUN_ID and RUNNER_NAME (set by the Actions runner)");
  const auto jobs = client.get_all(fmt::format("{}/actions/runs/{}/attempts/{}/jobs?per_page=100", repo_path,
                                               ctx.run_id, ctx.run_attempt),
                                   "jobs", 10);
  for (const auto& job : jobs) {
    if (util::string_or(job, "runner_name") != ctx.runner_name || util::string_or(job, "status") == "completed") continue;
    const std::string_view url = util::string_or(job, "check_run_url");
    const auto slash = url.rfind('/');
    if (slash == std::string_view::npos) continue;
    const int64_t id = std::strtoll(std::string(url.substr(slash + 1)).c_str(), nullptr, 10);
    if (id > 0) return publish_onto_check_run(client, outcome, repo_path, id);
  }
  throw util::InputError(fmt::format("--check-run job: no running job of run {} uses runner '{}'", ctx.run_id,
                                     util::escape_markdown(ctx.runner_name)));
}

// Where the findings that were not annotated can be seen.
std::string where_to_see(const DeliveryOptions& options) {
  return options.json_path.empty() ? "the job summary" : "the job summary and the --json result";
}

} // namespace

StatusMode parse_status_mode(std::string_view text) {
  if (text == "fallback") return StatusMode::fallback;
  if (text == "always") return StatusMode::always;
  if (text == "off") return StatusMode::off;
  throw util::InputError(fmt::format("--commit-status {}: expected fallback, always or off",
                                     util::sanitize_utf8(text.substr(0, 40))));
}

std::string status_context(const model::Outcome& outcome, const DeliveryOptions& options) {
  return options.check_name_given ? "tollgate/" + outcome.check_name : outcome.status_context;
}

std::string render_markdown(const model::Outcome& outcome) {
  std::string md = fmt::format("### {}{}\n\n**{}**\n\n", outcome.judges ? fmt::format("{} ", icon(outcome.conclusion)) : "",
                               util::escape_markdown(outcome.check_name), util::escape_markdown(outcome.title));
  md += outcome.summary;
  if (!outcome.text.empty()) md += "\n" + outcome.text;
  md += unannotated_note(outcome);
  return md;
}

DeliveryReport deliver(const model::Outcome& outcome, const runner::ActionsContext& ctx, github::Client* client,
                       const DeliveryOptions& options, runner::CommandWriter& commands, std::ostream& out,
                       std::ostream& log) {
  DeliveryReport report;
  // A dry run posts nothing through the API; what stays on the runner (the job summary, the step
  // outputs, --summary FILE) is written as in a real run, so a dry run shows what a run would.
  if (options.dry_run) print_dry_run(outcome, ctx, options, commands, out);
  const std::string markdown = render_markdown(outcome);
  const std::string repo_path = fmt::format("/repos/{}/{}", ctx.owner, ctx.repo);
  const std::string sha = ctx.target_sha();

  bool check_posted = false;
  if (options.dry_run) {
    // nothing is posted
  } else if (client && ctx.has_repository() && !sha.empty()) {
    // What could not be written: a check run refused (no `checks: write`, or a token that is no
    // GitHub App's) leaves the commit status as the fallback; a status or comment refused too
    // leaves the job summary and workflow commands.
    std::optional<github::ApiError> refused;
    bool check_refused = false;
    try {
      if (options.check_run != CheckRunMode::none) {
        CheckRunResult result;
        if (options.check_run == CheckRunMode::job) {
          result = publish_onto_job(*client, outcome, ctx);
        } else {
          CheckRunTarget target{repo_path, sha, external_id_for(outcome.check_name, options.writer), ctx.run_url()};
          result = publish_check_run(*client, outcome, target);
        }
        report.check_run_url = result.html_url;
        report.annotations_posted = result.annotations_posted;
        check_posted = true;
      }
    } catch (const github::ApiError& e) {
      if (!e.is_permission_error()) throw;
      refused = e;
      check_refused = true;
    }
    try {
      if (options.commit_status == StatusMode::always ||
          (options.commit_status == StatusMode::fallback && check_refused)) {
        model::Outcome status; // what a status carries: state, context, description
        status.conclusion = outcome.conclusion;
        status.title = outcome.title;
        status.status_context = status_context(outcome, options);
        publish_commit_status(*client, repo_path, sha, status, ctx.run_url());
        report.status_posted = true;
      }
      if (options.comment != CommentMode::off && ctx.event.pull_request > 0) {
        const CommentResult comment =
            publish_sticky_comment(*client, repo_path, ctx.event.pull_request, outcome, markdown, options.comment);
        report.comment_url = comment.url;
        report.comment_action = comment.action;
      }
    } catch (const github::ApiError& e) {
      if (!e.is_permission_error()) throw;
      if (!refused) refused = e;
    }
    if (refused && !report.status_posted) {
      report.fell_back = true;
      log << fmt::format("tollgate: the token cannot write to {}/{} (HTTP {}: {}), as with pull requests from forks; "
                         "results go to the job summary and the log as workflow-command annotations instead\n",
                         ctx.owner, ctx.repo, refused->status(), util::escape_markdown(refused->api_message()));
    } else if (check_refused) {
      log << fmt::format("tollgate: the token cannot write check runs to {}/{} (HTTP {}: {}); the commit status "
                         "\"{}\" says the verdict instead, and the findings go to the log as workflow-command "
                         "annotations\n",
                         ctx.owner, ctx.repo, refused->status(), util::escape_markdown(refused->api_message()),
                         util::escape_markdown(status_context(outcome, options)));
    }
  } else if (ctx.in_actions) {
    report.fell_back = true;
    log << "tollgate: no token or repository; results go to the job summary and the log as workflow-command "
           "annotations\n";
  }

  std::string step_markdown = markdown;
  if (options.dry_run && ctx.in_actions) {
    step_markdown = "> [!NOTE]\n> Dry run (`--dry-run`): nothing was posted to GitHub.\n\n" + markdown;
  } else if (options.dry_run) {
    // the plan printed above is the terminal output
  } else if (ctx.in_actions) {
    if (!check_posted) {
      const FallbackAnnotations selection = fallback_annotations(outcome);
      for (const auto& f : selection.shown) commands.write(runner::annotation_command(f));
      if (selection.more()) {
        const std::string more = describe_more(selection);
        log << fmt::format("tollgate: {} not shown as annotations (the runner shows at most {} of each level per step "
                           "and {} per job, and drops the rest); every finding is in {}\n",
                           more, k_step_annotations_per_level, k_job_annotations, where_to_see(options));
        step_markdown += fmt::format("\n> [!NOTE]\n> No check run was posted, so findings went out as workflow-command "
                                     "annotations: {} shown, {} not shown (the runner shows at most {} of each level "
                                     "per step). Every finding is listed in {}.\n",
                                     selection.shown.size(), more, k_step_annotations_per_level, where_to_see(options));
      }
    }
    // Counts and URLs only: every other text from reports stays out of the plain log.
    out << fmt::format("{}: {}{}\n", util::sanitize_utf8(outcome.check_name), model::to_string(outcome.conclusion),
                       report.check_run_url.empty() ? "" : " · " + report.check_run_url);
  } else {
    std::string lines;
    model::for_each_finding(outcome, [&](const model::Finding& f) {
      lines += terminal_line(f) + "\n";
      return true;
    });
    lines += fmt::format("{}: {} — {}\n", outcome.check_name, model::to_string(outcome.conclusion), outcome.title);
    for (const auto& g : outcome.gates)
      lines += fmt::format("  gate {}: {} (threshold {}, actual {})\n", g.name, g.passed ? "passed" : "FAILED",
                           g.threshold, g.actual);
    print_untrusted(out, commands, false, lines);
  }
  if (!ctx.step_summary_path.empty()) runner::append_step_summary(ctx.step_summary_path, step_markdown);
  if (!options.summary_file.empty()) {
    std::ofstream f(options.summary_file, std::ios::binary | std::ios::trunc);
    if (!f) throw util::InputError(fmt::format("--summary {}: cannot open for writing", options.summary_file));
    f << markdown;
  }
  if (!ctx.output_path.empty()) {
    runner::append_output(ctx.output_path, "passed", outcome.passed ? "true" : "false");
    runner::append_output(ctx.output_path, "conclusion", model::to_string(outcome.conclusion));
    runner::append_output(ctx.output_path, "check-run-url", report.check_run_url);
    for (const auto& [name, value] : outcome.outputs) runner::append_output(ctx.output_path, name, value);
  }
  return report;
}

} // namespace tollgate::publish
