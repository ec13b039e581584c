#include "command/release_command.h"

#include "command/release_wait.h"
#include "probe/duration.h"
#include "publish/release_reads.h"
#include "publish/release_summary.h"
#include "publish/rollback_plan.h"
#include "runner/matrix.h"
#include "util/json.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Seconds since `when` (its success status), else since `created` (the deployment itself).
std::optional<int64_t> age_from(util::Clock& clock, const std::string& when, const std::string& created) {
  auto t = publish::parse_iso8601(when);
  if (!t) t = publish::parse_iso8601(created);
  if (!t) return std::nullopt;
  return clock.epoch_seconds() - *t;
}

// How long the deployment has been live: since its latest status, `success` (rollback plan's rule).
std::optional<int64_t> age_of(github::Client& client, const std::string& repo_path, util::Clock& clock,
                              const publish::Deployment& d) {
  const auto statuses = publish::list_deployment_statuses(client, repo_path, d.id);
  return age_from(clock, statuses.empty() ? "" : statuses.front().created_at, d.created_at);
}

// What the environment gets: the last successful deployment (as `rollback plan` finds it, the
// target commit excluded), the comparison, the commits and their pull requests.
void read_changes(github::Client& client, const std::string& repo_path, util::Clock& clock,
                  publish::ReleaseEvidence& e) {
  e.previous = publish::with_permission("the environment's deployments", "deployments: read", [&] {
    return publish::plan_rollback(client, repo_path, e.environment, e.target_sha);
  });
  // `rollback plan` never answers the target commit itself; a redeploy of the commit that runs now
  // is told apart by the target's newest successful deployment, newer than that answer.
  const auto at_target = publish::with_permission("the environment's deployments", "deployments: read", [&] {
    return publish::list_deployments_at(client, repo_path, e.environment, e.target_sha);
  });
  for (const auto& d : at_target) {
    if (e.previous && d.id < e.previous->id) break;
    const auto statuses = publish::list_deployment_statuses(client, repo_path, d.id);
    if (statuses.empty() || statuses.front().state != "success" ||
        statuses.front().description.starts_with(publish::k_not_deployed_marker))
      continue;
    e.previous = d;
    e.kind = gate::ReleaseKind::redeploy;
    e.age_seconds = age_from(clock, statuses.front().created_at, d.created_at);
    return;
  }
  if (!e.previous) {
    e.kind = gate::ReleaseKind::first;
    return;
  }
  e.age_seconds = age_of(client, repo_path, clock, *e.previous);
  auto forward = publish::compare_commits(client, repo_path, e.previous->sha, e.target_sha);
  if (!forward.base_found) {
    e.kind = gate::ReleaseKind::unknown_base;
    return;
  }
  const auto kind = gate::kind_of_compare_status(forward.status);
  if (!kind)
    throw util::GithubError(fmt::format("release: the compare API answered status '{}', which it does not document",
                                        util::sanitize_utf8(forward.status.substr(0, 40))));
  e.kind = *kind;
  e.ahead = forward.ahead_by;
  e.behind = forward.behind_by;
  if (e.kind == gate::ReleaseKind::rollback) {
    // What leaves: the commits of the deployed history the target does not have.
    auto back = publish::compare_commits(client, repo_path, e.target_sha, e.previous->sha);
    e.commits = std::move(back.commits);
    e.commits_total = back.total_commits;
  } else {
    e.commits = std::move(forward.commits);
    e.commits_total = forward.total_commits;
  }
  std::vector<gate::ShippedPull> known;
  for (size_t i = 0; i < e.commits.size(); ++i) {
    if (i >= publish::k_max_pull_lookups) {
      e.commits_without_lookup = e.commits.size() - i;
      break;
    }
    for (auto& p : publish::pulls_of_commit(client, repo_path, e.commits[i].sha)) {
      e.commits[i].pulls.push_back(p.number);
      known.push_back(std::move(p));
    }
  }
  e.pulls = gate::pulls_in_order(e.commits, known);
}

