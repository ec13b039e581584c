#pragma once
// GitHub Deployments: find the deployment Actions created for a job's `environment:` (environment
// + commit, newest), create one only where there is none, post its statuses. Planning a rollback
// from them is publish/rollback_plan.h.
#include "github/client.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tollgate::publish {

struct Deployment {
  int64_t id = 0;
  std::string sha, ref, environment, created_at;
};

struct DeploymentStatus {
  int64_t id = 0;
  std::string state, description, log_url, environment_url, created_at;
};

struct DeploymentStatusRequest {
  std::string state;           // queued|in_progress|success|failure|error|inactive|pending
  std::string description;     // cut to 140 characters
  std::string log_url;         // the run
  std::string environment_url; // the deployed site
};

// Deployments API: list pages hold at most 100 items; more pages than this are not read.
constexpr size_t k_max_deployment_pages = 10;

// A deployment as the API lists it (id 0 when it has none).
Deployment parse_deployment(const rapidjson::Value& v);

// Every deployment of `environment` at `sha`, newest first (pages followed).
std::vector<Deployment> list_deployments_at(github::Client& client, const std::string& repo_path,
                                            const std::string& environment, const std::string& sha);

// The newest deployment of `environment` at `sha`, if any.
std::optional<Deployment> find_deployment(github::Client& client, const std::string& repo_path,
                                          const std::string& environment, const std::string& sha);
std::optional<Deployment> get_deployment(github::Client& client, const std::string& repo_path,
                                         int64_t id);

// Creates a deployment of `ref` (branch, tag or SHA) without merging the default branch into
// it. A retry after an answer that may have been applied finds the deployment instead.
Deployment create_deployment(github::Client& client, const std::string& repo_path,
                             const std::string& environment, const std::string& ref,
                             const std::string& sha, const std::string& description);

// Every status of a deployment, newest first.
std::vector<DeploymentStatus> list_deployment_statuses(github::Client& client,
                                                       const std::string& repo_path,
                                                       int64_t deployment_id);

// Posts a status; a retry after an applied-then-failed answer finds it instead of posting twice.
DeploymentStatus post_deployment_status(github::Client& client, const std::string& repo_path,
                                        int64_t deployment_id,
                                        const DeploymentStatusRequest& request);

// The JSON body of a status, exposed for --dry-run and tests.
std::string deployment_status_body(const DeploymentStatusRequest& request);

// "2024-05-01T12:00:00Z" → epoch seconds; nothing when it is not that shape.
std::optional<int64_t> parse_iso8601(std::string_view text);
std::string format_iso8601(int64_t epoch_seconds);

} // namespace tollgate::publish
