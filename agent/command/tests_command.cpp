#include "command/tests_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <unordered_map>

#include "command/changed_lines.h"
#include "gate/tests_gate.h"
#include "publish/coverage_json.h"
#include "publish/tests_summary.h"
#include "report/test_location.h"
#include "report/tests_baseline.h"
#include "report/test_report.h"
#include "report/test_report_fold.h"
#include "report/xml_stream_file.h"
#include "runner/git.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/huge_heap.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

namespace fs = std::filesystem;

// Outside a git checkout a failure's location is proven by the file itself: a regular file under
// the workspace, reached (symlinks resolved) without leaving it. Answers are cached: every frame
// of every failure asks.
report::RepoPaths::FileCheck workspace_file_check(const std::string& root) {
  std::error_code ec;
  auto base = std::make_shared<const fs::path>(fs::weakly_canonical(fs::absolute(root, ec), ec));
  auto known = std::make_shared<std::unordered_map<std::string, bool>>();
  return [base, known](const std::string& relative) {
    if (const auto it = known->find(relative); it != known->end()) return it->second;
    bool found = false;
    std::error_code error;
    if (!relative.empty() && relative[0] != '/') {
      const fs::path file = fs::canonical(*base / relative, error);
      const fs::path inside = error ? fs::path() : file.lexically_relative(*base);
      found = !error && !inside.empty() && *inside.begin() != ".." &&
              fs::is_regular_file(file, error) && !error;
    }
    known->emplace(relative, found);
    return found;
  };
}

// The reports the patterns name, parsed. A file that a glob matched and that is plainly not a
// test report (a pom.xml, a stylesheet, JSON) is skipped and listed in skipped; a file named
// explicitly must be a report, and any file that may be a broken report is an error.
std::vector<model::TestRun> read_reports(const std::vector<std::string>& patterns, const std::string& format,
                                         std::vector<publish::SkippedFile>& skipped, const std::string& workspace,
                                         bool fold_passed) {
  std::vector<std::string> named;
  for (const auto& p : patterns)
    if (!util::is_glob_pattern(p)) named.push_back(p);
  std::vector<model::TestRun> runs;
  const std::vector<std::string> paths = util::expand_report_patterns(patterns, workspace);
  // What a report keeps (failures' messages, traces and output, the cases) is filled in at once
  // and kept to the end: on huge pages, not faulted in 4 KiB at a time (2k failures with traces:
  // 18,000 page faults, half the CPU time). Small reports reserve nothing (util::k_min_huge_heap).
  util::reserve_huge_heap(std::min(2 * util::total_file_bytes(paths), util::k_max_model_heap));
  for (const auto& path : paths) {
    std::optional<std::string> what;
    auto run = report::read_test_report_file(path, format, &what, fold_passed);
    if (!run) {
      const bool globbed = std::find(named.begin(), named.end(), path) == named.end();
      if (globbed && what) {
        skipped.push_back({path, std::move(*what)});
        continue;
      }
      throw util::InputError(run.error());
    }
    run->source = path;
    runs.push_back(std::move(*run));
  }
  return runs;
}

// A failure as its annotation shows it: where it was located, and whether the pull request changed
// that line.
struct ShownFailure {
  const model::TestCase* test;
  std::string path; // "" when not located (or, with --annotate changed, not on a changed line)
  int line = 0;
  bool on_changed_line = false;
};

// What the outcome's findings are made from: the runs read, and their failures in posting order.
struct TestsShown {
  std::vector<model::TestRun> runs;
  std::vector<ShownFailure> failures; // into runs
};

void annotation_of(const ShownFailure& f, model::Finding& into) {
  const model::TestCase& test = *f.test;
  into.path = f.path;
  into.start_line = into.end_line = f.line;
  into.level = model::Level::failure;
  into.title = publish::test_title(test);
  if (test.message.empty()) into.message = test.status == model::TestStatus::errored ? "errored" : "failed";
  else into.message = test.message;
  into.raw_details = test.details;
  into.on_changed_line = f.on_changed_line;
}

class TestsCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--fail-on", m_fail_on, "failed (default): failed or errored tests fail the gate; errors; never")
        ->check(CLI::IsMember({"failed", "errors", "never"}));
    app.add_option("--min-tests", m_min_tests, "Fail when fewer tests ran (a suite that silently ran nothing)");
    app.add_option("--annotate", m_annotate, "all (default): annotate every failure; changed: only failures on lines the pull request changed")
        ->check(CLI::IsMember({"all", "changed"}));
    app.add_option("--base", m_base, "Base revision for changed lines (default: the pull request's base)");
    app.add_flag(
        "--retries-as-flaky", m_retries_as_flaky,
        "Same-named test cases of one report are retries of one test: failed, then passed is flaky "
        "(default: distinct tests)");
    app.add_flag("--allow-empty", m_allow_empty,
                 "Pass when the reports hold no test at all (default: fail)");
    app.add_option("--baseline", m_baseline,
                   "A tests --json result from the base branch: the summary tells newly failing tests from those "
                   "that already failed there (a missing file is the first run: no comparison)");
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty()) throw util::InputError("tests: give at least one --report");
    std::vector<publish::SkippedFile> skipped;
    // The runs live as long as the outcome: its findings are made from them when read.
    auto shown = std::make_shared<TestsShown>();
    shown->runs = read_reports(ctx.common.reports, ctx.common.format, skipped, ctx.repo_root,
                               /*fold_passed=*/!m_retries_as_flaky);
    std::vector<model::TestRun>& runs = shown->runs;
    if (ctx.log) {
      for (const auto& s : skipped)
        *ctx.log << fmt::format("tollgate: {}: not a test report ({}), skipped\n",
                                util::sanitize_utf8(s.path), s.what);
    }
    if (m_retries_as_flaky) {
      for (auto& run : runs)
        report::merge_retries(run);
    }

    // The repository's files (`git ls-files`) only once something needs them: a failure's
    // location, or changed lines. A run where every test passed starts no git (start-up:
    // docs/performance.md).
    std::optional<report::RepoPaths> repo_paths;
    const auto paths = [&]() -> const report::RepoPaths& {
      if (!repo_paths) {
        auto tracked = runner::git_ls_files(ctx.repo_root);
        auto exists = tracked ? report::RepoPaths::FileCheck() : workspace_file_check(ctx.repo_root);
        repo_paths.emplace(ctx.repo_root, std::move(tracked), std::move(exists));
      }
      return *repo_paths;
    };
    const std::string base = !m_base.empty() ? m_base : ctx.actions.event.base_sha;
    report::ChangedLines changed;
    std::string changed_not_measured;
    if (!base.empty() && paths().has_file_list()) {
      runner::FoundChanges found = changed_lines_for(ctx, base);
      if (found.lines)
        changed = std::move(*found.lines);
      else
        changed_not_measured = found.not_measured;
    } else if (m_annotate == "changed") {
      changed_not_measured = base.empty() ? "no base to compare with (not a pull request, and no --base)"
                                          : "not a git checkout";
    }
    // --annotate changed without changed lines cannot tell which failures are on them: every
    // failure keeps its location rather than none (and the summary says so).
    const bool annotate_changed_only = m_annotate == "changed" && changed_not_measured.empty();

    const gate::TestTotals totals = gate::count_tests(runs);
    gate::TestGateOptions gate_options;
    gate_options.fail_on = m_fail_on == "errors" ? gate::FailOn::errors : m_fail_on == "never" ? gate::FailOn::never : gate::FailOn::failed;
    gate_options.min_tests = m_min_tests;
    gate_options.allow_empty = m_allow_empty;

    model::Outcome outcome;
    outcome.command = "tests";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Tests", ctx.leg) : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/tests", ctx.leg);
    outcome.gates = gate::decide_tests(totals, gate_options);
    outcome.passed = std::all_of(outcome.gates.begin(), outcome.gates.end(), [](const auto& g) { return g.passed; });
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = gate::tests_title(totals, outcome.gates);

    const std::optional<report::TestsBaseline> baseline = read_baseline();
    std::vector<publish::FailureView> failures;
    std::vector<const model::TestCase*> flaky, slowest;
    std::vector<ShownFailure> on_changed, elsewhere;
    for (const auto& run : runs) {
      const auto candidates = report::slowest_candidates(run);
      slowest.insert(slowest.end(), candidates.begin(), candidates.end());
      for (const auto& test : run.cases) {
        if (test.status == model::TestStatus::flaky) flaky.push_back(&test);
        if (test.status != model::TestStatus::failed && test.status != model::TestStatus::errored) continue;
        const auto location = report::locate_test_failure(test, paths());
        ShownFailure f{&test, location.path, location.line, false};
        f.on_changed_line = !f.path.empty() && report::is_changed(changed, f.path, f.line);
        const auto change = !baseline ? publish::FailureChange::unknown
                            : baseline->failing.contains(publish::test_title(test)) ? publish::FailureChange::already_failing
                                                                                    : publish::FailureChange::new_failure;
        failures.push_back({&test, f.path, f.line, change});
        // With --annotate changed, failures elsewhere stay in the summary without a location.
        if (annotate_changed_only && !f.on_changed_line) {
          f.path.clear();
          f.line = 0;
        }
        (f.on_changed_line ? on_changed : elsewhere).push_back(std::move(f));
      }
    }
    // Failures on lines the pull request changed are posted first. Each annotation is made when it
    // is read: held, they copied every failure's trace (20 MB for 2,000 long traces).
    shown->failures = std::move(on_changed);
    shown->failures.insert(shown->failures.end(), std::make_move_iterator(elsewhere.begin()),
                           std::make_move_iterator(elsewhere.end()));
    outcome.made_findings = shown->failures.size();
    for (const auto& f : shown->failures) outcome.made_with_location += !f.path.empty() && f.line > 0;
    outcome.make_finding = [shown](size_t i, model::Finding& into) { annotation_of(shown->failures[i], into); };

    // Newly failing tests first: they are what the pull request broke.
    std::stable_partition(failures.begin(), failures.end(),
                          [](const auto& f) { return f.change != publish::FailureChange::already_failing; });
    const size_t n_slowest = std::min(publish::k_slowest_listed, slowest.size());
    // Equal durations: the earlier in the reports first (stable, whatever was folded).
    std::stable_sort(slowest.begin(), slowest.end(),
                     [](const auto* a, const auto* b) { return a->duration_s > b->duration_s; });
    slowest.resize(n_slowest);
    slowest.erase(std::remove_if(slowest.begin(), slowest.end(), [](const auto* t) { return t->duration_s <= 0; }), slowest.end());
    publish::TestsSummaryInput summary;
    summary.totals = totals;
    summary.gates = &outcome.gates;
    summary.failures = std::move(failures);
    summary.flaky = std::move(flaky);
    summary.slowest = std::move(slowest);
    summary.suites = suite_counts(runs);
    summary.baseline = baseline ? &*baseline : nullptr;
    summary.options = summary_options(ctx);
    outcome.summary = publish::tests_summary(summary);
    std::replace(changed_not_measured.begin(), changed_not_measured.end(), '\n', ' ');
    std::vector<std::string> empty_reports;
    for (const auto& run : runs)
      if (report::case_count(run) == 0) empty_reports.push_back(run.source);
    outcome.summary += publish::empty_reports_note(empty_reports);
    if (m_annotate == "changed" && !changed_not_measured.empty())
      outcome.summary = fmt::format("> **Changed lines: not measured** — {}. `--annotate changed` annotates every "
                                    "failure instead.\n\n",
                                    util::escape_markdown(util::truncate_utf8(changed_not_measured, 600))) +
                        outcome.summary;
    outcome.summary += publish::skipped_files_note(skipped);

    outcome.outputs = {{"tests", std::to_string(totals.tests)},     {"passed-tests", std::to_string(totals.passed)},
                       {"failed", std::to_string(totals.failed)},   {"errors", std::to_string(totals.errors)},
                       {"skipped", std::to_string(totals.skipped)}, {"flaky", std::to_string(totals.flaky)}};
    std::vector<std::string> skipped_paths;
    for (const auto& s : skipped) skipped_paths.push_back(s.path);
    // The failing tests by name, for a later run's --baseline (each once).
    std::vector<std::string> failed_names;
    for (const auto& f : summary.failures) failed_names.push_back(publish::test_title(*f.test));
    std::sort(failed_names.begin(), failed_names.end());
    failed_names.erase(std::unique(failed_names.begin(), failed_names.end()), failed_names.end());
    outcome.write_json_extra = [totals, skipped_paths = std::move(skipped_paths),
                                failed_names = std::move(failed_names)](util::JsonWriter& w) {
      w.Key("totals");
      w.StartObject();
      publish::write_test_totals(w, totals);
      w.EndObject();
      w.Key("failed_tests");
      w.StartArray();
      for (const auto& name : failed_names) util::write_string(w, name);
      w.EndArray();
      // Files a glob matched that are no test report, as coverage lists them.
      w.Key("skipped_reports");
      w.StartArray();
      for (const auto& path : skipped_paths) util::write_string(w, path);
      w.EndArray();
    };
    return outcome;
  }

