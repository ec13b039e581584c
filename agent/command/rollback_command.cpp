#include "command/rollback_command.h"

#include "publish/deployments.h"
#include "publish/rollback.h"
#include "publish/review_header.h"
#include "publish/rollback_plan.h"
#include "runner/matrix.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Workflow-dispatch inputs are short strings; a long failure reason is cut.
constexpr size_t k_reason_input_chars = 1000;

std::string repo_path_of(const Context& ctx) {
  return fmt::format("/repos/{}/{}", ctx.actions.owner, ctx.actions.repo);
}

int64_t env_ms(const char* name, int64_t fallback) {
  runner::ProcessEnvironment env;
  if (auto v = env.get(name)) return std::max<int64_t>(0, std::atoll(v->c_str()));
  return fallback;
}

// Tests shorten the waits through these variables; the defaults suit GitHub.
publish::ExactlyOnceTiming timing_from_env() {
  publish::ExactlyOnceTiming t;
  t.settle_ms = env_ms("TOLLGATE_CLAIM_SETTLE_MS", t.settle_ms);
  t.dispatch.run_lookup_wait_ms =
      env_ms("TOLLGATE_RUN_LOOKUP_WAIT_MS", t.dispatch.run_lookup_wait_ms);
  t.dispatch.run_lookup_step_ms =
      std::max<int64_t>(1, env_ms("TOLLGATE_RUN_LOOKUP_STEP_MS", t.dispatch.run_lookup_step_ms));
  return t;
}

std::string default_branch(github::Client& client, const std::string& repo_path) {
  auto r = client.get(repo_path);
  auto branch = r.json.IsObject() ? util::string_or(r.json, "default_branch") : std::string_view();
  if (branch.empty())
    throw util::InputError("rollback: the repository's default branch is unknown; give --ref");
  return std::string(branch);
}

std::vector<std::pair<std::string, std::string>>
parse_inputs(const std::vector<std::string>& pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw util::InputError(fmt::format("--input '{}': write it as name=value", p));
    out.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  return out;
}

// Later pairs replace earlier ones with the same name.
void set_input(std::vector<std::pair<std::string, std::string>>& inputs, const std::string& k,
               const std::string& v) {
  for (auto& [name, value] : inputs) {
    if (name == k) {
      value = v;
      return;
    }
  }
  inputs.emplace_back(k, v);
}

std::string latest_environment_url(github::Client& client, const std::string& repo_path,
                                   int64_t deployment_id) {
  auto r =
      client.get(fmt::format("{}/deployments/{}/statuses?per_page=1", repo_path, deployment_id));
  if (!r.json.IsArray() || r.json.Empty()) return {};
  return std::string(util::string_or(r.json[0], "environment_url"));
}

class RollbackCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("action", m_action,
                   "plan: find the last good deployment; dispatch: start the rollback workflow")
        ->required()
        ->check(CLI::IsMember({"plan", "dispatch"}));
    app.add_option("--environment", m_options.environment,
                   "The environment (deployments are found by environment + commit)");
    app.add_option("--sha", m_options.sha, "The failing commit (default: GITHUB_SHA)");
    app.add_option("--deployment-id", m_options.deployment_id,
                   "The failing deployment (default: found by environment + commit)");
    app.add_option("--workflow", m_options.workflow,
                   "dispatch: the rollback workflow's file name (rollback.yml) or id");
    app.add_option(
        "--ref", m_options.ref,
        "dispatch: the branch or tag to run the workflow on (default: the default branch)");
    app.add_option("--input", m_inputs, "dispatch: a workflow input name=value; repeatable")
        ->take_all();
    app.add_option("--to-ref", m_options.to_ref,
                   "dispatch: what to roll back to (default: the last good deployment's commit)");
    app.add_option("--reason", m_options.reason, "dispatch: the reason input");
    app.add_option("--environment-url", m_options.environment_url,
                   "The environment_url of the failure status");
    app.add_option("--dedupe-key", m_dedupe_key,
                   "dispatch without --environment: a key that makes the dispatch happen once");
  }

  publish::DeliveryOptions delivery_defaults() const override { return summary_only_delivery(); }

  model::Outcome run(Context& ctx) override {
    m_options.extra_inputs = parse_inputs(m_inputs);
    model::Outcome outcome;
    outcome.command = "rollback";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Rollback", ctx.leg)
                                                       : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/rollback", ctx.leg);
    if (m_action == "plan")
      plan(ctx, outcome);
    else
      dispatch(ctx, outcome);
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    return outcome;
  }

