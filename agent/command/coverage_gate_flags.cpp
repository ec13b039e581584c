#include "command/coverage_gate_flags.h"

#include "report/coverage_baseline.h"
#include "util/error.h"
#include "util/files.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

namespace tollgate::command {

void CoverageGateFlags::add_to(CLI::App& app, const CoverageGateHelp& help) {
  // CLI::Range lets NaN through (every comparison with it is false), and --min-file nan would then
  // pass every file: a threshold is a finite number from 0 to 100, or the run stops (exit 2).
  const auto pct = CLI::Validator(
                       [](std::string& text) -> std::string {
                         double v = 0;
                         try {
                           size_t used = 0;
                           v = std::stod(text, &used);
                           if (used != text.size()) return "must be a number from 0 to 100";
                         } catch (const std::exception&) {
                           return "must be a number from 0 to 100";
                         }
                         if (!std::isfinite(v)) return "must be a finite number from 0 to 100, not " + text;
                         return v >= 0 && v <= 100 ? "" : "must be a number from 0 to 100";
                       },
                       "PCT in [0, 100]");
  m_min_line_opt = app.add_option("--min-line", m_min_line, help.min_line)->check(pct);
  m_min_branch_opt = app.add_option("--min-branch", m_min_branch, help.min_branch)->check(pct);
  m_min_file_opt = app.add_option("--min-file", m_min_file, help.min_file)->check(pct);
  m_min_patch_opt = app.add_option("--min-patch", m_min_patch, help.min_patch)->check(pct);
  m_max_drop_opt = app.add_option("--max-drop", m_max_drop, help.max_drop)->check(pct);
  app.add_option("--baseline", m_baseline, help.baseline);
  app.add_option(
      "--base", m_base,
      "Base revision for changed lines: git diff BASE...HEAD (default: the pull request's base)");
  app.add_option("--annotate", m_annotate, help.annotate)->check(CLI::IsMember({"all", "none"}));
  app.add_option("--unmeasured-patch", m_unmeasured_patch,
                 "skip (default): --min-patch is skipped and shown 'not measured' when the changed lines "
                 "cannot be had; fail: it fails then")
      ->check(CLI::IsMember({"skip", "fail"}));
}

gate::CoverageGateOptions CoverageGateFlags::given() const {
  const auto pick = [](const CLI::Option* opt, double value) {
    return opt && opt->count() ? std::optional<double>(value) : std::nullopt;
  };
  gate::CoverageGateOptions o;
  o.min_line = pick(m_min_line_opt, m_min_line);
  o.min_branch = pick(m_min_branch_opt, m_min_branch);
  o.min_file = pick(m_min_file_opt, m_min_file);
  o.min_patch = pick(m_min_patch_opt, m_min_patch);
  o.max_drop = pick(m_max_drop_opt, m_max_drop);
  o.fail_unmeasured_patch = fail_unmeasured_patch();
  return o;
}

std::optional<double> CoverageGateFlags::baseline_line_pct(std::string& note) const {
  const auto read = baseline(note);
  return read ? read->line_pct : std::nullopt;
}

std::optional<report::CoverageBaseline> CoverageGateFlags::baseline(std::string& note) const {
  if (m_baseline.empty()) return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::exists(m_baseline, ec)) {
    // The first run of a repository has no baseline yet: the drop gate says so and passes.
    note = fmt::format("--baseline {} does not exist (no result from the base branch yet)",
                       m_baseline);
    return std::nullopt;
  }
  auto bytes = util::read_file(m_baseline);
  if (!bytes) throw util::InputError(bytes.error());
  auto parsed = report::parse_coverage_baseline(*bytes);
  if (!parsed) throw util::InputError(util::describe(m_baseline, parsed.error()));
  if (!parsed->line_pct)
    note = fmt::format("--baseline {} measured no executable lines: not measured (--max-drop)", m_baseline);
  return std::move(*parsed);
}

std::string CoverageGateFlags::base_revision(const Context& ctx) const {
  if (!m_base.empty()) return m_base;
  const auto& event = ctx.actions.event;
  return event.pull_request > 0 || event.event_name == "merge_group" ? event.base_sha : "";
}

} // namespace tollgate::command
