#pragma once
// Reading an environment's delivery history for `tollgate metrics`, read-only: deployments and
// their statuses (deployments: read), the compare range and commits of a deployment (contents:
// read). Bounded: a request budget is planned before the statuses are read, and where it does not
// cover the whole window the window is narrowed from its oldest end and the reason is kept, so
// the figures always cover a stated period, never a silently partial one.
#include "gate/delivery_metrics.h"
#include "github/client.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::command {

// GITHUB_TOKEN may make 1,000 REST requests an hour per repository
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#primary-rate-limit-for-github_token-in-github-actions):
// by default metrics uses at most half of that, leaving the rest to the other jobs of the hour.
constexpr size_t k_default_metrics_requests = 500;
// Requests left to others when x-ratelimit-remaining is lower than the budget.
constexpr size_t k_rate_limit_reserve = 20;
// Deployments and statuses are listed 100 a page, the most the API gives
// (https://docs.github.com/en/rest/deployments/deployments#list-deployments).
constexpr int k_metrics_per_page = 100;
// Deployments read before the window to find the previous successful one, at most.
constexpr size_t k_max_deployments_before_window = 50;

struct RequestBudget {
  size_t limit = k_default_metrics_requests;
  size_t used = 0;
  size_t left() const { return used >= limit ? 0 : limit - used; }
};

struct EnvironmentHistory {
  std::string environment;
  std::vector<gate::DeploymentRecord> deployments;
  gate::Window window;      // what the figures cover: the asked window, or narrowed
  std::string narrowed;     // why the window was narrowed, empty when it was not
  bool complete = false;    // the environment's first deployment was read
  bool none_at_all = false; // GitHub lists no deployment of the environment: a misspelt name?
};

// Reads the history of `environment` for `window` and the first commits of its successful
// deployments. Throws util::InputError naming the missing permission on 403/404.
EnvironmentHistory read_environment_history(github::Client& client, const std::string& repo_path,
                                            const std::string& environment,
                                            const gate::Window& window, RequestBudget& budget);

} // namespace tollgate::command
