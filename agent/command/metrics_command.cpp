#include "command/metrics_command.h"

#include "command/metrics_history.h"
#include "publish/deployments.h"
#include "publish/metrics_summary.h"
#include "runner/matrix.h"
#include "util/clock.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <regex>

namespace tollgate::command {

namespace {

// The longest window: a year of weekly figures; older history is for other tools.
constexpr int64_t k_max_window_s = 366LL * 86400;
constexpr const char* k_default_since = "30d";

class MetricsCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--environment", m_environments, "An environment to measure (repeatable)")
        ->take_all();
    app.add_option(
        "--since", m_since,
        "Start of the window: 30d, 12w, 36h, a date (2026-11-01) or a UTC time; default 30d");
    app.add_option("--until", m_until, "End of the window, in the same forms; default now");
    app.add_option("--max-requests", m_max_requests,
                   "GitHub requests at most (default 500; also never more than "
                   "x-ratelimit-remaining allows)")
        ->check(CLI::Range(static_cast<size_t>(10), static_cast<size_t>(100000)));
  }

  publish::DeliveryOptions delivery_defaults() const override { return summary_only_delivery(); }

  model::Outcome run(Context& ctx) override {
    if (m_environments.empty())
      throw util::InputError("metrics: give --environment NAME (repeatable)");
    if (!ctx.client)
      throw util::InputError(
          "metrics: needs GITHUB_TOKEN and GITHUB_REPOSITORY (a token with deployments: read and "
          "contents: read)");
    util::SystemClock clock;
    const int64_t now = clock.epoch_seconds();
    gate::Window window;
    // A window that ends in the future would count days that have not happened: it ends now.
    window.until =
        m_until.empty() ? now : std::min(now, parse_metrics_time("--until", m_until, now));
    window.since = parse_metrics_time("--since", m_since, window.until);
    if (window.since >= window.until)
      throw util::InputError(fmt::format("metrics: --since ({}) is not before --until ({})",
                                         publish::format_iso8601(window.since),
                                         publish::format_iso8601(window.until)));
    if (window.until - window.since > k_max_window_s)
      throw util::InputError("metrics: the window is longer than 366 days; give a later --since");

    const std::string repo_path = fmt::format("/repos/{}/{}", ctx.actions.owner, ctx.actions.repo);
    RequestBudget budget;
    budget.limit = m_max_requests;
    std::vector<publish::EnvironmentReport> reports;
    for (const auto& environment : m_environments) {
      auto history = read_environment_history(*ctx.client, repo_path, environment, window, budget);
      publish::EnvironmentReport r;
      r.environment = environment;
      r.narrowed = history.narrowed;
      r.none_at_all = history.none_at_all;
      if (history.none_at_all)
        *ctx.log << fmt::format(
            "tollgate: metrics: GitHub has no deployment of the environment {} at all\n",
            util::sanitize_utf8(environment));
      r.metrics = gate::compute_delivery_metrics(history.deployments, history.window);
      reports.push_back(std::move(r));
    }

    model::Outcome outcome;
    outcome.command = "metrics";
    outcome.check_name = ctx.common.check_name.empty() ? "Delivery metrics" : ctx.common.check_name;
    outcome.status_context = "tollgate/metrics";
    outcome.passed = true;
    outcome.conclusion = model::Conclusion::success;
    outcome.judges = false;
    outcome.title = publish::metrics_title(reports);
    outcome.summary = publish::metrics_summary(reports);
    const auto& first = reports.front().metrics;
    outcome.outputs = {
        {"deployments-per-week", fmt::format("{:.2f}", first.deployments_per_week)},
        {"lead-time-median-s",
         first.lead_time_median ? fmt::format("{:.0f}", *first.lead_time_median) : ""},
        {"change-failure-rate",
         first.change_failure_rate ? fmt::format("{:.2f}", *first.change_failure_rate) : ""},
        {"time-to-restore-median-s",
         first.time_to_restore_median ? fmt::format("{:.0f}", *first.time_to_restore_median) : ""},
        {"rollback-median-s",
         first.rollback_median ? fmt::format("{:.0f}", *first.rollback_median) : ""},
        {"requests", std::to_string(budget.used)}};
    *ctx.log << fmt::format("tollgate: metrics: {} GitHub requests (budget {})\n", budget.used,
                            budget.limit);
    const size_t used = budget.used;
    outcome.write_json_extra = [reports, used](util::JsonWriter& w) {
      publish::write_metrics_json(w, reports, used);
    };
    return outcome;
  }

private:
  std::vector<std::string> m_environments;
  std::string m_since = k_default_since;
  std::string m_until;
  size_t m_max_requests = k_default_metrics_requests;
};

} // namespace

std::unique_ptr<Command> make_metrics_command() {
  return std::make_unique<MetricsCommand>();
}

int64_t parse_metrics_time(const std::string& option, const std::string& text, int64_t now) {
  static const std::regex relative(R"(([0-9]{1,6})([mhdw]))");
  static const std::regex date(R"([0-9]{4}-[0-9]{2}-[0-9]{2})");
  static const std::regex instant(R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)");
  std::smatch m;
  if (std::regex_match(text, m, relative)) {
    const int64_t n = std::stoll(m[1]);
    const char unit = m[2].str()[0];
    const int64_t seconds = unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 7 * 86400;
    return now - n * seconds;
  }
  std::optional<int64_t> t;
  if (std::regex_match(text, date)) t = publish::parse_iso8601(text + "T00:00:00Z");
  if (std::regex_match(text, instant)) t = publish::parse_iso8601(text);
  // parse_iso8601 normalises 2026-02-31 to March: a date must print back as given.
  if (t && publish::format_iso8601(*t).substr(0, text.size() == 10 ? 10 : 20) == text) return *t;
  throw util::InputError(
      fmt::format("{} '{}': write a span back from now (30d, 12w, 36h, 90m), a date (2026-11-01) "
                  "or a UTC time (2026-11-01T12:00:00Z)",
                  option, util::sanitize_utf8(text.substr(0, 80))));
}

} // namespace tollgate::command
