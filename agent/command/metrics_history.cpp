#include "command/metrics_history.h"

#include "github/link_header.h"
#include "publish/deployments.h"
#include "publish/rollback.h"
#include "publish/rollback_plan.h"
#include "util/json.h"
#include "util/text.h"

#include <algorithm>
#include <deque>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Statuses of one deployment: pages followed at most this far (a deployment has a handful).
constexpr size_t k_max_status_pages = 10;
// Requests kept back when the window is planned: the pages before the window and the commit of a
// first deployment.
constexpr size_t k_planning_reserve = 4;

bool is_rate_limit(const github::ApiError& e) {
  return e.status() == 429 || e.api_message().find("rate limit") != std::string::npos;
}

// 403 and 404 in words: the permission the workflow's `permissions:` must grant.
[[noreturn]] void refused(const github::ApiError& e, const std::string& what,
                          const std::string& permission) {
  if (e.status() == 401)
    throw util::InputError(
        fmt::format("metrics: GitHub did not accept the token for {} (HTTP 401: {}): give a valid "
                    "GITHUB_TOKEN (the action's `token` input)",
                    what, util::sanitize_utf8(e.api_message())));
  if (e.status() == 404)
    throw util::InputError(fmt::format("metrics: GitHub answered 404 Not Found for {}: the "
                                       "repository is not visible to this token, or the token "
                                       "lacks `{}` (a workflow grants it with `permissions: {}`)",
                                       what, permission, permission));
  throw util::InputError(
      fmt::format("metrics: GitHub refused {} (HTTP {}: {}): the token needs `{}` (in the "
                  "workflow: `permissions:` with `{}`)",
                  what, e.status(), util::sanitize_utf8(e.api_message()), permission, permission));
}

bool permission_problem(const github::ApiError& e) {
  return (e.status() == 401 || e.status() == 403 || e.status() == 404) && !is_rate_limit(e);
}

gate::StatusMark mark_of(std::string_view description) {
  if (description.starts_with(publish::k_not_deployed_marker))
    return gate::StatusMark::not_deployed;
  if (!publish::claim_token_of(description).empty()) return gate::StatusMark::rollback_claim;
  if (publish::records_rollback(description)) return gate::StatusMark::rollback_dispatched;
  return gate::StatusMark::none;
}

// Requests are counted as the client sends them, retries included.
class Reader {
public:
  Reader(github::Client& client, const std::string& repo_path, const std::string& environment,
         RequestBudget& budget)
      : m_client(client), m_repo_path(repo_path), m_environment(environment), m_budget(budget),
        m_next(fmt::format("{}/deployments?environment={}&per_page={}", repo_path,
                           util::url_encode(environment), k_metrics_per_page)) {}

  // One GET, counted against the budget (retries included); GitHub's errors propagate.
  github::ApiResponse get_raw(const std::string& url) {
    const int before = m_client.requests_sent();
    try {
      auto r = m_client.get(url);
      m_budget.used += static_cast<size_t>(m_client.requests_sent() - before);
      return r;
    } catch (const github::ApiError&) {
      m_budget.used += static_cast<size_t>(m_client.requests_sent() - before);
      throw;
    }
  }

  // One GET whose refusal is said as the permission it needs.
  github::ApiResponse get(const std::string& url, const std::string& what,
                          const std::string& permission) {
    try {
      return get_raw(url);
    } catch (const github::ApiError& e) {
      if (permission_problem(e)) refused(e, what, permission);
      throw;
    }
  }

  // The next deployment, newest first; pages are fetched as they are needed.
  std::optional<gate::DeploymentRecord> next_deployment() {
    while (m_page.empty() && !m_next.empty()) {
      if (m_budget.left() == 0) return std::nullopt;
      auto r =
          get(m_next, fmt::format("the deployments of {}", m_environment), "deployments: read");
      if (!m_rate_checked) {
        m_rate_checked = true;
        // GitHub says what is left of the hour's requests: the budget never exceeds it.
        if (auto remaining = r.header("x-ratelimit-remaining")) {
          const long long left = std::atoll(remaining->c_str());
          const size_t cap =
              m_budget.used +
              static_cast<size_t>(std::max<long long>(0, left - k_rate_limit_reserve));
          m_budget.limit = std::min(m_budget.limit, cap);
        }
      }
      if (r.json.IsArray()) {
        for (const auto& v : r.json.GetArray()) {
          const auto d = publish::parse_deployment(v);
          const auto created = publish::parse_iso8601(d.created_at);
          if (d.id == 0 || !created) continue;
          gate::DeploymentRecord record;
          record.id = d.id;
          record.sha = d.sha;
          record.created_at = *created;
          m_page.push_back(std::move(record));
          ++m_listed;
        }
      }
      const auto link = r.header("link");
      m_next = link ? github::next_page_url(*link).value_or("") : "";
    }
    if (m_page.empty()) return std::nullopt;
    auto d = std::move(m_page.front());
    m_page.pop_front();
    return d;
  }