private:
  github::Client& require_client(const Context& ctx) {
    if (!ctx.client)
      throw util::InputError(
          fmt::format("rollback {}: needs GITHUB_TOKEN and GITHUB_REPOSITORY (a token with {})", m_action,
                      m_action == "plan" ? "deployments: read" : "deployments: write and actions: write"));
    return *ctx.client;
  }

  void plan(Context& ctx, model::Outcome& outcome) {
    if (m_options.environment.empty()) throw util::InputError("rollback plan: give --environment");
    github::Client& client = require_client(ctx);
    const std::string sha = m_options.sha.empty() ? ctx.actions.sha : m_options.sha;
    const auto target =
        publish::plan_rollback(client, repo_path_of(ctx), m_options.environment, sha);
    outcome.passed = target.has_value();
    if (target) {
      outcome.title = fmt::format("Roll {} back to {} (deployment {})", m_options.environment,
                                  target->sha.substr(0, 12), target->id);
      // The ref as the deployment named it first; its commit short and linked (the full SHA is in
      // the to-ref output and --json).
      outcome.summary =
          fmt::format("**Roll <code>{}</code> back to <code>{}</code>**: deployment {} at {}, {}.\n",
                      util::escape_table_cell(m_options.environment), util::escape_table_cell(target->ref),
                      target->id, publish::commit_link(publish::review_links(ctx.actions), target->sha),
                      util::escape_html(target->created_at));
      outcome.outputs = {{"to-ref", target->sha},
                         {"to-ref-name", target->ref},
                         {"to-deployment-id", std::to_string(target->id)}};
    } else {
      outcome.title = fmt::format("No earlier successful deployment of {} to roll back to",
                                  m_options.environment);
      // The title holds the raw --environment; the summary is Markdown and gets it escaped.
      outcome.summary = fmt::format("No earlier successful deployment of <code>{}</code> to roll back to.\n",
                                    util::escape_table_cell(m_options.environment));
    }
    const std::string environment = m_options.environment;
    outcome.write_json_extra = [target, environment](util::JsonWriter& w) {
      w.Key("plan");
      w.StartObject();
      w.Key("environment");
      util::write_string(w, environment);
      w.Key("found");
      w.Bool(target.has_value());
      if (target) {
        w.Key("deployment_id");
        w.Int64(target->id);
        w.Key("sha");
        util::write_string(w, target->sha);
        w.Key("ref");
        util::write_string(w, target->ref);
      }
      w.EndObject();
    };
  }

  void dispatch(Context& ctx, model::Outcome& outcome) {
    if (m_options.workflow.empty()) throw util::InputError("rollback dispatch: give --workflow");
    publish::RollbackSummary summary;
    bool error = false;
    if (!m_options.environment.empty()) {
      require_client(ctx);
      auto run = roll_back(ctx, m_options,
                           m_options.reason.empty() ? "Rollback requested" : m_options.reason);
      summary = run.summary;
      error = run.error;
    } else {
      summary = plain_dispatch(ctx);
    }
    outcome.passed = !error && (summary.dispatched || summary.already || ctx.common.dry_run);
    outcome.title = summary.dispatched ? "Rollback workflow dispatched"
                    : summary.already  ? "Rollback workflow already dispatched"
                                       : "Rollback workflow not dispatched";
    outcome.summary = publish::rollback_summary(summary, publish::review_links(ctx.actions));
    outcome.outputs = {
        {"run-url", summary.run_url},
        {"dispatched", summary.dispatched ? "true" : "false"},
        {"deployment-id", summary.deployment_id ? std::to_string(summary.deployment_id) : ""},
        {"to-ref", summary.to_ref}};
    if (!summary.note.empty())
      *ctx.log << "tollgate: rollback: " << util::sanitize_utf8(summary.note) << "\n";
    outcome.write_json_extra = [summary](util::JsonWriter& w) {
      publish::write_rollback_json(w, summary);
    };
  }

  publish::RollbackSummary plain_dispatch(Context& ctx) {
    publish::RollbackSummary s;
    s.requested = true;
    s.dedupe_key = m_dedupe_key;
    publish::DispatchRequest request;
    request.workflow = m_options.workflow;
    request.inputs = m_options.extra_inputs;
    request.dedupe_key = m_dedupe_key;
    if (!m_dedupe_key.empty()) set_input(request.inputs, "dedupe_key", m_dedupe_key);
    if (ctx.common.dry_run) {
      s.note = fmt::format("dry run: would dispatch {} on {}", m_options.workflow,
                           m_options.ref.empty() ? "the default branch" : m_options.ref);
      return s;
    }
    github::Client& client = require_client(ctx);
    util::SystemClock clock;
    const std::string repo_path = repo_path_of(ctx);
    request.ref = m_options.ref.empty() ? default_branch(client, repo_path) : m_options.ref;
    if (!m_dedupe_key.empty()) {
      // A day back covers re-runs of the same job.
      if (auto run = publish::find_run_by_key(client, repo_path, request.workflow, m_dedupe_key,
                                              clock.epoch_seconds() - 86400)) {
        s.already = true;
        s.run_url = run->html_url;
        s.note = "a run with this dedupe key exists already";
        return s;
      }
    }
    const auto sent =
        publish::dispatch_workflow(client, clock, repo_path, request, timing_from_env().dispatch);
    s.dispatched = sent.dispatched;
    s.run_url = sent.run.html_url;
    if (sent.run.id == 0)
      s.note = "dispatched; the run could not be identified (give --dedupe-key and put it in the "
               "run name)";
    return s;
  }

  std::string m_action;
  RollbackOptions m_options;
  std::vector<std::string> m_inputs;
  std::string m_dedupe_key;
};

} // namespace

