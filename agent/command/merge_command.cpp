#include "command/merge_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "command/coverage_gate_flags.h"
#include "gate/merge_gate.h"
#include "publish/coverage_summary.h"
#include "publish/merge_json.h"
#include "publish/merge_summary.h"
#include "report/coverage_baseline.h"
#include "report/leg_result.h"
#include "report/repo_paths.h"
#include "runner/git.h"
#include "util/files.h"

namespace tollgate::command {

namespace {

std::string percent_output(double v) { return fmt::format("{:.2f}", v); }

// Everything the --json writer needs, shared so the outcome can be copied cheaply.
struct MergeResult {
  std::vector<model::LegResult> legs;
  std::vector<gate::SharedFinding> findings;
  std::optional<gate::TestTotals> tests;
  std::optional<gate::MergedLegCoverage> coverage;
  std::optional<gate::PatchCoverage> patch;
};

class MergeCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    m_flags.add_to(app, {.min_line = "Merged coverage: fail below this total line coverage (default: the legs' own threshold)",
                         .min_branch = "Merged coverage: fail below this total branch coverage",
                         .min_file = "Merged coverage: fail when any file's line coverage is below this",
                         .min_patch = "Merged coverage: fail below this coverage of the executable changed lines",
                         .max_drop = "Merged coverage: fail when line coverage drops more than this below --baseline",
                         .baseline = "A coverage or merge --json result from the base branch (default: the one the legs used)",
                         .annotate = "all (default): annotate every distinct finding once; none"});
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty())
      throw util::InputError("merge: give the legs' --json results with --report (for example 'results/**/*.json')");
    auto result = std::make_shared<MergeResult>();
    for (const auto& path : util::expand_report_patterns(ctx.common.reports, ctx.repo_root)) {
      auto bytes = util::read_file(path);
      if (!bytes) throw util::InputError(bytes.error());
      auto leg = report::parse_leg_result(*bytes);
      if (!leg) throw util::InputError(util::describe(path, leg.error()));
      leg->source = path;
      result->legs.push_back(std::move(*leg));
    }

    result->coverage = gate::merge_leg_coverage(result->legs);
    const bool coverage_merged = result->coverage.has_value();
    result->findings = gate::share_findings(result->legs, coverage_merged);
    result->tests = gate::sum_tests(result->legs);

    std::vector<model::Gate> gates{gate::failed_legs_gate(result->legs, coverage_merged)};
    std::vector<model::Finding> coverage_findings;
    std::string coverage_title, coverage_markdown;
    if (coverage_merged) decide_coverage(ctx, *result, gates, coverage_findings, coverage_title, coverage_markdown);

    model::Outcome outcome;
    outcome.command = "merge";
    outcome.check_name = ctx.common.check_name.empty() ? gate::merge_check_name(result->legs) : ctx.common.check_name;
    outcome.status_context = "tollgate/merge";
    outcome.passed = std::all_of(gates.begin(), gates.end(), [](const auto& g) { return g.passed; });
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = gate::merge_title(result->legs, coverage_merged, result->tests, coverage_title);

    if (m_flags.annotate()) {
      for (const auto& s : result->findings) {
        model::Finding f = s.finding;
        f.message = publish::shared_finding_message(s);
        outcome.findings.push_back(std::move(f));
      }
      // Failures first: the shared findings are ordered by level already.
      auto first_non_failure = std::find_if(outcome.findings.begin(), outcome.findings.end(),
                                            [](const auto& f) { return f.level != model::Level::failure; });
      outcome.findings.insert(first_non_failure, coverage_findings.begin(), coverage_findings.end());
    }

    publish::MergeSummaryInput summary;
    summary.legs = &result->legs;
    summary.findings = &result->findings;
    summary.tests = result->tests;
    summary.gates = &gates;
    summary.coverage = std::move(coverage_markdown);
    outcome.summary = publish::merge_summary(summary);
    outcome.gates = std::move(gates);

