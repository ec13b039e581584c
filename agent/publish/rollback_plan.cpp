#include "publish/rollback_plan.h"

#include "github/link_header.h"
#include "publish/rollback.h"
#include "util/json.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace tollgate::publish {

namespace {

// A final state: GitHub's own status at the end of a job is one of these, and so is every status
// a finished deployment keeps (https://docs.github.com/en/rest/deployments/statuses).
bool is_final(std::string_view state) {
  return state == "success" || state == "failure" || state == "error" || state == "inactive";
}

bool marked_not_deployed(const std::vector<DeploymentStatus>& statuses) {
  return std::any_of(statuses.begin(), statuses.end(), [](const DeploymentStatus& s) {
    return s.description.starts_with(k_not_deployed_marker);
  });
}

bool carries_rollback_record(const std::vector<DeploymentStatus>& statuses) {
  return std::any_of(statuses.begin(), statuses.end(),
                     [](const DeploymentStatus& s) { return records_rollback(s.description); });
}

// Was `sha` rolled back from in `environment`? Answers are kept per commit.
class RolledBack {
public:
  RolledBack(github::Client& client, const std::string& repo_path, const std::string& environment)
      : m_client(client), m_repo_path(repo_path), m_environment(environment) {}

  bool operator()(const Deployment& candidate, const std::vector<DeploymentStatus>& statuses) {
    if (carries_rollback_record(statuses)) return true;
    auto [at, fresh] = m_known.try_emplace(candidate.sha, false);
    if (!fresh) return at->second;
    for (const auto& d : list_deployments_at(m_client, m_repo_path, m_environment, candidate.sha)) {
      if (d.id == candidate.id) continue;
      if (carries_rollback_record(list_deployment_statuses(m_client, m_repo_path, d.id))) {
        at->second = true;
        break;
      }
    }
    return at->second;
  }

private:
  github::Client& m_client;
  const std::string& m_repo_path;
  const std::string& m_environment;
  std::map<std::string, bool> m_known;
};

} // namespace

std::optional<Deployment> plan_rollback(github::Client& client, const std::string& repo_path,
                                        const std::string& environment,
                                        const std::string& failing_sha) {
  RolledBack rolled_back(client, repo_path, environment);
  std::string next = fmt::format("{}/deployments?environment={}&per_page=100", repo_path,
                                 util::url_encode(environment));
  for (size_t page = 0; page < k_max_deployment_pages && !next.empty(); ++page) {
    auto r = client.get(next);
    if (r.json.IsArray()) {
      for (const auto& v : r.json.GetArray()) {
        const Deployment d = parse_deployment(v);
        if (d.id == 0 || d.sha == failing_sha) continue;
        const auto statuses = list_deployment_statuses(client, repo_path, d.id);
        if (statuses.empty() || statuses.front().state != "success") continue;
        if (marked_not_deployed(statuses) || rolled_back(d, statuses)) continue;
        return d;
      }
    }
    const auto link = r.header("link");
    next = link ? github::next_page_url(*link).value_or("") : "";
  }
  return std::nullopt;
}

NotDeployedMark find_run_deployment_to_mark(github::Client& client, const std::string& repo_path,
                                            const std::string& environment,
                                            const std::string& run_sha,
                                            const std::string& deployed_sha) {
  NotDeployedMark mark;
  if (run_sha.empty() || run_sha == deployed_sha) return mark;
  // GitHub creates the job's deployment as the job starts: it is the newest of the environment,
  // and it has no final status until the job ends. An older, finished deployment of run_sha is
  // someone else's record and is left alone.
  auto r = client.get(fmt::format("{}/deployments?environment={}&per_page=1", repo_path,
                                  util::url_encode(environment)));
  if (!r.json.IsArray() || r.json.Empty()) return mark;
  const Deployment newest = parse_deployment(r.json[0]);
  if (newest.id == 0 || newest.sha != run_sha) return mark;
  const auto statuses = list_deployment_statuses(client, repo_path, newest.id);
  if (std::any_of(statuses.begin(), statuses.end(),
                  [](const DeploymentStatus& s) { return is_final(s.state); }))
    return mark;
  mark.deployment_id = newest.id;
  mark.description = fmt::format("{}: this job deployed {} instead", k_not_deployed_marker,
                                 deployed_sha.substr(0, 12));
  return mark;
}

} // namespace tollgate::publish
