#include "gate/delivery_metrics.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace tollgate::gate {

namespace {

constexpr int64_t k_day_s = 86400;
constexpr int64_t k_week_s = 7 * k_day_s;

bool is_final(const std::string& state) {
  return state == "success" || state == "failure" || state == "error";
}

std::vector<StatusRecord> oldest_first(std::vector<StatusRecord> statuses) {
  std::sort(statuses.begin(), statuses.end(), [](const StatusRecord& a, const StatusRecord& b) {
    return std::tie(a.at, a.id) < std::tie(b.at, b.id);
  });
  return statuses;
}

bool in_window(int64_t t, const Window& w) {
  return t >= w.since && t < w.until;
}

// Deployments in creation order (ties by id, which only grows), each with its classification.
struct Entry {
  const DeploymentRecord* record;
  ClassifiedDeployment c;
};

std::vector<Entry> in_order(const std::vector<DeploymentRecord>& deployments) {
  std::vector<Entry> out;
  out.reserve(deployments.size());
  for (const auto& d : deployments)
    out.push_back({&d, classify(d)});
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.record->created_at, a.record->id) <
           std::tie(b.record->created_at, b.record->id);
  });
  return out;
}

bool failed_result(DeploymentResult r) {
  return r == DeploymentResult::failed || r == DeploymentResult::rolled_back;
}

// What happened on the environment, in time order: a deployment failing or succeeding.
struct Event {
  int64_t at;
  bool success;
  int64_t deployment_id;
};