  bool listed_all() const { return m_page.empty() && m_next.empty(); }
  size_t listed() const { return m_listed; }

  void read_statuses(gate::DeploymentRecord& d) {
    std::string url = fmt::format("{}/deployments/{}/statuses?per_page={}", m_repo_path, d.id,
                                  k_metrics_per_page);
    for (size_t page = 0; page < k_max_status_pages && !url.empty(); ++page) {
      auto r = get(url, fmt::format("the statuses of deployment {}", d.id), "deployments: read");
      if (r.json.IsArray()) {
        for (const auto& v : r.json.GetArray()) {
          const auto at = publish::parse_iso8601(util::string_or(v, "created_at"));
          if (!at) continue;
          gate::StatusRecord s;
          s.id = util::int_member(v, "id").value_or(0);
          s.state = std::string(util::string_or(v, "state"));
          s.at = *at;
          s.mark = mark_of(util::string_or(v, "description"));
          d.statuses.push_back(std::move(s));
        }
      }
      const auto link = r.header("link");
      url = link ? github::next_page_url(*link).value_or("") : "";
    }
  }

  // A commit's committer date, as the commits and compare APIs give it.
  static std::optional<int64_t> commit_date(const rapidjson::Value& c) {
    const auto* commit = util::member(c, "commit");
    const auto* committer = commit ? util::member(*commit, "committer") : nullptr;
    return committer ? publish::parse_iso8601(util::string_or(*committer, "date")) : std::nullopt;
  }

  // The earliest committer date among `commits` (compare lists them oldest first).
  static bool earliest_commit(const rapidjson::Value& commits, gate::DeploymentRecord& d) {
    bool found = false;
    for (const auto& c : commits.GetArray()) {
      const auto at = commit_date(c);
      if (!at || (found && *at >= d.first_commit_at)) continue;
      d.first_commit_at = *at;
      d.first_commit_sha = std::string(util::string_or(c, "sha"));
      found = true;
    }
    return found;
  }

  void find_first_commit(gate::DeploymentRecord& d, const gate::LeadTimeQuery& q) {
    if (!q.first_ever && q.previous_sha.empty()) {
      d.first_commit = gate::FirstCommit::not_measured;
      d.first_commit_note =
          "no earlier successful deployment was read (the history before the window ends early)";
      return;
    }
    if (q.previous_sha == q.sha) {
      d.first_commit = gate::FirstCommit::no_new_commits;
      return;
    }
    if (m_budget.left() == 0) {
      d.first_commit = gate::FirstCommit::not_measured;
      d.first_commit_note = "the request budget was used up (raise --max-requests)";
      return;
    }
    const std::string what = q.first_ever
                                 ? fmt::format("commit {}", q.sha.substr(0, 12))
                                 : fmt::format("the comparison {}...{}",
                                               q.previous_sha.substr(0, 12), q.sha.substr(0, 12));
    const std::string url = q.first_ever
                                ? fmt::format("{}/commits/{}", m_repo_path, util::url_encode(q.sha))
                                : fmt::format("{}/compare/{}...{}?per_page={}", m_repo_path,
                                              util::url_encode(q.previous_sha),
                                              util::url_encode(q.sha), k_metrics_per_page);
    github::ApiResponse r;
    try {
      r = get_raw(url);
    } catch (const github::ApiError& e) {
      // 404 here is a commit the repository no longer has (a force-push): that range is unknown.
      if (e.status() == 404) {
        d.first_commit = gate::FirstCommit::not_measured;
        d.first_commit_note =
            fmt::format("GitHub does not know {} (a commit removed by a force-push?)", what);
        return;
      }
      if (permission_problem(e)) refused(e, "to read " + what, "contents: read");
      throw;
    }
    if (q.first_ever) {
      if (const auto at = r.json.IsObject() ? commit_date(r.json) : std::nullopt) {
        d.first_commit = gate::FirstCommit::own_commit;
        d.first_commit_at = *at;
        d.first_commit_sha = std::string(util::string_or(r.json, "sha"));
        return;
      }
    } else if (const auto* commits = util::member(r.json, "commits");
               commits && commits->IsArray()) {
      if (commits->Empty()) {
        d.first_commit = gate::FirstCommit::no_new_commits;
        return;
      }
      if (earliest_commit(*commits, d)) {
        d.first_commit = gate::FirstCommit::of_range;
        return;
      }
    }
    d.first_commit = gate::FirstCommit::not_measured;
    d.first_commit_note = fmt::format("GitHub's answer for {} holds no commit date", what);
  }

private:
  github::Client& m_client;
  const std::string& m_repo_path;
  const std::string& m_environment;
  RequestBudget& m_budget;
  std::string m_next;
  std::deque<gate::DeploymentRecord> m_page;
  bool m_rate_checked = false;
  size_t m_listed = 0;
};

