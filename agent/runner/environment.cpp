#include "runner/environment.h"

#include <cstdlib>
#include <fmt/format.h>

#include "util/files.h"
#include "util/json.h"

namespace tollgate::runner {

std::string Environment::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v && !v->empty() ? *v : fallback;
}

std::optional<std::string> ProcessEnvironment::get(const std::string& name) const {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> MapEnvironment::get(const std::string& name) const {
  auto it = m_vars.find(name);
  if (it == m_vars.end()) return std::nullopt;
  return it->second;
}

util::Expected<EventInfo, util::ParseError> parse_event(std::string_view payload, const std::string& event_name) {
  EventInfo info;
  info.event_name = event_name;
  auto doc = util::parse_json(payload);
  if (!doc) return util::unexpected(doc.error());
  const rapidjson::Value& root = *doc;
  if (!root.IsObject()) return util::unexpected(util::ParseError{"the event payload is not a JSON object", 1, 1});

  if (const auto* pr = util::member(root, "pull_request"); pr && pr->IsObject()) {
    info.pull_request = static_cast<int>(util::int_member(*pr, "number").value_or(util::int_member(root, "number").value_or(0)));
    if (const auto* head = util::member(*pr, "head")) {
      info.head_sha = util::string_or(*head, "sha");
      if (const auto* hrepo = util::member(*head, "repo"))
        info.head_repo = util::string_or(*hrepo, "full_name");
    }
    if (const auto* base = util::member(*pr, "base")) {
      info.base_sha = util::string_or(*base, "sha");
      info.base_ref = util::string_or(*base, "ref");
      if (const auto* brepo = util::member(*base, "repo"))
        info.from_fork = !info.head_repo.empty() && info.head_repo != util::string_or(*brepo, "full_name");
    }
  } else if (event_name == "push") {
    info.base_sha = util::string_or(root, "before");
    // A new branch has an all-zero "before": there is no base to compare with.
    if (info.base_sha.find_first_not_of('0') == std::string::npos) info.base_sha.clear();
  } else if (const auto* run = util::member(root, "workflow_run"); run && event_name == "workflow_run") {
    // The fork-safe pattern: a privileged workflow_run reports on the pull request whose
    // (unprivileged) workflow produced the artifacts.
    info.head_sha = util::string_or(*run, "head_sha");
    if (const auto* prs = util::member(*run, "pull_requests"); prs && prs->IsArray() && !prs->Empty()) {
      const auto& first = (*prs)[0];
      info.pull_request = static_cast<int>(util::int_member(first, "number").value_or(0));
      if (const auto* base = util::member(first, "base")) {
        info.base_sha = util::string_or(*base, "sha");
        info.base_ref = util::string_or(*base, "ref");
      }
    }
    info.head_branch = util::string_or(*run, "head_branch");
    if (const auto* hrepo = util::member(*run, "head_repository")) {
      info.head_repo = util::string_or(*hrepo, "full_name");
      if (const auto* owner = util::member(*hrepo, "owner")) info.head_owner = util::string_or(*owner, "login");
    }
    if (const auto* base_repo = util::member(*run, "repository"))
      info.from_fork = !info.head_repo.empty() && info.head_repo != util::string_or(*base_repo, "full_name");
  } else if (const auto* group = util::member(root, "merge_group"); group && event_name == "merge_group") {
    // A merge queue's group: GITHUB_SHA is its head_sha, and base_sha the commit of the target
    // branch it was built on (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#merge_group,
    // https://docs.github.com/en/webhooks/webhook-events-and-payloads#merge_group).
    info.head_sha = util::string_or(*group, "head_sha");
    info.base_sha = util::string_or(*group, "base_sha");
    info.base_ref = util::string_or(*group, "base_ref");
  } else if (event_name == "workflow_dispatch") {
    info.dispatch_ref = util::string_or(root, "ref");
  }
  return info;
}

std::string ActionsContext::run_url() const {
  if (run_id.empty() || owner.empty()) return {};
  return fmt::format("{}/{}/{}/actions/runs/{}", server_url, owner, repo, run_id);
}

ActionsContext read_actions_context(const Environment& env) {
  ActionsContext ctx;
  ctx.in_actions = env.get_or("GITHUB_ACTIONS") == "true";
  ctx.token = env.get_or("GITHUB_TOKEN", env.get_or("INPUT_TOKEN"));
  ctx.api_url = env.get_or("GITHUB_API_URL", ctx.api_url);
  while (!ctx.api_url.empty() && ctx.api_url.back() == '/') ctx.api_url.pop_back();
  ctx.server_url = env.get_or("GITHUB_SERVER_URL", ctx.server_url);
  const std::string repository = env.get_or("GITHUB_REPOSITORY");
  if (const auto slash = repository.find('/'); slash != std::string::npos) {
    ctx.owner = repository.substr(0, slash);
    ctx.repo = repository.substr(slash + 1);
  }
  ctx.sha = env.get_or("GITHUB_SHA");
  ctx.ref = env.get_or("GITHUB_REF");
  ctx.run_id = env.get_or("GITHUB_RUN_ID");
  ctx.run_attempt = env.get_or("GITHUB_RUN_ATTEMPT", "1");
  ctx.job = env.get_or("GITHUB_JOB");
  ctx.workflow = env.get_or("GITHUB_WORKFLOW");
  ctx.runner_name = env.get_or("RUNNER_NAME");
  ctx.workspace = env.get_or("GITHUB_WORKSPACE");
  ctx.step_summary_path = env.get_or("GITHUB_STEP_SUMMARY");
  ctx.output_path = env.get_or("GITHUB_OUTPUT");
  ctx.event.event_name = env.get_or("GITHUB_EVENT_NAME");
  const std::string event_path = env.get_or("GITHUB_EVENT_PATH");
  if (!event_path.empty()) {
    auto payload = util::read_file(event_path);
    if (!payload) throw util::InputError(fmt::format("GITHUB_EVENT_PATH {}", payload.error()));
    auto event = parse_event(*payload, ctx.event.event_name);
    if (!event) throw util::InputError(util::describe(event_path, event.error()));
    ctx.event = std::move(*event);
  }
  return ctx;
}

} // namespace tollgate::runner
