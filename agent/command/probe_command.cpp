#include "command/probe_command.h"

#include "command/rollback_command.h"
#include "probe/engine.h"
#include "probe/probe_config.h"
#include "publish/probe_summary.h"
#include "runner/matrix.h"
#include "util/clock.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Reasons printed in the progress log are cut to this many bytes (they quote the target).
constexpr size_t k_progress_reason_bytes = 240;
// The failure description names at most this many failed probes.
constexpr size_t k_failed_names_listed = 3;

// One log line of untrusted text: valid UTF-8, no control characters (so no line break can start
// a workflow command), bounded.
std::string printable(std::string_view text, size_t max_bytes) {
  std::string out = util::sanitize_utf8(text);
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return util::truncate_utf8(out, max_bytes);
}

std::string progress_line(const probe::ProbeSpec& spec, const probe::Sample& s,
                          const probe::Analysis& a) {
  std::string line =
      fmt::format("probe {} #{}/{}: ", printable(spec.name, 200), s.index, spec.policy.count);
  if (s.status)
    line += fmt::format("{} in {:.0f} ms", s.status, s.latency_ms);
  else
    line += fmt::format("no answer after {:.0f} ms", s.latency_ms);
  line += fmt::format(" — {}", probe::to_string(s.kind));
  if (!s.reason.empty()) line += ": " + printable(s.reason, k_progress_reason_bytes);
  if (a.verdict() != probe::Verdict::running)
    line += fmt::format(" → {} ({})", probe::to_string(a.verdict()),
                        printable(a.reason(), k_progress_reason_bytes));
  return line + "\n";
}

class ProbeCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--url", m_inputs.urls,
                   "URL to probe; repeatable (replaces the config's probes: list)")
        ->take_all();
    probe_flag(app, "--method", "HTTP method (default GET)");
    probe_list(app, "--header",
               "Request header 'Name: value'; ${NAME} takes an environment variable; repeatable");
    probe_flag(app, "--body", "Request body; ${NAME} takes an environment variable");
    probe_flag(app, "--expect-status",
               "Expected status codes: 200,204 or 2xx or 200-299 (default 2xx)");
    probe_list(app, "--expect-body", "Substring the body must contain; repeatable");
    probe_list(app, "--expect-regex", "RE2 regex the body must match; repeatable");
    probe_list(app, "--expect-json",
               "JSON-pointer comparison: '/status == \"ok\"', '/db/latency_ms < 50'; repeatable");
    probe_flag(app, "--max-latency", "Per-sample latency limit (500ms, 2s)");
    probe_flag(app, "--max-p50", "Limit on the median latency over the samples");
    probe_flag(app, "--max-p95", "Limit on the 95th-percentile latency");
    probe_flag(app, "--max-p99", "Limit on the 99th-percentile latency");
    probe_flag(app, "--tls-min-days", "The certificate must stay valid at least this many days");
    app.add_flag("--allow-redirects", m_inputs.allow_redirects,
                 "Follow redirects to other origins too (without the probe's headers)");
    app.add_option("--cacert", m_inputs.ca_file,
                   "PEM file of CA certificates to trust instead of the system's");
    analysis_flag(app, "--initial-delay", "Wait before the first sample (e.g. 10s)");
    analysis_flag(app, "--interval", "Time between the starts of samples (default 1s)");
    analysis_flag(app, "--count", "Samples per probe (default 3)");
    analysis_flag(app, "--timeout", "Per-sample timeout, redirects included (default 10s)");
    analysis_flag(app, "--failure-limit", "Fail when more samples than this fail (default 0)");
    analysis_flag(app, "--consecutive-error-limit",
                  "Fail when more transport errors than this come in a row (default 4)");
    analysis_flag(app, "--consecutive-success-limit",
                  "Pass and stop once this many samples in a row succeed");
    analysis_flag(app, "--inconclusive",
                  "fail (default) or pass: what an inconclusive analysis does to the step");
    app.add_option("--environment", m_rollback.environment,
                   "On failure: mark this environment's deployment failed");
    app.add_option("--environment-url", m_rollback.environment_url,
                   "The environment_url of the failure status");
    app.add_option("--deployment-id", m_rollback.deployment_id,
                   "The deployment (default: found by environment + commit)");
    app.add_option("--rollback-workflow", m_rollback.workflow,
                   "On failure: dispatch this workflow (rollback.yml) once");
    app.add_option("--rollback-ref", m_rollback.ref,
                   "The ref to run the rollback workflow on (default: the default branch)");
    app.add_option("--rollback-input", m_rollback_inputs,
                   "Extra rollback workflow input name=value; repeatable")
        ->take_all();
  }

  publish::DeliveryOptions delivery_defaults() const override {
    publish::DeliveryOptions d;
    // The check run and the deployment status say it; a commit status would repeat it.
    d.commit_status = publish::StatusMode::off;
    return d;
  }

  model::Outcome run(Context& ctx) override {
    for (const auto& [key, values] : m_probe_values)
      for (const auto& v : values)
        m_inputs.probe.emplace_back(key, v);
    for (const auto& [key, value] : m_analysis_values)
      if (!value.empty()) m_inputs.analysis.emplace_back(key, value);
    runner::ProcessEnvironment env;
    const auto specs =
        probe::build_probe_specs(ctx.config, ctx.config_path, m_inputs,
                                 [&](const std::string& name) { return env.get(name); });
    refuse_token(ctx, specs);
    if (!m_rollback.workflow.empty() && m_rollback.environment.empty())
      throw util::InputError(
          "probe: --rollback-workflow needs --environment (the deployment to mark failed)");

    *ctx.log << fmt::format("tollgate: probing {} target{}\n", specs.size(),
                            specs.size() == 1 ? "" : "s");
    util::SystemClock clock;
    std::ostream& log = *ctx.log;
    const auto results = probe::run_probes(
        specs, clock, [&](const auto& spec, const auto& sample, const auto& analysis) {
          log << progress_line(spec, sample, analysis) << std::flush;
        });

    model::Outcome outcome;
    outcome.command = "probe";
    outcome.check_name =
        ctx.common.check_name.empty() ? runner::with_leg("Probes", ctx.leg) : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/probe", ctx.leg);
    outcome.passed =
        std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed; });
    std::vector<std::string> failed_names;
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      outcome.gates.push_back({"probe " + r.name,
                               static_cast<double>(specs[i].policy.failure_limit),
                               static_cast<double>(r.failures), r.passed,
                               fmt::format("{}: {}", probe::to_string(r.verdict), r.reason)});
      if (r.passed) continue;
      failed_names.push_back(r.name);
      model::Finding f;
      f.level = model::Level::failure;
      f.title = fmt::format("probe {} {}", r.name, probe::to_string(r.verdict));
      f.message = r.reason;
      outcome.findings.push_back(std::move(f));
    }

    publish::RollbackSummary rollback;
    bool rollback_error = false;
    if (!outcome.passed && !m_rollback.environment.empty()) {
      std::string description = "Probes failed: ";
      for (size_t i = 0; i < failed_names.size() && i < k_failed_names_listed; ++i)
        description += (i ? ", " : "") + failed_names[i];
      if (failed_names.size() > k_failed_names_listed)
        description += fmt::format(" and {} more", failed_names.size() - k_failed_names_listed);
      RollbackOptions options = m_rollback;
      for (const auto& p : m_rollback_inputs) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0)
          throw util::InputError(fmt::format("--rollback-input '{}': write it as name=value", p));
        options.extra_inputs.emplace_back(p.substr(0, eq), p.substr(eq + 1));
      }
      auto run = roll_back(ctx, options, description);
      rollback = run.summary;
      rollback_error = run.error;
      if (!rollback.note.empty())
        log << "tollgate: rollback: " << printable(rollback.note, 1000) << "\n";
      if (!rollback.run_url.empty())
        log << "tollgate: rollback run: " << printable(rollback.run_url, 500) << "\n";
    }

    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = publish::probe_title(results);
    if (rollback.dispatched)
      outcome.title += " · rollback dispatched";
    else if (rollback.already)
      outcome.title += " · rollback already dispatched";
    else if (rollback_error)
      outcome.title += " · rollback NOT dispatched";
    outcome.summary = publish::probe_summary(results, rollback, summary_options(ctx));
    outcome.outputs = {
        {"failed-probes", join(failed_names)},
        {"rollback-dispatched", rollback.dispatched ? "true" : "false"},
        {"rollback-run-url", rollback.run_url},
        {"deployment-id", rollback.deployment_id ? std::to_string(rollback.deployment_id) : ""}};
    outcome.write_json_extra = [results, rollback](util::JsonWriter& w) {
      publish::write_probes_json(w, results);
      publish::write_rollback_json(w, rollback);
    };
    return outcome;
  }

