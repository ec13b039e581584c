#include "command/deployment_command.h"

#include "publish/deployments.h"
#include "publish/review_header.h"
#include "publish/rollback_plan.h"
#include "runner/matrix.h"
#include "util/json.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

class DeploymentCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("action", m_action,
                   "start: find (or create) the deployment and post in_progress; finish: post the "
                   "final state")
        ->required()
        ->check(CLI::IsMember({"start", "finish"}));
    app.add_option("--environment", m_environment, "The environment (the job's `environment:`)")
        ->required();
    app.add_option(
        "--ref", m_ref,
        "start: the ref to deploy when a deployment has to be created (default: the commit)");
    app.add_option("--sha", m_sha, "The deployed commit (default: GITHUB_SHA)");
    app.add_option("--deployment-id", m_deployment_id, "Use this deployment instead of finding it");
    app.add_option("--url", m_url, "The deployed site: the status's environment_url");
    app.add_option("--state", m_state, "finish: success (default), failure, error or inactive")
        ->check(CLI::IsMember({"success", "failure", "error", "inactive"}));
    app.add_option("--description", m_description,
                   "The status description (cut to 140 characters)");
  }

  publish::DeliveryOptions delivery_defaults() const override { return summary_only_delivery(); }

  model::Outcome run(Context& ctx) override {
    model::Outcome outcome;
    outcome.command = "deployment";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Deployment", ctx.leg)
                                                       : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/deployment", ctx.leg);
    outcome.judges = false;
    const std::string sha = m_sha.empty() ? ctx.actions.sha : m_sha;
    const std::string state = m_action == "start" ? "in_progress" : m_state;
    if (!ctx.client) {
      // Like every command without a token: say so, do not fail the job over it.
      *ctx.log << "tollgate: deployment: no token or repository; no deployment status posted\n";
      outcome.title = fmt::format("{} {}: not posted (no token)", m_environment, state);
      outcome.conclusion = model::Conclusion::neutral;
      return outcome;
    }
    if (sha.empty() && m_deployment_id == 0)
      throw util::InputError("deployment: give --sha (GITHUB_SHA is not set)");
    github::Client& client = *ctx.client;
    const std::string repo_path = fmt::format("/repos/{}/{}", ctx.actions.owner, ctx.actions.repo);

    // A job that deploys another commit than the one it runs on (a rollback; a deploy started by
    // workflow_run or workflow_dispatch): the deployment GitHub made for the job is of GITHUB_SHA,
    // so `start` gives the deployed commit a deployment of its own and marks GitHub's as not
    // deployed, which keeps it out of `rollback plan` once GitHub marks it success.
    const bool other_commit = m_action == "start" && m_deployment_id == 0 &&
                              !ctx.actions.sha.empty() && sha != ctx.actions.sha;
    const auto superseded =
        other_commit ? publish::find_run_deployment_to_mark(client, repo_path, m_environment,
                                                            ctx.actions.sha, sha)
                     : publish::NotDeployedMark{};
    auto deployment = m_deployment_id ? publish::get_deployment(client, repo_path, m_deployment_id)
                      : other_commit  ? std::nullopt
                                      : publish::find_deployment(client, repo_path, m_environment, sha);
    bool created = false;
    if (!deployment && m_deployment_id)
      throw util::InputError(fmt::format("deployment: there is no deployment {}", m_deployment_id));
    if (!deployment && m_action == "finish")
      throw util::InputError(
          fmt::format("deployment finish: no deployment of {} at {} (run `deployment start` first)",
                      m_environment, sha.substr(0, 12)));
    const publish::DeploymentStatusRequest request{
        state, m_description.empty() ? default_description(state) : m_description,
        ctx.actions.run_url(), m_url};
    const publish::DeploymentStatusRequest not_deployed{"inactive", superseded.description,
                                                         ctx.actions.run_url(), ""};
    if (ctx.common.dry_run) {
      if (superseded.deployment_id)
        *ctx.out << fmt::format("dry run: would post on deployment {}: {}\n",
                                superseded.deployment_id,
                                publish::deployment_status_body(not_deployed));
      *ctx.out << fmt::format("dry run: would {}post {} on deployment {} of {}: {}\n",
                              deployment ? "" : "create a deployment and ", state,
                              deployment ? std::to_string(deployment->id) : "(new)", m_environment,
                              publish::deployment_status_body(request));
    } else {
      if (superseded.deployment_id)
        publish::post_deployment_status(client, repo_path, superseded.deployment_id, not_deployed);
      if (!deployment) {
        deployment =
            publish::create_deployment(client, repo_path, m_environment,
                                       m_ref.empty() ? sha : m_ref, sha, "Deployed by tollgate");
        created = true;
      }
      publish::post_deployment_status(client, repo_path, deployment->id, request);
    }
    const int64_t id = deployment ? deployment->id : 0;
    outcome.title = fmt::format("Deployment {} of {}: {}", id, m_environment, state);
    outcome.summary = fmt::format(
        "Deployment {} of <code>{}</code>{}: **{}**{}.\n", id,
        util::escape_table_cell(m_environment), created ? " (created)" : "", state,
        m_url.empty() ? "" : fmt::format(" — <code>{}</code>", util::escape_table_cell(m_url)));
    if (superseded.deployment_id)
      outcome.summary += fmt::format(
          "Deployment {} (of {}, the commit this workflow runs on) is marked inactive: this job deploys {}.\n",
          superseded.deployment_id, publish::commit_link(publish::review_links(ctx.actions), ctx.actions.sha),
          publish::commit_link(publish::review_links(ctx.actions), sha));
    outcome.outputs = {{"deployment-id", id ? std::to_string(id) : ""},
                       {"deployment-state", state}};
    const std::string environment = m_environment;
    outcome.write_json_extra = [id, environment, state, created](util::JsonWriter& w) {
      w.Key("deployment");
      w.StartObject();
      w.Key("id");
      w.Int64(id);
      w.Key("environment");
      util::write_string(w, environment);
      w.Key("state");
      util::write_string(w, state);
      w.Key("created");
      w.Bool(created);
      w.EndObject();
    };
    return outcome;
  }

private:
  static std::string default_description(const std::string& state) {
    if (state == "in_progress") return "Deploying";
    if (state == "success") return "Deployed";
    if (state == "failure") return "Deployment failed";
    if (state == "error") return "Deployment errored";
    return "Inactive";
  }

  std::string m_action;
  std::string m_environment;
  std::string m_ref;
  std::string m_sha;
  int64_t m_deployment_id = 0;
  std::string m_url;
  std::string m_state = "success";
  std::string m_description;
};

} // namespace

std::unique_ptr<Command> make_deployment_command() {
  return std::make_unique<DeploymentCommand>();
}

} // namespace tollgate::command
