#pragma once
// Delivery metrics (`tollgate metrics`) as values, from the deployments of one environment and
// their statuses: deployment frequency, lead time for changes, change failure rate, time to
// restore and rollback time. Pure: the history is read by command/metrics_history, and every
// definition below is also written in the output (publish/metrics_summary) and docs/metrics.md.
// Times are epoch seconds, UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tollgate::gate {

// What a deployment status records beyond its state, read by the caller from its description
// (the markers Tollgate writes: publish/rollback.h, publish/rollback_plan.h).
enum class StatusMark { none, rollback_claim, rollback_dispatched, not_deployed };

struct StatusRecord {
  int64_t id = 0;
  std::string state; // queued, in_progress, pending, success, failure, error, inactive
  int64_t at = 0;
  StatusMark mark = StatusMark::none;
};

// Where a deployment's first commit came from, for its lead time.
enum class FirstCommit {
  unknown,        // not asked (not a successful deployment in the window)
  of_range,       // the oldest commit in the compare range previous...this
  own_commit,     // no earlier deployment at all: the deployed commit itself
  no_new_commits, // the range is empty: a redeploy or a rollback to an older commit
  not_measured,   // asked, but it could not be told (`first_commit_note` says why)
};

struct DeploymentRecord {
  int64_t id = 0;
  std::string sha;
  int64_t created_at = 0;
  std::vector<StatusRecord> statuses; // any order
  // Set by the reader for the deployments lead_time_queries names.
  FirstCommit first_commit = FirstCommit::unknown;
  std::string first_commit_sha;
  int64_t first_commit_at = 0; // its committer date
  std::string first_commit_note;
};

struct Window {
  int64_t since = 0; // inclusive
  int64_t until = 0; // exclusive
};

enum class DeploymentResult { succeeded, failed, rolled_back, unfinished, not_deployed };
const char* to_string(DeploymentResult result);

struct ClassifiedDeployment {
  DeploymentResult result = DeploymentResult::unfinished;
  std::optional<int64_t> succeeded_at;  // succeeded: its first success after its last failure
  std::optional<int64_t> failed_at;     // failed, rolled back: its first failure or error
  std::optional<int64_t> detected_at;   // rolled back: the first rollback claim (the probe failing)
  std::optional<int64_t> dispatched_at; // rolled back: when "rollback dispatched" was recorded
};

// A deployment's result:
//  - not_deployed: a status says "tollgate: not deployed" (a job's record of a commit it did not
//    deploy); such deployments count nowhere;
//  - rolled_back: a status records a rollback claim or dispatch;
//  - else by its latest success, failure or error status (queued, in_progress, pending and
//    inactive say nothing about the outcome): succeeded, or failed; unfinished without one.
ClassifiedDeployment classify(const DeploymentRecord& deployment);

// A succeeded deployment in the window whose first commit must be looked up: the range is
// previous_sha...sha, or the commit itself when previous_sha is empty and `first_ever` is true.
struct LeadTimeQuery {
  int64_t deployment_id = 0;
  std::string sha;
  std::string previous_sha;
  bool first_ever = false;
};

// `history_complete`: the deployments hold the environment's whole history, so a deployment
// with no earlier succeeded one is its first; otherwise its range is unknown (not measured).
std::vector<LeadTimeQuery> lead_time_queries(const std::vector<DeploymentRecord>& deployments,
                                             const Window& window, bool history_complete);

struct LeadTime {
  int64_t deployment_id = 0;
  std::string sha;
  std::string first_commit_sha;
  int64_t first_commit_at = 0;
  int64_t succeeded_at = 0;
  int64_t seconds = 0;
};

struct Restore {
  int64_t failed_deployment_id = 0;
  int64_t failed_at = 0;
  std::optional<int64_t> restored_by; // the deployment that succeeded next
  std::optional<int64_t> restored_at; // empty: not restored before the window's end
};

struct RollbackTiming {
  int64_t deployment_id = 0;
  int64_t detected_at = 0;
  std::optional<int64_t> dispatched_at;
  std::optional<int64_t> healthy_at; // the next success on the environment
};

struct WeekFigures {
  int64_t start = 0; // clipped to the window
  int64_t end = 0;
  size_t succeeded = 0;
  size_t failed = 0;                         // rolled back included
  std::optional<double> change_failure_rate; // percent; empty when no deployment finished
  std::vector<int64_t> lead_times;           // seconds
  std::optional<double> lead_time_median;
  std::vector<int64_t> restores; // seconds, restored episodes that started this week
  std::optional<double> time_to_restore_median;
  std::vector<int64_t> rollbacks; // seconds, probe failing → healthy again
  std::optional<double> rollback_median;
};

struct NotMeasured {
  int64_t deployment_id = 0;
  std::string reason;
};

struct EnvironmentMetrics {
  Window window;
  size_t succeeded = 0;
  size_t failed = 0;      // ended in failure or error
  size_t rolled_back = 0; // counted apart from failed
  size_t unfinished = 0;
  size_t not_deployed = 0;
  double days = 0;
  double deployments_per_week = 0;           // succeeded per 7 days of the window
  std::optional<double> change_failure_rate; // percent
  std::vector<LeadTime> lead_times;          // oldest first
  std::optional<double> lead_time_median;
  size_t no_new_commits = 0; // succeeded deployments that shipped no commit (redeploys, rollbacks)
  std::vector<NotMeasured> lead_time_not_measured;
  std::vector<Restore> restores; // episodes that started in the window, oldest first
  std::optional<double> time_to_restore_median;
  std::vector<RollbackTiming> rollbacks; // detected in the window, oldest first
  std::optional<double> rollback_detect_to_dispatch_median;
  std::optional<double> rollback_dispatch_to_healthy_median;
  std::optional<double> rollback_median; // detected → healthy
  std::vector<WeekFigures> weeks;
};

// The figures over `window` (deployments are counted by their created_at). Deployments before
// the window take part only as the previous deployment of a lead time and in whether the
// environment was already failing when the window began.
EnvironmentMetrics compute_delivery_metrics(const std::vector<DeploymentRecord>& deployments,
                                            const Window& window);

// The median: the middle value, or the mean of the two middle ones; empty for no values.
std::optional<double> median(std::vector<int64_t> values);

// Monday 00:00 UTC of the ISO week holding `t`.
int64_t week_start(int64_t t);

} // namespace tollgate::gate
