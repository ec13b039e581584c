#include "publish/metrics_summary.h"

#include "publish/deployments.h"
#include "util/text.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::publish {

namespace {

// The chart's widest bar, in characters.
constexpr size_t k_chart_width = 30;

std::string code(std::string_view text) {
  return "<code>" + util::escape_table_cell(text) + "</code>";
}

std::string day(int64_t t) {
  return format_iso8601(t).substr(0, 10);
}

std::string moment(int64_t t) {
  const std::string iso = format_iso8601(t);
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string pct(std::optional<double> p) {
  return p ? fmt::format("{:.1f} %", *p) : "–";
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

size_t open_restores(const gate::EnvironmentMetrics& m) {
  return static_cast<size_t>(std::count_if(m.restores.begin(), m.restores.end(),
                                           [](const gate::Restore& r) { return !r.restored_at; }));
}

std::string week_label(const gate::WeekFigures& w) {
  const double days = static_cast<double>(w.end - w.start) / 86400.0;
  std::string label = day(gate::week_start(w.start));
  if (days < 7) label += fmt::format(" ({:.3g} d)", days);
  return label;
}

std::string figures_table(const gate::EnvironmentMetrics& m) {
  const size_t finished = m.succeeded + m.failed + m.rolled_back;
  std::string md = "| Figure | Value | Counted |\n|---|---|---|\n";
  md += fmt::format("| Deployment frequency | **{:.1f} a week** | {} in {:.3g} day{} |\n",
                    m.deployments_per_week,
                    plural(m.succeeded, "successful deployment", "successful deployments"), m.days,
                    m.days == 1 ? "" : "s");
  md += fmt::format(
      "| Lead time for changes (median) | **{}** | {}{}{} |\n", format_duration(m.lead_time_median),
      plural(m.lead_times.size(), "deployment", "deployments"),
      m.no_new_commits ? fmt::format("; {} without new commits", m.no_new_commits) : "",
      m.lead_time_not_measured.empty()
          ? ""
          : fmt::format("; {} not measured", m.lead_time_not_measured.size()));
  md +=
      fmt::format("| Change failure rate | **{}** | {} failed, {} rolled back of {} finished{} |\n",
                  pct(m.change_failure_rate), m.failed, m.rolled_back, finished,
                  m.unfinished ? fmt::format(" ({} unfinished not counted)", m.unfinished) : "");
  const size_t open = open_restores(m);
  md += fmt::format("| Time to restore (median) | **{}** | {}{} |\n",
                    format_duration(m.time_to_restore_median),
                    plural(m.restores.size() - open, "restore", "restores"),
                    open ? fmt::format("; {} not restored by the window's end", open) : "");
  md += fmt::format("| Rollback time (median) | **{}** | {}: probe failing → dispatched {}, "
                    "dispatched → healthy {} |\n",
                    format_duration(m.rollback_median),
                    plural(m.rollbacks.size(), "rollback", "rollbacks"),
                    format_duration(m.rollback_detect_to_dispatch_median),
                    format_duration(m.rollback_dispatch_to_healthy_median));
  return md;
}

std::string weeks_table(const gate::EnvironmentMetrics& m) {
  std::string md =
      "| Week of (Monday, UTC) | Deployments | Failed | Change failure rate | Lead time (median) | "
      "Time to restore (median) | Rollback time (median) |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& w : m.weeks)
    md +=
        fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", week_label(w), w.succeeded, w.failed,
                    pct(w.change_failure_rate), format_duration(w.lead_time_median),
                    format_duration(w.time_to_restore_median), format_duration(w.rollback_median));
  return md;
}

std::string notes(const EnvironmentReport& r) {
  const auto& m = r.metrics;
  std::string md;
  if (r.none_at_all)
    md += "- ⚠️ GitHub has no deployment of this environment at all: is the name right? (the "
          "figures above are of "
          "nothing)\n";
  if (!r.narrowed.empty())
    md += fmt::format("- ⚠️ Window narrowed: {}.\n", util::escape_markdown(r.narrowed));
  for (const auto& n : m.lead_time_not_measured)
    md += fmt::format("- Lead time of deployment {} not measured: {}.\n", n.deployment_id,
                      util::escape_markdown(n.reason));
  for (const auto& x : m.restores)
    if (!x.restored_at)
      md += fmt::format("- Failing since {} (deployment {}): no successful deployment followed by "
                        "the window's end.\n",
                        moment(x.failed_at), x.failed_deployment_id);
  for (const auto& x : m.rollbacks)
    if (!x.healthy_at)
      md += fmt::format(
          "- Rollback of deployment {} (probe failed {}): no successful deployment followed by the "
          "window's end.\n",
          x.deployment_id, moment(x.detected_at));
  return md;
}

void key_optional(util::JsonWriter& w, const char* key, std::optional<double> v) {
  w.Key(key);
  if (v)
    w.Double(*v);
  else
    w.Null();
}

void key_time(util::JsonWriter& w, const char* key, std::optional<int64_t> t) {
  w.Key(key);
  if (t)
    util::write_string(w, format_iso8601(*t));
  else
    w.Null();
}

void write_environment(util::JsonWriter& w, const EnvironmentReport& r) {
  const auto& m = r.metrics;
  w.StartObject();
  w.Key("environment");
  util::write_string(w, r.environment);
  key_time(w, "since", m.window.since);
  key_time(w, "until", m.window.until);
  w.Key("no_deployments_at_all");
  w.Bool(r.none_at_all);
  w.Key("narrowed");
  if (r.narrowed.empty())
    w.Null();
  else
    util::write_string(w, r.narrowed);
  w.Key("deployments");
  w.StartObject();
  for (const auto& [k, v] : {std::pair{"succeeded", m.succeeded},
                             {"failed", m.failed},
                             {"rolled_back", m.rolled_back},
                             {"unfinished", m.unfinished},
                             {"not_deployed", m.not_deployed}}) {
    w.Key(k);
    w.Uint64(v);
  }
  w.EndObject();
  w.Key("deployment_frequency_per_week");
  w.Double(m.deployments_per_week);
  w.Key("days");
  w.Double(m.days);
  key_optional(w, "lead_time_median_s", m.lead_time_median);
  w.Key("lead_times");
  w.StartArray();
  for (const auto& l : m.lead_times) {
    w.StartObject();
    w.Key("deployment_id");
    w.Int64(l.deployment_id);
    w.Key("sha");
    util::write_string(w, l.sha);
    w.Key("first_commit_sha");
    util::write_string(w, l.first_commit_sha);
    key_time(w, "first_commit_at", l.first_commit_at);
    key_time(w, "succeeded_at", l.succeeded_at);
    w.Key("seconds");
    w.Int64(l.seconds);
    w.EndObject();
  }
  w.EndArray();
  w.Key("no_new_commits");
  w.Uint64(m.no_new_commits);
  w.Key("lead_time_not_measured");
  w.StartArray();
  for (const auto& n : m.lead_time_not_measured) {
    w.StartObject();
    w.Key("deployment_id");
    w.Int64(n.deployment_id);
    w.Key("reason");
    util::write_string(w, n.reason);
    w.EndObject();
  }
  w.EndArray();
  key_optional(w, "change_failure_rate", m.change_failure_rate);
  key_optional(w, "time_to_restore_median_s", m.time_to_restore_median);
  w.Key("restores");
  w.StartArray();
  for (const auto& x : m.restores) {
    w.StartObject();
    w.Key("failed_deployment_id");
    w.Int64(x.failed_deployment_id);
    key_time(w, "failed_at", x.failed_at);
    w.Key("restored_by");
    if (x.restored_by)
      w.Int64(*x.restored_by);
    else
      w.Null();
    key_time(w, "restored_at", x.restored_at);
    key_optional(w, "seconds",
                 x.restored_at
                     ? std::optional<double>(static_cast<double>(*x.restored_at - x.failed_at))
                     : std::nullopt);
    w.EndObject();
  }
  w.EndArray();
  key_optional(w, "rollback_median_s", m.rollback_median);
  key_optional(w, "rollback_detect_to_dispatch_median_s", m.rollback_detect_to_dispatch_median);
  key_optional(w, "rollback_dispatch_to_healthy_median_s", m.rollback_dispatch_to_healthy_median);
  w.Key("rollbacks");
  w.StartArray();
  for (const auto& x : m.rollbacks) {
    w.StartObject();
    w.Key("deployment_id");
    w.Int64(x.deployment_id);
    key_time(w, "detected_at", x.detected_at);
    key_time(w, "dispatched_at", x.dispatched_at);
    key_time(w, "healthy_at", x.healthy_at);
    w.EndObject();
  }
  w.EndArray();
  w.Key("weeks");
  w.StartArray();
  for (const auto& wk : m.weeks) {
    w.StartObject();
    key_time(w, "start", wk.start);
    key_time(w, "end", wk.end);
    w.Key("succeeded");
    w.Uint64(wk.succeeded);
    w.Key("failed");
    w.Uint64(wk.failed);
    key_optional(w, "change_failure_rate", wk.change_failure_rate);
    key_optional(w, "lead_time_median_s", wk.lead_time_median);
    key_optional(w, "time_to_restore_median_s", wk.time_to_restore_median);
    key_optional(w, "rollback_median_s", wk.rollback_median);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

} // namespace

const std::vector<std::pair<std::string, std::string>>& metric_definitions() {
  static const std::vector<std::pair<std::string, std::string>> definitions = {
      {"deployment", "A GitHub deployment of the environment, counted in the week it was created. "
                     "Deployments with a "
                     "status \"tollgate: not deployed\" (a job's record of a commit it did not "
                     "deploy) count nowhere."},
      {"result", "Rolled back when a status records a rollback claim or dispatch; otherwise its "
                 "latest success, "
                 "failure or error status (queued, in_progress, pending and inactive do not "
                 "decide): succeeded, or "
                 "failed; unfinished without one."},
      {"deployment_frequency", "Successful deployments per 7 days of the window."},
      {"lead_time",
       "For each successful deployment: from its first commit's committer date to its first "
       "success "
       "status after its last failure. The first commit is the oldest commit of the compare range "
       "from "
       "the previous successful deployment of the environment to this one (GitHub lists it oldest "
       "first), or the deployed commit itself for the environment's first deployment. A deployment "
       "whose range is empty (a redeploy, a rollback to an older commit) has none. Median."},
      {"change_failure_rate",
       "Deployments that ended in failure or error or were rolled back, divided by all "
       "finished deployments (succeeded, failed, rolled back), in percent."},
      {"time_to_restore",
       "From the first failure (the first failure or error status of a failed or rolled back "
       "deployment, while the environment was not already failing) to the next success of a "
       "deployment of the environment. Counted in the week the failure began. Median."},
      {"rollback_time",
       "From the probe failing (Tollgate's rollback claim on the failed deployment) to the "
       "rollback being dispatched (its \"rollback dispatched\" status) to the environment healthy "
       "again (the next success of a deployment of the environment). Median of the whole span, "
       "and of each part."},
      {"median", "The middle value, or the mean of the two middle ones."},
      {"weeks", "ISO weeks, Monday 00:00 UTC, cut to the window at both ends."},
  };
  return definitions;
}

std::string format_duration(std::optional<double> seconds) {
  if (!seconds) return "–";
  const auto s = static_cast<int64_t>(std::llround(*seconds));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
  return fmt::format("{} d {} h", s / 86400, (s % 86400) / 3600);
}

std::string metrics_title(const std::vector<EnvironmentReport>& reports) {
  if (reports.empty()) return "No environment";
  const auto& r = reports.front();
  const auto& m = r.metrics;
  std::string title =
      fmt::format("{}: {:.1f} deployments a week, lead time {}, change failure rate {}, time to "
                  "restore {}",
                  r.environment, m.deployments_per_week, format_duration(m.lead_time_median),
                  pct(m.change_failure_rate), format_duration(m.time_to_restore_median));
  if (reports.size() > 1) title += fmt::format(" (and {} more)", reports.size() - 1);
  return title;
}

std::string weekly_chart(const gate::EnvironmentMetrics& m) {
  size_t widest = 1;
  for (const auto& w : m.weeks)
    widest = std::max(widest, w.succeeded + w.failed);
  const double scale = widest > k_chart_width
                           ? static_cast<double>(k_chart_width) / static_cast<double>(widest)
                           : 1.0;
  const auto bar = [&](size_t n, const char* glyph) {
    std::string out;
    const auto cells = static_cast<size_t>(std::lround(static_cast<double>(n) * scale));
    for (size_t i = 0; i < (n > 0 ? std::max<size_t>(cells, 1) : 0); ++i)
      out += glyph;
    return out;
  };
  std::string text = "week of      deployments (█ succeeded, ░ failed)\n";
  for (const auto& w : m.weeks)
    text += fmt::format("{:<11} │{}{} {} ✓ {} ✗\n", day(gate::week_start(w.start)),
                        bar(w.succeeded, "█"), bar(w.failed, "░"), w.succeeded, w.failed);
  return util::code_block(text, "text");
}

std::string metrics_summary(const std::vector<EnvironmentReport>& reports) {
  std::string md;
  for (const auto& r : reports) {
    const auto& m = r.metrics;
    md += fmt::format("#### {} · {} → {} ({:.3g} days)\n\n", code(r.environment),
                      moment(m.window.since), moment(m.window.until), m.days);
    md += figures_table(m) + "\n";
    md += weeks_table(m) + "\n";
    md += weekly_chart(m) + "\n";
    if (const std::string n = notes(r); !n.empty()) md += n + "\n";
  }
  md += "#### Definitions\n\n";
  for (const auto& [name, text] : metric_definitions())
    md += fmt::format("- **{}**: {}\n", name, text);
  return md;
}

void write_metrics_json(util::JsonWriter& w, const std::vector<EnvironmentReport>& reports,
                        size_t requests) {
  w.Key("environments");
  w.StartArray();
  for (const auto& r : reports)
    write_environment(w, r);
  w.EndArray();
  w.Key("requests");
  w.Uint64(requests);
  w.Key("definitions");
  w.StartObject();
  for (const auto& [name, text] : metric_definitions()) {
    util::write_key(w, name);
    util::write_string(w, text);
  }
  w.EndObject();
}

} // namespace tollgate::publish
