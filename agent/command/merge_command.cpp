#include "command/merge_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "command/changed_lines.h"
#include "command/coverage_gate_flags.h"
#include "gate/merge_gate.h"
#include "gate/merge_legs.h"
#include "gate/merge_scan.h"
#include "publish/coverage_summary.h"
#include "publish/merge_json.h"
#include "publish/merge_scan.h"
#include "publish/merge_summary.h"
#include "report/coverage_baseline.h"
#include "report/leg_result.h"
#include "report/tests_baseline.h"
#include "report/repo_paths.h"
#include "runner/git.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/huge_heap.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

// Heap reserved per byte of the legs' results: what the legs keep (a coverage leg's hits per line)
// peaks at about half their bytes (90 MB for two 97 MB coverage legs: each is read in chunks and
// its coverage data never becomes a tree, report/leg_result.cpp). Our measurement.
constexpr size_t k_leg_heap_per_byte = 1;

std::string percent_output(double v) { return fmt::format("{:.2f}", v); }

// Everything the --json writer needs, shared so the outcome can be copied cheaply.
struct MergeResult {
  std::vector<model::LegResult> legs;
  std::vector<gate::SharedFinding> findings;
  std::optional<gate::TestTotals> tests;
  std::optional<gate::MergedLegCoverage> coverage;
  std::optional<gate::PatchCoverage> patch;
  std::vector<std::string> leg_notes; // how the legs were accounted for, when not completely
  std::vector<gate::FoldedScanFinding> scan; // the scan legs' findings, folded across legs and tools
  bool scan_legs = false, scan_baseline = false, scan_new_only = false;
};

// What the merged view of the scan legs judges as they did: new-only when every scan leg was.
void note_scan_leg(const model::LegResult& leg, MergeResult& result) {
  if (!leg.scan) return;
  result.scan_new_only = (result.scan_legs ? result.scan_new_only : true) && leg.scan->new_only;
  result.scan_baseline = result.scan_baseline || leg.scan->has_baseline;
  result.scan_legs = true;
}
// Jobs of one workflow run: GitHub lists at most 100 per page; a matrix has at most 256 jobs.
// https://docs.github.com/en/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run
constexpr size_t k_job_pages = 10;

// True when root/relative, followed through every symlink, stays inside root (or does not exist).
bool stays_inside(const std::filesystem::path& root, const std::string& relative) {
  std::error_code ec;
  const auto real_root = std::filesystem::weakly_canonical(root, ec);
  if (ec) return false;
  const auto real = std::filesystem::weakly_canonical(root / relative, ec);
  if (ec) return false;
  const auto rel = real.lexically_relative(real_root);
  return !rel.empty() && *rel.begin() != "..";
}

// A leg result is hostile: every path in it is confined to the repository again here, where it
// becomes an annotation or a coverage file. A finding whose path is not proven loses its location
// (it stays in the summary); a coverage file whose path is not is listed outside the repository.
void confine_leg_paths(model::LegResult& leg, const report::RepoPaths& paths, const std::string& root) {
  auto confine = [&](const std::string& path) -> std::optional<std::string> {
    auto confined = report::confined_leg_path(path);
    if (!confined) return std::nullopt;
    if (paths.has_file_list() && !paths.is_tracked(*confined)) return std::nullopt;
    if (!stays_inside(root, *confined)) return std::nullopt;
    return confined;
  };
  for (auto& f : leg.findings) {
    if (f.path.empty()) continue;
    if (auto p = confine(f.path)) {
      f.path = std::move(*p);
    } else {
      f.path.clear();
      f.start_line = f.end_line = 0;
    }
  }
  if (leg.scan)
    for (auto* list : {&leg.scan->findings, &leg.scan->fixed})
      for (auto& f : *list) {
        if (f.path.empty()) continue;
        if (auto p = confine(f.path.str())) {
          f.path = std::move(*p);
        } else {
          if (f.uri.empty()) f.uri = f.path; // still shown in the summary, never annotated
          f.path.clear();
          f.start_line = f.end_line = 0;
        }
      }
  if (!leg.coverage) return;
  auto& files = *leg.coverage;
  std::vector<model::FileCoverage> kept;
  kept.reserve(files.size());
  for (auto& file : files) {
    if (auto p = confine(file.path)) {
      file.path = std::move(*p);
      kept.push_back(std::move(file));
    } else {
      leg.coverage_outside.push_back(file.path);
    }
  }
  files = std::move(kept);
}

class MergeCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    m_flags.add_to(app, {.min_line = "Merged coverage: fail below this total line coverage (default: the legs' own threshold)",
                         .min_branch = "Merged coverage: fail below this total branch coverage",
                         .min_file = "Merged coverage: fail when any file's line coverage is below this",
                         .min_patch = "Merged coverage: fail below this coverage of the executable changed lines",
                         .max_drop = "Merged coverage: fail when line coverage drops more than this below --baseline",
                         .baseline = "A coverage or merge --json result from the base branch (default: the one the legs used); a "
                                     "merge result also tells newly failing tests from those already failing",
                         .annotate = "all (default): annotate every distinct finding once; none"});
    app.add_option("--expected-legs", m_expected_legs,
                   "The legs that must have a result: a count, or a JSON array of the legs' toJSON(matrix); "
                   "a leg without a result is a failed leg");
    app.add_option("--legs-job", m_legs_jobs,
                   "Name of the matrix job whose legs must each have a result (repeatable; default: the jobs the "
                   "results name); read from this run's jobs through the API");
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty())
      throw util::InputError("merge: give the legs' --json results with --report (for example 'results/**/*.json')");
    auto result = std::make_shared<MergeResult>();
    const report::RepoPaths repo_paths(ctx.repo_root, runner::git_ls_files(ctx.repo_root));
    const std::vector<std::string> paths = util::expand_report_patterns(ctx.common.reports, ctx.repo_root);
    // Each leg is read in turn, and what the legs keep (a coverage leg's hits per line) grows: on
    // one huge-page heap that is kept between legs, not handed back to the kernel after each leg
    // and faulted in again 4 KiB at a time (four 97 MB coverage legs: 9.9 → 3.0 s of CPU;
    // docs/performance.md). Small legs reserve nothing.
    util::reserve_huge_heap(std::min(k_leg_heap_per_byte * util::total_file_bytes(paths), util::k_max_huge_heap));
    for (const auto& path : paths) {
      std::optional<model::LegResult> leg = report::read_leg_result_file(path);
      if (!leg) {
        // Not read in chunks (a pipe, or an error to word): read whole.
        auto bytes = util::read_file(path);
        if (!bytes) throw util::InputError(bytes.error());
        auto whole = report::parse_leg_result(*bytes);
        if (!whole) throw util::InputError(util::describe(path, whole.error()));
        leg = std::move(*whole);
      }
      leg->source = path;
      note_scan_leg(*leg, *result);
      confine_leg_paths(*leg, repo_paths, ctx.repo_root);
      result->legs.push_back(std::move(*leg));
    }
    result->leg_notes = account_for_legs(ctx, result->legs);

    result->coverage = gate::merge_leg_coverage(result->legs);
    const bool coverage_merged = result->coverage.has_value();
    result->findings = gate::share_findings(result->legs, coverage_merged);
    result->tests = gate::sum_tests(result->legs);
    result->scan = gate::fold_scan_findings(result->legs);

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
    if (result->scan_legs) outcome.title += " · " + gate::scan_fold_title(result->scan, result->scan_baseline);

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
      // Each folded scan finding once, with who reported it; judged as the legs judged.
      for (const auto& s : result->scan) {
        if (s.finding.path.empty() || !gate::judged(s.finding, result->scan_new_only)) continue;
        model::Finding f;
        f.path = s.finding.path;
        f.start_line = s.finding.start_line;
        f.end_line = std::max(s.finding.start_line, s.finding.end_line);
        const int rank = model::severity_rank(s.finding.severity);
        f.level = rank >= 3 ? model::Level::failure : rank == 2 ? model::Level::warning : model::Level::notice;
        f.title = fmt::format("{} {}{}: {}", s.finding.tool, model::to_string(s.finding.severity),
                              s.finding.state == model::ScanState::new_finding ? " (new)" : "", s.finding.rule_id);
        f.message = publish::folded_scan_message(s);
        f.on_changed_line = s.finding.on_changed_line;
        outcome.findings.push_back(std::move(f));
      }
    }

    publish::MergeSummaryInput summary;
    summary.legs = &result->legs;
    summary.findings = &result->findings;
    summary.tests = result->tests;
    summary.gates = &gates;
    summary.coverage = std::move(coverage_markdown);
    summary.leg_notes = &result->leg_notes;
    summary.coverage_merged = coverage_merged;
    const std::optional<report::TestsBaseline> tests_baseline = read_tests_baseline();
    summary.tests_baseline = result->tests && tests_baseline ? &*tests_baseline : nullptr;
    std::error_code missing;
    if (m_flags.baseline_given() && !std::filesystem::exists(m_flags.baseline_path(), missing))
      summary.missing_baseline = m_flags.baseline_path();
    summary.options = summary_options(ctx);
    outcome.summary = publish::merge_summary(summary);
    if (result->scan_legs) outcome.summary += publish::merge_scan_summary(result->scan, result->scan_baseline, result->scan_new_only);
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
                             {{"line-coverage", c->totals.lines ? percent_output(c->totals.line_pct()) : ""},
                              {"branch-coverage", c->totals.branches ? percent_output(c->totals.branch_pct()) : ""},
                              {"patch-coverage", result->patch ? percent_output(result->patch->pct()) : ""}});
    }
    if (result->scan_legs) {
      const gate::ScanTotals totals = gate::scan_fold_totals(result->scan);
      outcome.outputs.insert(outcome.outputs.end(),
                             {{"critical", std::to_string(totals.at_rank(4))}, {"high", std::to_string(totals.at_rank(3))},
                              {"medium", std::to_string(totals.at_rank(2))}, {"low", std::to_string(totals.at_rank(1))},
                              {"new", std::to_string(totals.total_new())}, {"fixed", std::to_string(totals.total_fixed())}});
    }
    outcome.write_json_extra = [result](util::JsonWriter& w) {
      publish::MergeJsonInput in;
      in.legs = &result->legs;
      in.findings = &result->findings;
      in.tests = result->tests;
      in.coverage = result->coverage ? &*result->coverage : nullptr;
      in.patch = result->patch ? &*result->patch : nullptr;
      publish::write_merge_json(w, in);
      if (result->scan_legs) publish::write_merge_scan_json(w, result->scan, result->scan_baseline, result->scan_new_only);
      // The failing tests by name, for a later merge's --baseline (as tests --json writes them).
      std::vector<std::string> names;
      for (const auto& leg : result->legs)
        if (leg.command == "tests")
          for (const auto& f : leg.findings)
            if (f.level == model::Level::failure) names.push_back(f.title);
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      w.Key("failed_tests");
      w.StartArray();
      for (const auto& name : names) util::write_string(w, name);
      w.EndArray();
    };
    return outcome;
  }