    const auto failed_legs = static_cast<size_t>(outcome.gates.front().actual);
    outcome.outputs = {{"legs", std::to_string(gate::leg_count(result->legs, coverage_merged))}, {"failed-legs", std::to_string(failed_legs)}};
    if (const auto& t = result->tests) {
      outcome.outputs.insert(outcome.outputs.end(),
                             {{"tests", std::to_string(t->tests)}, {"passed-tests", std::to_string(t->passed)},
                              {"failed", std::to_string(t->failed)}, {"errors", std::to_string(t->errors)},
                              {"skipped", std::to_string(t->skipped)}, {"flaky", std::to_string(t->flaky)}});
    }
    if (const auto& c = result->coverage) {
      outcome.outputs.insert(outcome.outputs.end(),
                             {{"line-coverage", percent_output(c->totals.line_pct())},
                              {"branch-coverage", percent_output(c->totals.branch_pct())},
                              {"patch-coverage", result->patch ? percent_output(result->patch->pct()) : ""}});
    }
    outcome.write_json_extra = [result](util::JsonWriter& w) {
      publish::MergeJsonInput in;
      in.legs = &result->legs;
      in.findings = &result->findings;
      in.tests = result->tests;
      in.coverage = result->coverage ? &*result->coverage : nullptr;
      in.patch = result->patch ? &*result->patch : nullptr;
      publish::write_merge_json(w, in);
    };
    return outcome;
  }

private:
  // The coverage gates on the merged numbers: options given here, else the thresholds the legs used.
  void decide_coverage(const Context& ctx, MergeResult& result, std::vector<model::Gate>& gates,
                       std::vector<model::Finding>& findings, std::string& title, std::string& markdown) const {
    gate::CoverageGateOptions options = gate::inherit_coverage_gates(result.legs, m_flags.given());

    auto& coverage = *result.coverage;
    std::string baseline_note;
    if (m_flags.baseline_given()) coverage.baseline_line_pct = m_flags.baseline_line_pct(baseline_note);
    options.baseline_line_pct = coverage.baseline_line_pct;

    // Changed lines come from this job's checkout: the legs' patch numbers cannot be merged.
    const bool explicit_base = m_flags.base_given();
    const std::string base = m_flags.base_revision(ctx);
    if (!base.empty()) {
      const report::RepoPaths paths(ctx.repo_root, runner::git_ls_files(ctx.repo_root));
      if (paths.has_file_list()) {
        result.patch = gate::compute_patch(coverage.files, runner::git_changed_lines(ctx.repo_root, base));
      } else if (explicit_base || options.min_patch) {
        throw util::InputError(fmt::format("merge: patch coverage needs the changed lines of {}...HEAD, but {} is not a git "
                                           "checkout (check out the repository with fetch-depth: 0 in the merge job)",
                                           base, ctx.repo_root));
      }
    }
    const gate::PatchCoverage* patch = result.patch ? &*result.patch : nullptr;
    gate::CoverageDecision decision = gate::decide_coverage(coverage.totals, coverage.files, patch, options);
    if (!baseline_note.empty())
      for (auto& g : decision.gates)
        if (g.name == "coverage drop") g.detail = baseline_note;
    const bool patch_failed = std::any_of(decision.gates.begin(), decision.gates.end(),
                                          [](const auto& g) { return g.name == "patch coverage" && !g.passed; });
    if (patch) findings = gate::uncovered_findings(*patch, patch_failed ? model::Level::failure : model::Level::warning);
    title = gate::coverage_title(coverage.totals, coverage.baseline_line_pct, patch);

    publish::CoverageSummaryInput summary;
    summary.totals = coverage.totals;
    summary.baseline_line_pct = coverage.baseline_line_pct;
    summary.patch = patch;
    summary.files = &coverage.files;
    summary.outside = &coverage.outside;
    summary.files_below = &decision.files_below;
    summary.base = base;
    markdown = publish::coverage_summary(summary);
    gates.insert(gates.end(), decision.gates.begin(), decision.gates.end());
  }

  CoverageGateFlags m_flags;
};

} // namespace

std::unique_ptr<Command> make_merge_command() { return std::make_unique<MergeCommand>(); }

} // namespace tollgate::command
