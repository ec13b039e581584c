#include "publish/release_reads.h"

#include "github/link_header.h"
#include "publish/deployments.h"
#include "util/json.h"
#include "util/text.h"

#include <fmt/format.h>

namespace tollgate::publish {

namespace {

std::string author_of(const rapidjson::Value& commit) {
  // The GitHub account when the email maps to one, else the name git recorded.
  if (const auto* user = util::member(commit, "author"); user && user->IsObject()) {
    const auto login = util::string_or(*user, "login");
    if (!login.empty()) return std::string(login);
  }
  if (const auto* git = util::member(commit, "commit"); git && git->IsObject())
    if (const auto* a = util::member(*git, "author"); a && a->IsObject()) return std::string(util::string_or(*a, "name"));
  return {};
}

gate::ShippedCommit commit_of(const rapidjson::Value& v) {
  gate::ShippedCommit c;
  c.sha = std::string(util::string_or(v, "sha"));
  c.author = author_of(v);
  if (const auto* git = util::member(v, "commit"); git && git->IsObject()) {
    c.headline = gate::first_line(util::string_or(*git, "message"));
    if (const auto* a = util::member(*git, "author"); a && a->IsObject()) c.date = std::string(util::string_or(*a, "date"));
  }
  return c;
}

size_t count_member(const rapidjson::Value& v, const char* name) {
  return static_cast<size_t>(std::max<int64_t>(0, util::int_member(v, name).value_or(0)));
}

} // namespace

void throw_missing_permission(const github::ApiError& e, const char* what, const char* permission) {
  // 403 is a refusal; 404 is also GitHub's answer for what the token may not see, but for an
  // unknown commit or repository too, so it says both.
  if (e.status() == 404)
    throw util::GithubError(fmt::format(
        "release: GitHub answered 404 for {}: the commit or the repository is unknown to the token (check --sha and "
        "GITHUB_REPOSITORY), or the job lacks `permissions: {{ {} }}`",
        what, permission));
  throw util::GithubError(fmt::format(
      "release: GitHub refused to let the token read {} (HTTP {}{}): the job needs `permissions: {{ {} }}` "
      "(and `contents: read`)",
      what, e.status(), e.api_message().empty() ? "" : ": " + e.api_message(), permission));
}

Comparison compare_commits(github::Client& client, const std::string& repo_path, const std::string& base,
                           const std::string& head) {
  Comparison out;
  std::string next = fmt::format("{}/compare/{}...{}?per_page=100", repo_path, util::url_encode(base),
                                 util::url_encode(head));
  for (size_t page = 0; page < k_max_compare_pages && !next.empty(); ++page) {
    github::ApiResponse r;
    try {
      r = client.get(next);
    } catch (const github::ApiError& e) {
      // 404 is GitHub's answer for a commit it does not have; a token without contents: read gets
      // 403 (or 404 on a private repository, which the next read then names).
      if (e.status() == 404 && page == 0) {
        out.base_found = false;
        return out;
      }
      if (e.status() == 401 || e.status() == 403) throw_missing_permission(e, "the commits (compare)", "contents: read");
      throw;
    }
    if (page == 0) {
      out.status = std::string(util::string_or(r.json, "status"));
      out.ahead_by = count_member(r.json, "ahead_by");
      out.behind_by = count_member(r.json, "behind_by");
      out.total_commits = count_member(r.json, "total_commits");
    }
    if (const auto* list = util::member(r.json, "commits"); list && list->IsArray())
      for (const auto& v : list->GetArray()) out.commits.push_back(commit_of(v));
    const auto link = r.header("link");
    next = link ? github::next_page_url(*link).value_or("") : "";
  }
  return out;
}

std::vector<gate::ShippedPull> pulls_of_commit(github::Client& client, const std::string& repo_path,
                                               const std::string& sha) {
  return with_permission("the pull requests of a commit", "pull-requests: read", [&] {
    std::vector<gate::ShippedPull> out;
    for (const auto& v : client.get_all(fmt::format("{}/commits/{}/pulls?per_page=100", repo_path, util::url_encode(sha)),
                                        nullptr, 1)) {
      gate::ShippedPull p;
      p.number = util::int_member(v, "number").value_or(0);
      p.title = std::string(util::string_or(v, "title"));
      p.url = std::string(util::string_or(v, "html_url"));
      if (const auto* user = util::member(v, "user"); user && user->IsObject())
        p.author = std::string(util::string_or(*user, "login"));
      if (p.number > 0) out.push_back(std::move(p));
    }
    return out;
  });
}

std::vector<gate::CommitCheck> read_commit_checks(github::Client& client, const std::string& repo_path,
                                                  const std::string& sha) {
  std::vector<gate::CommitCheck> out;
  const auto runs = with_permission("the check runs of the commit", "checks: read", [&] {
    return client.get_all(fmt::format("{}/commits/{}/check-runs?filter=latest&per_page=100", repo_path,
                                      util::url_encode(sha)),
                          "check_runs", k_max_check_pages);
  });
  for (const auto& v : runs) {
    gate::CommitCheck c;
    c.name = std::string(util::string_or(v, "name"));
    c.status = std::string(util::string_or(v, "status"));
    c.conclusion = std::string(util::string_or(v, "conclusion"));
    c.url = std::string(util::string_or(v, "html_url"));
    if (const auto* output = util::member(v, "output"); output && output->IsObject())
      c.headline = std::string(util::string_or(*output, "title"));
    c.tollgate = util::string_or(v, "external_id").starts_with("tollgate:");
    out.push_back(std::move(c));
  }
  const auto statuses = with_permission("the commit statuses of the commit", "statuses: read", [&] {
    return client.get_all(fmt::format("{}/commits/{}/status?per_page=100", repo_path, util::url_encode(sha)),
                          "statuses", k_max_check_pages);
  });
  for (const auto& v : statuses) {
    gate::CommitCheck c;
    c.is_status = true;
    c.name = std::string(util::string_or(v, "context"));
    c.status = std::string(util::string_or(v, "state"));
    c.headline = std::string(util::string_or(v, "description"));
    c.url = std::string(util::string_or(v, "target_url"));
    c.tollgate = c.name.starts_with("tollgate/");
    out.push_back(std::move(c));
  }
  return out;
}

std::string describe_deployment(github::Client& client, const std::string& repo_path, int64_t deployment_id,
                                const std::string& description, const std::string& log_url) {
  const auto statuses = with_permission("the deployment's statuses", "deployments: read",
                                        [&] { return list_deployment_statuses(client, repo_path, deployment_id); });
  DeploymentStatusRequest request;
  request.state = statuses.empty() ? "in_progress" : statuses.front().state;
  request.description = description;
  request.log_url = log_url;
  request.environment_url = statuses.empty() ? "" : statuses.front().environment_url;
  with_permission("the deployment (to post its description)", "deployments: write",
                  [&] { return post_deployment_status(client, repo_path, deployment_id, request); });
  return request.state;
}

} // namespace tollgate::publish