private:
  void probe_flag(CLI::App& app, const std::string& flag, const std::string& help) {
    app.add_option(flag, m_probe_values[flag.substr(2)], help)->expected(1);
  }
  void probe_list(CLI::App& app, const std::string& flag, const std::string& help) {
    app.add_option(flag, m_probe_values[flag.substr(2)], help)->take_all();
  }
  void analysis_flag(CLI::App& app, const std::string& flag, const std::string& help) {
    app.add_option(flag, m_analysis_values[flag.substr(2)], help);
  }

  // SPEC §2: the GitHub token goes only to the API. A probe that would carry it is refused.
  static void refuse_token(const Context& ctx, const std::vector<probe::ProbeSpec>& specs) {
    const std::string& token = ctx.actions.token;
    if (token.empty()) return;
    for (const auto& s : specs) {
      bool carries =
          s.url.find(token) != std::string::npos || s.body.find(token) != std::string::npos;
      for (const auto& h : s.headers)
        carries = carries || h.second.find(token) != std::string::npos;
      if (carries)
        throw util::InputError(
            fmt::format("probe '{}' would send the GitHub token to its target; refusing", s.name));
    }
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
      out += (out.empty() ? "" : ",") + n;
    return out;
  }

  probe::ProbeInputs m_inputs;
  std::map<std::string, std::vector<std::string>> m_probe_values;
  std::map<std::string, std::string> m_analysis_values;
  RollbackOptions m_rollback;
  std::vector<std::string> m_rollback_inputs;
};

} // namespace

std::unique_ptr<Command> make_probe_command() {
  return std::make_unique<ProbeCommand>();
}

} // namespace tollgate::command
