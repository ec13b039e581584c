#include "publish/rollback.h"

#include "publish/limits.h"
#include "util/json.h"
#include "util/random.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::publish {

namespace {

constexpr std::string_view k_claim_marker = "rollback claim ";
constexpr std::string_view k_dispatched_marker = "rollback dispatched ";
// Runs are looked up from a little before the dispatch: the runner's clock and GitHub's differ.
constexpr int64_t k_clock_skew_margin_s = 120;
// Workflow-run lists: 100 per page; a rollback run is among the newest, a few pages suffice.
constexpr size_t k_max_run_pages = 5;

std::string dispatch_body(const DispatchRequest& request, bool return_run_details) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  w.Key("ref");
  util::write_string(w, request.ref);
  w.Key("inputs");
  w.StartObject();
  for (const auto& [k, v] : request.inputs) {
    util::write_key(w, k);
    util::write_string(w, v);
  }
  w.EndObject();
  if (return_run_details) {
    w.Key("return_run_details");
    w.Bool(true);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string workflow_path(const std::string& repo_path, const std::string& workflow) {
  return fmt::format("{}/actions/workflows/{}", repo_path, util::url_encode(workflow));
}

std::string dispatch_runs_path(const std::string& repo_path, const std::string& workflow,
                               int64_t since_epoch_s, int per_page = 100) {
  return fmt::format("{}/runs?event=workflow_dispatch&created={}&per_page={}",
                     workflow_path(repo_path, workflow),
                     util::url_encode(">=" + format_iso8601(since_epoch_s)), per_page);
}

WorkflowRun run_of(const rapidjson::Value& run) {
  WorkflowRun found;
  found.id = util::int_member(run, "id").value_or(0);
  found.html_url = std::string(util::string_or(run, "html_url"));
  return found;
}

// A status description with the token kept whole: the free text is cut, never the marker.
std::string with_suffix(const std::string& text, const std::string& suffix) {
  const size_t suffix_chars = util::utf8_length(suffix);
  if (suffix_chars >= k_status_description_chars)
    return util::truncate_chars(suffix, k_status_description_chars);
  return util::truncate_chars(util::sanitize_utf8(text),
                              k_status_description_chars - suffix_chars) +
         suffix;
}

// A rollback already dispatched for this deployment: recorded on the deployment, or a run whose
// title carries the key.
std::optional<WorkflowRun> find_existing(github::Client& client, const std::string& repo_path,
                                         const RollbackRequest& request, const std::string& key,
                                         const std::vector<DeploymentStatus>* statuses) {
  std::vector<DeploymentStatus> fetched;
  if (!statuses) {
    fetched = list_deployment_statuses(client, repo_path, request.deployment.id);
    statuses = &fetched;
  }
  const std::string record = std::string(k_dispatched_marker) + key;
  for (const auto& s : *statuses) {
    const auto at = s.description.find(record);
    const size_t end = at + record.size();
    // tollgate-rb-12 must not match tollgate-rb-123.
    if (at == std::string::npos || (end < s.description.size() && s.description[end] != ':'))
      continue;
    WorkflowRun run;
    run.html_url = s.log_url;
    if (const auto r = s.description.find("run ", end); r != std::string::npos)
      run.id = std::strtoll(s.description.c_str() + r + 4, nullptr, 10);
    return run;
  }
  const int64_t since =
      parse_iso8601(request.deployment.created_at).value_or(0) - k_clock_skew_margin_s;
  return find_run_by_key(client, repo_path, request.dispatch.workflow, key,
                         std::max<int64_t>(0, since));
}

} // namespace

std::optional<WorkflowRun> find_run_by_key(github::Client& client, const std::string& repo_path,
                                           const std::string& workflow, const std::string& key,
                                           int64_t since_epoch_s) {
  if (key.empty()) return std::nullopt;
  for (const auto& run : client.get_all(dispatch_runs_path(repo_path, workflow, since_epoch_s),
                                        "workflow_runs", k_max_run_pages)) {
    if (util::string_or(run, "display_title").find(key) == std::string_view::npos) continue;
    return run_of(run); // newest first
  }
  return std::nullopt;
}

DispatchResult dispatch_workflow(github::Client& client, util::Clock& clock,
                                 const std::string& repo_path, const DispatchRequest& request,
                                 const DispatchTiming& timing) {
  const std::string path = workflow_path(repo_path, request.workflow) + "/dispatches";
  const int64_t since = clock.epoch_seconds() - k_clock_skew_margin_s;
  // Without a dedupe key no run says it is ours: the newest run before the dispatch is noted (one
  // request), and after a failure that may have been applied, a newer run is taken for ours (so
  // is another dispatch of the same workflow at the same moment: a rollback runs once). When
  // that listing fails, the dispatch still goes out and words its own error (a missing workflow).
  int64_t newest_before = 0;
  if (request.dedupe_key.empty()) {
    try {
      const github::ApiResponse newest =
          client.get(dispatch_runs_path(repo_path, request.workflow, since, 1));
      if (const auto* runs = util::member(newest.json, "workflow_runs");
          runs && runs->IsArray() && !runs->Empty())
        newest_before = run_of((*runs)[0]).id;
    } catch (const github::ApiError&) {
    }
  }
  auto new_run = [&]() -> std::optional<WorkflowRun> {
    for (const auto& run : client.get_all(dispatch_runs_path(repo_path, request.workflow, since),
                                          "workflow_runs", k_max_run_pages)) {
      const WorkflowRun r = run_of(run);
      if (r.id > newest_before) return r; // newest first; run ids only grow
    }
    return std::nullopt;
  };
  auto lookup = [&]() -> std::optional<github::ApiResponse> {
    auto run = request.dedupe_key.empty() ? new_run()
                                          : find_run_by_key(client, repo_path, request.workflow,
                                                            request.dedupe_key, since);
    if (!run) return std::nullopt;
    github::ApiResponse applied;
    applied.status = 200;
    applied.json.SetObject();
    applied.json.AddMember("workflow_run_id", run->id, applied.json.GetAllocator());
    applied.json.AddMember("html_url",
                           rapidjson::Value(run->html_url.c_str(), applied.json.GetAllocator()),
                           applied.json.GetAllocator());
    return applied;
  };

  DispatchResult result;
  github::ApiResponse response;
  try {
    response = client.write_once("POST", path, dispatch_body(request, true), lookup);
  } catch (const github::ApiError& e) {
    const bool refused = (e.status() == 400 || e.status() == 422) &&
                         e.api_message().find("return_run_details") != std::string::npos;
    if (!refused) throw;
    result.legacy = true;
    response = client.write_once("POST", path, dispatch_body(request, false), lookup);
  }
  result.dispatched = true;
  if (response.json.IsObject()) {
    result.run.id = util::int_member(response.json, "workflow_run_id").value_or(0);
    result.run.html_url = std::string(util::string_or(response.json, "html_url"));
  }
  // 204 No Content: the run is found by its key once GitHub has created it.
  for (int64_t waited = 0; result.run.id == 0 && !request.dedupe_key.empty();) {
    if (auto run =
            find_run_by_key(client, repo_path, request.workflow, request.dedupe_key, since)) {
      result.run = *run;
      break;
    }
    if (waited >= timing.run_lookup_wait_ms) break;
    clock.sleep_ms(timing.run_lookup_step_ms);
    waited += timing.run_lookup_step_ms;
  }
  return result;
}

std::string dedupe_key_for(const Deployment& deployment) {
  return fmt::format("tollgate-rb-{}", deployment.id);
}

bool records_rollback(std::string_view description) {
  return description.find(k_claim_marker) != std::string_view::npos ||
         description.find(k_dispatched_marker) != std::string_view::npos;
}

std::string claim_token_of(std::string_view description) {
  const auto at = description.find(k_claim_marker);
  if (at == std::string_view::npos) return {};
  std::string token;
  for (size_t i = at + k_claim_marker.size(); i < description.size(); ++i) {
    const char c = description[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') break;
    token += c;
  }
  return token;
}

std::optional<DeploymentStatus> winning_claim(const std::vector<DeploymentStatus>& statuses,
                                              const std::string& my_token, int64_t claim_window_s) {
  const auto mine = std::find_if(statuses.begin(), statuses.end(), [&](const auto& s) {
    return claim_token_of(s.description) == my_token;
  });
  if (mine == statuses.end()) return std::nullopt;
  const int64_t my_time = parse_iso8601(mine->created_at).value_or(0);
  std::optional<DeploymentStatus> winner;
  for (const auto& s : statuses) {
    if (claim_token_of(s.description).empty()) continue;
    // A claim from long before ours whose rollback never showed up: its process died.
    if (parse_iso8601(s.created_at).value_or(0) < my_time - claim_window_s) continue;
    if (!winner || s.id < winner->id) winner = s;
  }
  return winner;
}

RollbackResult rollback_once(github::Client& client, util::Clock& clock,
                             const std::string& repo_path, const RollbackRequest& request,
                             const ExactlyOnceTiming& timing) {
  RollbackResult result;
  result.dedupe_key = dedupe_key_for(request.deployment);
  const std::string& key = result.dedupe_key;
  const int64_t deployment_id = request.deployment.id;
  DeploymentStatusRequest status{"failure", request.failure_description, request.log_url,
                                 request.environment_url};

  if (auto existing = find_existing(client, repo_path, request, key, nullptr)) {
    post_deployment_status(client, repo_path, deployment_id, status);
    result.already = true;
    result.run = *existing;
    result.note = "the rollback had already been dispatched for this deployment";
    return result;
  }

  const std::string token = fmt::format(
      "{}.{}", request.claimant.empty() ? "local" : request.claimant, util::random_hex(4));
  status.description =
      with_suffix(request.failure_description, fmt::format("; {}{}", k_claim_marker, token));
  post_deployment_status(client, repo_path, deployment_id, status);
  clock.sleep_ms(timing.settle_ms);

  const auto statuses = list_deployment_statuses(client, repo_path, deployment_id);
  const auto winner = winning_claim(statuses, token, timing.claim_window_s);
  const bool won = winner && claim_token_of(winner->description) == token;
  if (!won) {
    // Another process claimed first: it dispatches; wait for its run to show it.
    const std::string other = winner ? claim_token_of(winner->description) : std::string("?");
    for (int64_t waited = 0;; waited += timing.dispatch.run_lookup_step_ms) {
      if (auto existing = find_existing(client, repo_path, request, key, nullptr)) {
        result.already = true;
        result.run = *existing;
        result.note =
            fmt::format("dispatched by the job that claimed the rollback first ({})", other);
        return result;
      }
      if (waited >= timing.dispatch.run_lookup_wait_ms) break;
      clock.sleep_ms(timing.dispatch.run_lookup_step_ms);
    }
    result.already = true;
    result.note =
        fmt::format("claimed by another job ({}); its run did not show up in time", other);
    return result;
  }

  if (auto existing = find_existing(client, repo_path, request, key, &statuses)) {
    result.already = true;
    result.run = *existing;
    result.note = "the rollback had already been dispatched for this deployment";
    return result;
  }
  DispatchRequest dispatch = request.dispatch;
  dispatch.dedupe_key = key;
  dispatch.inputs.emplace_back("dedupe_key", key);
  const DispatchResult sent =
      dispatch_workflow(client, clock, repo_path, dispatch, timing.dispatch);
  result.dispatched = sent.dispatched;
  result.run = sent.run;
  result.note =
      sent.legacy
          ? "dispatched (the server does not return run details; the run was found by its key)"
          : "dispatched";
  // The durable record: re-runs and late legs find the rollback here, whatever the run is named.
  DeploymentStatusRequest record{
      "failure",
      result.run.id ? fmt::format("{}{}: run {}", k_dispatched_marker, key, result.run.id)
                    : std::string(k_dispatched_marker) + key,
      result.run.html_url.empty() ? request.log_url : result.run.html_url, request.environment_url};
  post_deployment_status(client, repo_path, deployment_id, record);
  return result;
}

} // namespace tollgate::publish