// Requests the deployments of the window still need: their statuses, and a comparison each.
size_t still_needed(size_t deployments) {
  return 2 * deployments + k_planning_reserve;
}

} // namespace

EnvironmentHistory read_environment_history(github::Client& client, const std::string& repo_path,
                                            const std::string& environment,
                                            const gate::Window& window, RequestBudget& budget) {
  EnvironmentHistory h;
  h.environment = environment;
  h.window = window;
  Reader reader(client, repo_path, environment, budget);

  // 1. The deployments of the window, newest first, listed while the budget can still read them.
  std::vector<gate::DeploymentRecord> in_window;
  std::deque<gate::DeploymentRecord> older; // listed already, older than the (narrowed) window
  bool out_of_budget = false;
  while (auto d = reader.next_deployment()) {
    if (d->created_at >= window.until) continue;
    if (d->created_at < window.since) {
      older.push_back(std::move(*d));
      break;
    }
    in_window.push_back(std::move(*d));
  }
  if (older.empty() && !reader.listed_all()) out_of_budget = true;

  // 2. Plan: when the budget cannot read every deployment listed, keep the newest it can.
  size_t keep = in_window.size();
  if (still_needed(keep) > budget.left()) {
    keep = budget.left() > still_needed(0) ? (budget.left() - still_needed(0)) / 2 : 0;
    out_of_budget = true;
  }
  if (out_of_budget) {
    if (keep == 0)
      throw util::InputError(
          fmt::format("metrics: the request budget ({} requests, within what GitHub's "
                      "x-ratelimit-remaining leaves) cannot read a single deployment of {}; raise "
                      "--max-requests, or run when the hour's requests are not used up",
                      budget.limit, environment));
    if (keep < in_window.size()) {
      older.insert(older.begin(),
                   std::make_move_iterator(in_window.begin() + static_cast<std::ptrdiff_t>(keep)),
                   std::make_move_iterator(in_window.end()));
      in_window.resize(keep);
    }
    h.window.since = in_window.back().created_at;
    h.narrowed = fmt::format(
        "the request budget ({} requests; GitHub's x-ratelimit-remaining included) covers only "
        "the {} newest deployments of the window; raise --max-requests for more",
        budget.limit, keep);
  }
  for (auto& d : in_window)
    reader.read_statuses(d);

  // 3. Before the window: back to the previous successful deployment, the base of the first lead
  // time.
  std::vector<gate::DeploymentRecord> before;
  bool found_previous = false;
  for (size_t n = 0; n < k_max_deployments_before_window && budget.left() > 1; ++n) {
    if (older.empty()) {
      if (auto d = reader.next_deployment()) older.push_back(std::move(*d));
      if (older.empty()) break;
    }
    before.push_back(std::move(older.front()));
    older.pop_front();
    reader.read_statuses(before.back());
    if (gate::classify(before.back()).result == gate::DeploymentResult::succeeded) {
      found_previous = true;
      break;
    }
  }
  h.complete = !found_previous && older.empty() && reader.listed_all();
  h.none_at_all = reader.listed() == 0 && reader.listed_all();

  h.deployments = std::move(in_window);
  for (auto& d : before)
    h.deployments.push_back(std::move(d));

  // 4. The first commit of each successful deployment of the window.
  for (const auto& q : gate::lead_time_queries(h.deployments, h.window, h.complete)) {
    auto it =
        std::find_if(h.deployments.begin(), h.deployments.end(),
                     [&](const gate::DeploymentRecord& d) { return d.id == q.deployment_id; });
    reader.find_first_commit(*it, q);
  }
  return h;
}

} // namespace tollgate::command