std::unique_ptr<Command> make_rollback_command() {
  return std::make_unique<RollbackCommand>();
}

RollbackRun roll_back(Context& ctx, const RollbackOptions& options,
                      const std::string& failure_description) {
  RollbackRun out;
  publish::RollbackSummary& s = out.summary;
  s.requested = true;
  s.environment = options.environment;
  if (!ctx.client) {
    s.note = "no token or repository: the deployment was not marked failed and no rollback was "
             "dispatched";
    out.error = true;
    return out;
  }
  github::Client& client = *ctx.client;
  const std::string repo_path = repo_path_of(ctx);
  const std::string sha = options.sha.empty() ? ctx.actions.sha : options.sha;
  try {
    const auto deployment =
        options.deployment_id
            ? publish::get_deployment(client, repo_path, options.deployment_id)
            : publish::find_deployment(client, repo_path, options.environment, sha);
    if (!deployment) {
      s.note = fmt::format(
          "no deployment of {} at {} was found, so none was marked failed and no rollback was "
          "dispatched (give the job `environment: {}`, or run `tollgate deployment start`)",
          options.environment, sha.substr(0, 12), options.environment);
      out.error = true;
      return out;
    }
    s.deployment_id = deployment->id;
    const std::string environment_url =
        !options.environment_url.empty()
            ? options.environment_url
            : latest_environment_url(client, repo_path, deployment->id);
    const publish::DeploymentStatusRequest failed{"failure", failure_description,
                                                  ctx.actions.run_url(), environment_url};
    if (options.workflow.empty()) {
      if (ctx.common.dry_run)
        s.note = fmt::format("dry run: would mark deployment {} failed", deployment->id);
      else
        publish::post_deployment_status(client, repo_path, deployment->id, failed);
      s.marked_failed = !ctx.common.dry_run;
      return out;
    }
    s.dedupe_key = publish::dedupe_key_for(*deployment);
    s.to_ref = options.to_ref;
    if (s.to_ref.empty()) {
      if (auto good =
              publish::plan_rollback(client, repo_path, options.environment, deployment->sha))
        s.to_ref = good->sha;
    }
    if (s.to_ref.empty()) {
      if (!ctx.common.dry_run)
        publish::post_deployment_status(client, repo_path, deployment->id, failed);
      s.marked_failed = !ctx.common.dry_run;
      s.note = fmt::format(
          "no earlier successful deployment of {}: nothing to roll back to, no rollback dispatched",
          options.environment);
      out.error = true;
      return out;
    }
    publish::RollbackRequest request;
    request.deployment = *deployment;
    request.failure_description = failure_description;
    request.log_url = ctx.actions.run_url();
    request.environment_url = environment_url;
    request.claimant =
        ctx.actions.run_id.empty() ? "local" : ctx.actions.run_id + "." + ctx.actions.run_attempt;
    request.dispatch.workflow = options.workflow;
    request.dispatch.ref = options.ref.empty() ? default_branch(client, repo_path) : options.ref;
    request.dispatch.inputs = {
        {"environment", options.environment},
        {"to_ref", s.to_ref},
        {"reason",
         util::truncate_chars(options.reason.empty() ? failure_description : options.reason,
                              k_reason_input_chars)},
        {"source_run", ctx.actions.run_url()}};
    for (const auto& [k, v] : options.extra_inputs)
      set_input(request.dispatch.inputs, k, v);
    if (ctx.common.dry_run) {
      s.note = fmt::format(
          "dry run: would mark deployment {} failed and dispatch {} on {} to roll back to {}",
          deployment->id, options.workflow, request.dispatch.ref, s.to_ref);
      return out;
    }
    util::SystemClock clock;
    const auto result =
        publish::rollback_once(client, clock, repo_path, request, timing_from_env());
    s.marked_failed = true;
    s.dispatched = result.dispatched;
    s.already = result.already;
    s.run_url = result.run.html_url;
    s.note = result.note;
  } catch (const github::ApiError& e) {
    s.note = fmt::format("GitHub: {}", e.what());
    out.error = true;
  }
  return out;
}

} // namespace tollgate::command