private:
  // --baseline as a base-branch merge result with test totals: which failures are new. A coverage
  // result (no test totals) or a missing file gives none; the coverage gates read it themselves.
  std::optional<report::TestsBaseline> read_tests_baseline() const {
    if (m_flags.baseline_path().empty()) return std::nullopt;
    auto bytes = util::read_file(m_flags.baseline_path());
    if (!bytes) return std::nullopt;
    auto parsed = report::parse_tests_baseline(*bytes);
    return parsed ? std::optional(std::move(*parsed)) : std::nullopt;
  }

  // Every leg of the matrix has a result or is a failed leg, named, with its job's conclusion and
  // page: from --expected-legs, and from this run's jobs through the API. Returns notes on what
  // could not be checked.
  std::vector<std::string> account_for_legs(const Context& ctx, std::vector<model::LegResult>& legs) const {
    std::vector<std::string> notes;
    if (!m_expected_legs.empty()) {
      auto expected = runner::parse_expected_legs(m_expected_legs);
      if (!expected) throw util::InputError(util::describe("--expected-legs", expected.error()));
      if (expected->labels.empty()) {
        gate::add_missing_by_count(legs, expected->count);
      } else {
        std::vector<gate::ExpectedLeg> wanted;
        for (const auto& label : expected->labels) wanted.push_back({label, "", label, "", ""});
        gate::add_missing_legs(legs, wanted);
      }
    }
    // The run the legs ran in: the one their results record (a workflow_run publisher merges the
    // results of another run), else this one.
    std::string run_id = ctx.actions.run_id;
    for (const auto& leg : legs)
      if (leg.has_writer && !leg.run_id.empty()) {
        run_id = leg.run_id;
        break;
      }
    std::vector<std::string> keys = m_legs_jobs;
    for (const auto& leg : legs)
      if (leg.has_writer && !leg.job.empty() && leg.run_id == run_id &&
          std::find(keys.begin(), keys.end(), leg.job) == keys.end())
        keys.push_back(leg.job);
    const bool can_ask = ctx.client && ctx.actions.has_repository() && !run_id.empty();
    if (!m_legs_jobs.empty() && !can_ask)
      throw util::InputError("merge --legs-job reads the run's jobs through the API: it needs a token and GITHUB_RUN_ID");
    if (!can_ask || keys.empty()) {
      if (m_expected_legs.empty())
        notes.push_back("The legs were not checked against the workflow run's jobs (no token, or the results do not "
                        "name their run): a leg that wrote no result is not counted. Set `expected-legs`.");
      return notes;
    }
    std::vector<rapidjson::Document> listed;
    try {
      // filter=latest: each job's most recent execution, so re-run jobs count once.
      listed = ctx.client->get_all(fmt::format("/repos/{}/{}/actions/runs/{}/jobs?filter=latest&per_page=100",
                                               ctx.actions.owner, ctx.actions.repo, run_id),
                                   "jobs", k_job_pages);
    } catch (const github::ApiError& e) {
      if (!m_legs_jobs.empty()) throw;
      notes.push_back(fmt::format("The workflow run's jobs could not be read (HTTP {}): a leg that wrote no result is "
                                  "not counted. Grant `actions: read`, or set `expected-legs`.",
                                  e.status()));
      return notes;
    }
    std::vector<gate::RunJob> jobs;
    for (const auto& job : listed)
      jobs.push_back({std::string(util::string_or(job, "name")), std::string(util::string_or(job, "status")),
                      std::string(util::string_or(job, "conclusion")), std::string(util::string_or(job, "html_url"))});
    const auto expected = gate::legs_from_jobs(jobs, keys);
    for (const auto& key : keys)
      if (std::none_of(expected.begin(), expected.end(), [&](const auto& e) { return e.job == key; }))
        notes.push_back(fmt::format("No job of this run is named {} or {} (a job with its own `name:`?): "
                                    "its legs were not checked. Set `legs-job` to the job's name.",
                                    util::code_span(key), util::code_span(key + " (…)")));
    for (auto& note : gate::add_missing_from_jobs(legs, expected)) notes.push_back(std::move(note));
    return notes;
  }

  // The coverage gates on the merged numbers: options given here, else the thresholds the legs used.
  void decide_coverage(const Context& ctx, MergeResult& result, std::vector<model::Gate>& gates,
                       std::vector<model::Finding>& findings, std::string& title, std::string& markdown) const {
    gate::CoverageGateOptions options = gate::inherit_coverage_gates(result.legs, m_flags.given());

    auto& coverage = *result.coverage;
    std::string baseline_note;
    std::optional<report::CoverageBaseline> baseline;
    if (m_flags.baseline_given()) {
      baseline = m_flags.baseline(baseline_note);
      coverage.baseline_line_pct = baseline ? baseline->line_pct : std::nullopt;
    }
    options.baseline_line_pct = coverage.baseline_line_pct;

    // Changed lines come from this job's checkout: the legs' patch numbers cannot be merged.
    const bool explicit_base = m_flags.base_given();
    const std::string base = m_flags.base_revision(ctx);
    if (!base.empty()) {
      const report::RepoPaths paths(ctx.repo_root, runner::git_ls_files(ctx.repo_root));
      // A workflow_run publisher needs no checkout: its changed lines come from the API.
      if (paths.has_file_list() || ctx.actions.event.event_name == "workflow_run") {
        runner::FoundChanges found = changed_lines_for(ctx, base);
        if (found.lines)
          result.patch = gate::compute_patch(coverage.files, *found.lines);
        else
          options.patch_not_measured = found.not_measured;
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
    title = gate::coverage_title(coverage.totals, coverage.baseline_line_pct, patch, !options.patch_not_measured.empty(),
                                 &decision.gates);

    publish::CoverageSummaryInput summary;
    summary.totals = coverage.totals;
    summary.baseline_line_pct = coverage.baseline_line_pct;
    summary.patch = patch;
    summary.files = &coverage.files;
    summary.outside = &coverage.outside;
    summary.files_below = &decision.files_below;
    summary.base = base;
    summary.patch_not_measured = options.patch_not_measured;
    summary.fail_unmeasured_patch = options.fail_unmeasured_patch;
    summary.baseline = baseline ? &*baseline : nullptr;
    summary.options = summary_options(ctx);
    markdown = publish::coverage_summary(summary);
    gates.insert(gates.end(), decision.gates.begin(), decision.gates.end());
  }

  CoverageGateFlags m_flags;
  std::string m_expected_legs;
  std::vector<std::string> m_legs_jobs;
};

} // namespace

std::unique_ptr<Command> make_merge_command() { return std::make_unique<MergeCommand>(); }

} // namespace tollgate::command