private:
  // --baseline's result; nullopt without one, or when its file does not exist yet (the first run
  // on the base branch has nothing to compare with). An unreadable or foreign file is an error.
  std::optional<report::TestsBaseline> read_baseline() const {
    if (m_baseline.empty()) return std::nullopt;
    std::error_code ec;
    if (!std::filesystem::exists(m_baseline, ec)) return std::nullopt;
    auto bytes = util::read_file(m_baseline);
    if (!bytes) throw util::InputError(bytes.error());
    auto baseline = report::parse_tests_baseline(*bytes);
    if (!baseline) throw util::InputError(util::describe(m_baseline, baseline.error()));
    return std::move(*baseline);
  }

  static std::vector<publish::SuiteCount> suite_counts(const std::vector<model::TestRun>& runs) {
    std::vector<publish::SuiteCount> suites;
    for (const auto& run : runs)
      for (const auto& tally : report::suite_tallies(run)) {
        const std::string& name = tally.name.empty() ? run.source : tally.name;
        auto it = std::find_if(suites.begin(), suites.end(), [&](const auto& s) { return s.name == name; });
        if (it == suites.end()) it = suites.insert(suites.end(), publish::SuiteCount{name});
        it->tests += tally.tests;
        it->failed += tally.failed;
        it->skipped += tally.skipped;
        it->duration_s = gate::add_duration(it->duration_s, tally.duration_s);
      }
    return suites;
  }

  std::string m_fail_on = "failed";
  size_t m_min_tests = 0;
  std::string m_annotate = "all";
  std::string m_base;
  bool m_retries_as_flaky = false;
  bool m_allow_empty = false;
  std::string m_baseline;
};

} // namespace

std::unique_ptr<Command> make_tests_command() { return std::make_unique<TestsCommand>(); }

} // namespace tollgate::command