void write_json(util::JsonWriter& w, const publish::ReleaseEvidence& e) {
  w.Key("release");
  w.StartObject();
  w.Key("environment");
  util::write_string(w, e.environment);
  w.Key("sha");
  util::write_string(w, e.target_sha);
  w.Key("kind");
  util::write_string(w, gate::to_string(e.kind));
  w.Key("previous");
  if (e.previous) {
    w.StartObject();
    w.Key("deployment_id");
    w.Int64(e.previous->id);
    w.Key("sha");
    util::write_string(w, e.previous->sha);
    w.Key("ref");
    util::write_string(w, e.previous->ref);
    w.Key("created_at");
    util::write_string(w, e.previous->created_at);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("age_seconds");
  if (e.age_seconds) w.Int64(*e.age_seconds); else w.Null();
  w.Key("ahead_by");
  w.Uint64(e.ahead);
  w.Key("behind_by");
  w.Uint64(e.behind);
  w.Key("commits");
  w.StartArray();
  for (const auto& c : e.commits) {
    w.StartObject();
    w.Key("sha");
    util::write_string(w, c.sha);
    w.Key("headline");
    util::write_string(w, c.headline);
    w.Key("author");
    util::write_string(w, c.author);
    w.Key("pull_requests");
    w.StartArray();
    for (int64_t n : c.pulls) w.Int64(n);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("pull_requests");
  w.StartArray();
  for (const auto& p : e.pulls) {
    w.StartObject();
    w.Key("number");
    w.Int64(p.number);
    w.Key("title");
    util::write_string(w, p.title);
    w.Key("author");
    util::write_string(w, p.author);
    w.Key("url");
    util::write_string(w, p.url);
    w.EndObject();
  }
  w.EndArray();
  w.Key("checks");
  w.StartArray();
  for (const auto& c : e.checks) {
    w.StartObject();
    w.Key("name");
    util::write_string(w, c.name);
    w.Key("kind");
    util::write_string(w, c.is_status ? "status" : "check_run");
    w.Key("status");
    util::write_string(w, c.status);
    w.Key("conclusion");
    util::write_string(w, c.conclusion);
    w.Key("headline");
    util::write_string(w, c.headline);
    w.Key("tollgate");
    w.Bool(c.tollgate);
    w.EndObject();
  }
  w.EndArray();
  w.Key("required");
  w.StartArray();
  for (const auto& r : e.required) {
    w.StartObject();
    w.Key("pattern");
    util::write_string(w, r.pattern);
    w.Key("state");
    util::write_string(w, gate::to_string(r.state));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string join_required(const std::vector<gate::RequiredResult>& results, gate::RequiredState wanted) {
  std::string out;
  for (const auto& r : results)
    if (r.state == wanted) out += (out.empty() ? "" : ",") + r.pattern;
  return out;
}

class ReleaseCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--environment", m_environment, "The environment about to be deployed (its last successful "
                                                   "deployment is the base)")
        ->required();
    app.add_option("--sha", m_sha, "The commit to deploy (default: GITHUB_SHA)");
    app.add_option("--require", m_require,
                   "A check run name or status context that must have succeeded on the commit; repeatable; * and ? "
                   "globs")
        ->take_all();
    app.add_option("--wait", m_wait, "How long to wait for required checks that are missing or running "
                                     "(e.g. 5m; default 0: no waiting)");
    app.add_option("--deployment-id", m_deployment_id,
                   "Post the release description on this deployment (needs deployments: write)");
  }

  publish::DeliveryOptions delivery_defaults() const override { return summary_only_delivery(); }

  model::Outcome run(Context& ctx) override {
    auto wait_ms = probe::parse_duration(m_wait);
    if (!wait_ms) throw util::InputError(fmt::format("--wait '{}': {}", m_wait, wait_ms.error()));
    for (const auto& p : m_require)
      if (util::trim(p).empty()) throw util::InputError("--require: give a check name (or a glob)");
    if (!ctx.client)
      throw util::InputError("release: needs GITHUB_TOKEN and GITHUB_REPOSITORY (a token with contents: read, "
                             "deployments: read, checks: read, statuses: read and pull-requests: read)");
    publish::ReleaseEvidence e;
    e.environment = m_environment;
    e.target_sha = m_sha.empty() ? ctx.actions.sha : m_sha;
    if (e.target_sha.empty()) throw util::InputError("release: give --sha (GITHUB_SHA is not set)");
    github::Client& client = *ctx.client;
    const std::string repo_path = fmt::format("/repos/{}/{}", ctx.actions.owner, ctx.actions.repo);
    util::SystemClock clock;
    read_changes(client, repo_path, clock, e);
    const auto waited = wait_for_required(clock, wait_ms.value(), k_release_poll_interval_ms, m_require,
                                          [&] { return publish::read_commit_checks(client, repo_path, e.target_sha); });
    e.checks = waited.checks;
    e.required = waited.required;
    // "after waiting 10m" only when it did: a failure ends the wait early, and a check still
    // running then was not waited for.
    if (wait_ms.value() > 0 && waited.ran_out) e.waited = probe::format_duration(wait_ms.value());

    model::Outcome outcome;
    outcome.command = "release";
    outcome.check_name = ctx.common.check_name.empty() ? fmt::format("Release to {}", m_environment)
                                                       : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/release", ctx.leg);
    outcome.passed = publish::release_passed(e);
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = publish::release_title(e);
    outcome.summary = publish::release_summary_markdown(e);
    const std::string description = publish::release_description(e);
    for (const auto& reason : gate::refusal_reasons(e.required, e.waited))
      *ctx.log << "tollgate: release: " << util::sanitize_utf8(reason) << "\n";
    if (m_deployment_id) {
      if (ctx.common.dry_run) {
        *ctx.out << fmt::format("dry run: would post on deployment {} the description: {}\n", m_deployment_id,
                                util::sanitize_utf8(description));
      } else {
        const std::string state =
            publish::describe_deployment(client, repo_path, m_deployment_id, description, ctx.actions.run_url());
        outcome.summary += fmt::format("\nDeployment {} now reads (status {}): {}\n", m_deployment_id, state,
                                       util::code_span(description));
      }
    }
    std::string pulls;
    for (const auto& p : e.pulls) pulls += (pulls.empty() ? "" : ",") + std::to_string(p.number);
    const auto counts = gate::count_checks(e.checks);
    outcome.outputs = {
        {"passed", outcome.passed ? "true" : "false"},
        {"kind", gate::to_string(e.kind)},
        {"previous-sha", e.previous ? e.previous->sha : ""},
        {"previous-deployment-id", e.previous ? std::to_string(e.previous->id) : ""},
        {"since-seconds", e.age_seconds ? std::to_string(*e.age_seconds) : ""},
        {"commits", std::to_string(e.commits_total)},
        {"pull-requests", pulls},
        {"checks-failed", std::to_string(counts.failed)},
        {"required-failed", join_required(e.required, gate::RequiredState::failed)},
        {"required-missing", join_required(e.required, gate::RequiredState::missing)},
        {"required-pending", join_required(e.required, gate::RequiredState::pending)},
        {"description", description},
    };
    outcome.write_json_extra = [e](util::JsonWriter& w) { write_json(w, e); };
    return outcome;
  }

private:
  std::string m_environment;
  std::string m_sha;
  std::vector<std::string> m_require;
  std::string m_wait = "0";
  int64_t m_deployment_id = 0;
};

} // namespace

std::unique_ptr<Command> make_release_command() { return std::make_unique<ReleaseCommand>(); }

} // namespace tollgate::command