std::vector<Event> events_of(const std::vector<Entry>& entries) {
  std::vector<Event> events;
  for (const auto& e : entries) {
    if (e.c.result == DeploymentResult::succeeded && e.c.succeeded_at)
      events.push_back({*e.c.succeeded_at, true, e.record->id});
    else if (failed_result(e.c.result) && e.c.failed_at)
      events.push_back({*e.c.failed_at, false, e.record->id});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  return events;
}

std::optional<double> percent(size_t part, size_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

WeekFigures& week_of(std::vector<WeekFigures>& weeks, int64_t t) {
  for (auto& w : weeks)
    if (t >= w.start && t < w.end) return w;
  return weeks.back(); // not reached: callers pass times inside the window
}

} // namespace

const char* to_string(DeploymentResult result) {
  switch (result) {
  case DeploymentResult::succeeded:
    return "succeeded";
  case DeploymentResult::failed:
    return "failed";
  case DeploymentResult::rolled_back:
    return "rolled back";
  case DeploymentResult::unfinished:
    return "unfinished";
  case DeploymentResult::not_deployed:
    return "not deployed";
  }
  return "unfinished";
}

ClassifiedDeployment classify(const DeploymentRecord& deployment) {
  ClassifiedDeployment c;
  const auto statuses = oldest_first(deployment.statuses);
  const auto marked = [&](StatusMark m) {
    return std::any_of(statuses.begin(), statuses.end(),
                       [m](const StatusRecord& s) { return s.mark == m; });
  };
  if (marked(StatusMark::not_deployed)) {
    c.result = DeploymentResult::not_deployed;
    return c;
  }
  for (const auto& s : statuses) {
    if ((s.state == "failure" || s.state == "error") && !c.failed_at) c.failed_at = s.at;
    if (s.mark == StatusMark::rollback_claim && !c.detected_at) c.detected_at = s.at;
    if (s.mark == StatusMark::rollback_dispatched && !c.dispatched_at) c.dispatched_at = s.at;
  }
  if (marked(StatusMark::rollback_claim) || marked(StatusMark::rollback_dispatched)) {
    c.result = DeploymentResult::rolled_back;
    // A dispatch recorded without a claim (an older Tollgate): detected no later than dispatched.
    if (!c.detected_at)
      c.detected_at = c.failed_at ? std::min(*c.failed_at, *c.dispatched_at) : *c.dispatched_at;
    if (!c.failed_at) c.failed_at = c.detected_at;
    return c;
  }
  const StatusRecord* last_final = nullptr;
  const StatusRecord* last_failure = nullptr;
  for (const auto& s : statuses) {
    if (!is_final(s.state)) continue;
    last_final = &s;
    if (s.state != "success") last_failure = &s;
  }
  if (!last_final) {
    c.result = DeploymentResult::unfinished;
    c.failed_at.reset();
    return c;
  }
  if (last_final->state != "success") {
    c.result = DeploymentResult::failed;
    return c;
  }
  c.result = DeploymentResult::succeeded;
  c.failed_at.reset();
  for (const auto& s : statuses) {
    if (s.state != "success") continue;
    if (last_failure && std::tie(s.at, s.id) < std::tie(last_failure->at, last_failure->id))
      continue;
    c.succeeded_at = s.at;
    break;
  }
  return c;
}

std::vector<LeadTimeQuery> lead_time_queries(const std::vector<DeploymentRecord>& deployments,
                                             const Window& window, bool history_complete) {
  std::vector<LeadTimeQuery> queries;
  const DeploymentRecord* previous = nullptr;
  for (const auto& e : in_order(deployments)) {
    if (e.c.result != DeploymentResult::succeeded) continue;
    if (in_window(e.record->created_at, window)) {
      LeadTimeQuery q;
      q.deployment_id = e.record->id;
      q.sha = e.record->sha;
      if (previous) q.previous_sha = previous->sha;
      q.first_ever = !previous && history_complete;
      queries.push_back(q);
    }
    previous = e.record;
  }
  return queries;
}

std::optional<double> median(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
}

int64_t week_start(int64_t t) {
  // 1970-01-01 was a Thursday: Monday 1969-12-29 is 3 days before the epoch.
  const int64_t from_monday = t + 3 * k_day_s;
  const int64_t floor =
      from_monday >= 0 ? from_monday / k_week_s : (from_monday - k_week_s + 1) / k_week_s;
  return floor * k_week_s - 3 * k_day_s;
}

EnvironmentMetrics compute_delivery_metrics(const std::vector<DeploymentRecord>& deployments,
                                            const Window& window) {
  EnvironmentMetrics m;
  m.window = window;
  m.days = static_cast<double>(window.until - window.since) / static_cast<double>(k_day_s);
  for (int64_t start = week_start(window.since); start < window.until; start += k_week_s) {
    WeekFigures w;
    w.start = std::max(start, window.since);
    w.end = std::min(start + k_week_s, window.until);
    m.weeks.push_back(w);
  }
  if (m.weeks.empty()) return m;

  const auto entries = in_order(deployments);
  std::map<int64_t, const DeploymentRecord*> by_id;
  for (const auto& e : entries)
    by_id[e.record->id] = e.record;

  for (const auto& e : entries) {
    if (!in_window(e.record->created_at, window)) continue;
    WeekFigures& week = week_of(m.weeks, e.record->created_at);
    switch (e.c.result) {
    case DeploymentResult::succeeded:
      ++m.succeeded, ++week.succeeded;
      break;
    case DeploymentResult::failed:
      ++m.failed, ++week.failed;
      break;
    case DeploymentResult::rolled_back:
      ++m.rolled_back, ++week.failed;
      break;
    case DeploymentResult::unfinished:
      ++m.unfinished;
      break;
    case DeploymentResult::not_deployed:
      ++m.not_deployed;
      break;
    }
    if (e.c.result != DeploymentResult::succeeded) continue;
    const DeploymentRecord& d = *e.record;
    switch (d.first_commit) {
    case FirstCommit::of_range:
    case FirstCommit::own_commit:
      if (d.first_commit_at > *e.c.succeeded_at) {
        m.lead_time_not_measured.push_back(
            {d.id, "its first commit is dated after the deployment succeeded"});
        break;
      }
      m.lead_times.push_back({d.id, d.sha, d.first_commit_sha, d.first_commit_at, *e.c.succeeded_at,
                              *e.c.succeeded_at - d.first_commit_at});
      week.lead_times.push_back(m.lead_times.back().seconds);
      break;
    case FirstCommit::no_new_commits:
      ++m.no_new_commits;
      break;
    case FirstCommit::unknown:
      m.lead_time_not_measured.push_back({d.id, "its first commit was not looked up"});
      break;
    case FirstCommit::not_measured:
      m.lead_time_not_measured.push_back({d.id, d.first_commit_note});
      break;
    }
  }
  m.deployments_per_week = m.days > 0 ? static_cast<double>(m.succeeded) * 7.0 / m.days : 0;
  m.change_failure_rate = percent(m.failed + m.rolled_back, m.succeeded + m.failed + m.rolled_back);

  // Time to restore: an episode opens at a failure while the environment is not already failing
  // and closes at the next success. Only episodes that open inside the window are counted.
  const auto events = events_of(entries);
  std::optional<Restore> open;
  const auto close = [&](std::optional<int64_t> at, std::optional<int64_t> by) {
    open->restored_at = at;
    open->restored_by = by;
    if (in_window(open->failed_at, window)) {
      m.restores.push_back(*open);
      if (at) week_of(m.weeks, open->failed_at).restores.push_back(*at - open->failed_at);
    }
    open.reset();
  };
  for (const auto& ev : events) {
    if (ev.at >= window.until) break;
    if (!ev.success && !open) open = Restore{ev.deployment_id, ev.at, std::nullopt, std::nullopt};
    if (ev.success && open) close(ev.at, ev.deployment_id);
  }
  if (open) close(std::nullopt, std::nullopt);

  // Rollback time: the probe failing (the first claim) → dispatched → the next success.
  for (const auto& e : entries) {
    if (e.c.result != DeploymentResult::rolled_back || !in_window(*e.c.detected_at, window))
      continue;
    RollbackTiming r{e.record->id, *e.c.detected_at, e.c.dispatched_at, std::nullopt};
    for (const auto& ev : events) {
      if (ev.at >= window.until) break;
      if (ev.success && ev.at >= r.detected_at) {
        r.healthy_at = ev.at;
        break;
      }
    }
    m.rollbacks.push_back(r);
  }
  std::sort(m.rollbacks.begin(), m.rollbacks.end(),
            [](const RollbackTiming& a, const RollbackTiming& b) {
              return a.detected_at < b.detected_at;
            });
  std::vector<int64_t> to_dispatch, to_healthy_after_dispatch, total;
  for (const auto& r : m.rollbacks) {
    if (r.dispatched_at) to_dispatch.push_back(*r.dispatched_at - r.detected_at);
    if (r.dispatched_at && r.healthy_at)
      to_healthy_after_dispatch.push_back(*r.healthy_at - *r.dispatched_at);
    if (r.healthy_at) {
      total.push_back(*r.healthy_at - r.detected_at);
      week_of(m.weeks, r.detected_at).rollbacks.push_back(total.back());
    }
  }
  m.rollback_detect_to_dispatch_median = median(to_dispatch);
  m.rollback_dispatch_to_healthy_median = median(to_healthy_after_dispatch);
  m.rollback_median = median(total);

  std::vector<int64_t> lead, restore;
  for (const auto& l : m.lead_times)
    lead.push_back(l.seconds);
  for (const auto& r : m.restores)
    if (r.restored_at) restore.push_back(*r.restored_at - r.failed_at);
  m.lead_time_median = median(lead);
  m.time_to_restore_median = median(restore);
  for (auto& w : m.weeks) {
    w.change_failure_rate = percent(w.failed, w.succeeded + w.failed);
    w.lead_time_median = median(w.lead_times);
    w.time_to_restore_median = median(w.restores);
    w.rollback_median = median(w.rollbacks);
  }
  return m;
}

} // namespace tollgate::gate
