#include "command/scan_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <memory>

#include "command/changed_lines.h"
#include "command/scan_inputs.h"
#include "gate/scan_gate.h"
#include "gate/scan_match.h"
#include "publish/scan_json.h"
#include "publish/scan_summary.h"
#include "report/scan_json.h"
#include "runner/git.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/huge_heap.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

// Heap reserved per byte of a --baseline: a tollgate --json baseline's document and findings peak
// at about three times its bytes (590 MB for the 211 MB result of the bench log). Our measurement.
constexpr size_t k_heap_bytes_per_baseline_byte = 3;

// Checks API annotation level by severity: critical, high, error fail; medium and warning warn.
model::Level annotation_level(model::ScanSeverity s) {
  const int rank = model::severity_rank(s);
  return rank >= 3 ? model::Level::failure : rank == 2 ? model::Level::warning : model::Level::notice;
}

// The annotation of a finding, written into `a` (its buffers reused from the last one made).
void annotation_of(const model::ScanFinding& f, model::Finding& a) {
  a.path = f.path;
  a.start_line = a.end_line = f.start_line;
  if (f.end_line > f.start_line) a.end_line = f.end_line;
  a.level = annotation_level(f.severity);
  a.on_changed_line = f.on_changed_line;
  // "tool severity (new): rule-id Rule Name", appended into one buffer sized once: no format
  // string parsed and no buffer regrown for each of a hundred thousand findings.
  const std::string_view tool = f.tool.empty() ? std::string_view("scanner") : std::string_view(f.tool);
  const std::string_view severity = model::to_string(f.severity);
  constexpr std::string_view k_new = " (new)";
  const bool is_new = f.state == model::ScanState::new_finding;
  const bool name = !f.rule_name.empty() && f.rule_name != f.rule_id;
  a.title.clear();
  a.title.reserve(tool.size() + 1 + severity.size() + (is_new ? k_new.size() : 0) + 2 + f.rule_id.size() +
                  (name ? 1 + f.rule_name.size() : 0));
  a.title.append(tool).append(" ").append(severity);
  if (is_new) a.title.append(k_new);
  a.title.append(": ").append(f.rule_id);
  if (name) a.title.append(" ").append(f.rule_name);
  // Annotation messages are plain text: the message as the tool wrote it (its markdown never).
  // Sized once: appending to a copy would double its capacity, for every one of 100,000 findings.
  constexpr std::string_view k_help = "\n\nHelp: ", k_location = "\n\nLocation: ";
  const bool help = !f.help_uri.empty(), location = f.path.empty() && !f.uri.empty();
  a.message.reserve(f.message.size() + (help ? k_help.size() + f.help_uri.size() : 0) +
                    (location ? k_location.size() + f.uri.size() : 0));
  a.message = f.message;
  if (help) a.message.append(k_help).append(f.help_uri);
  if (location) a.message.append(k_location).append(f.uri);
  a.raw_details.clear();
}

// What the outcome's lambdas share: the findings, and those shown as annotations in order.
struct ScanShown {
  std::vector<model::ScanFinding> findings;
  std::vector<const model::ScanFinding*> shown; // into findings
};

class ScanCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--fail-on", m_fail_on,
                   "The least severity that fails: critical, high (default; also error-level findings), medium, low, "
                   "error, warning, note, or never")
        ->check(CLI::IsMember({"critical", "high", "medium", "low", "error", "warning", "note", "never"}));
    app.add_option("--max-findings", m_max_findings, "Fail when more findings than this are judged (any severity)");
    auto* new_only = app.add_flag("--new-only", m_new_only, "Only findings new against --baseline fail (default on pull requests with a baseline)");
    auto* all = app.add_flag("--all", m_all, "Every finding is judged, new or not (default outside pull requests)");
    new_only->excludes(all);
    app.add_option("--baseline", m_baseline, "The base branch's scan: its SARIF, or its tollgate scan --json result");
    app.add_option("--base", m_base, "Base revision: changed lines, and the sources a SARIF baseline's lines are read from");
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty()) throw util::InputError("scan: give at least one --report (SARIF files; globs allowed)");
    if (m_new_only && m_baseline.empty())
      throw util::InputError("scan: --new-only needs --baseline (the base branch's SARIF or tollgate scan --json)");

    ScanInput input = read_sarif_reports(ctx.common.reports, ctx.repo_root);
    if (const size_t repeated = gate::drop_duplicates(input.findings))
      input.notes["results repeating another exactly (tool, rule, location, message): counted once"] += repeated;
    const report::RepoPaths paths(ctx.repo_root, runner::git_ls_files(ctx.repo_root));
    resolve_scan_paths(input.findings, paths, input.notes);
    hash_contexts(input.findings, workspace_sources(ctx.repo_root));
    const std::string base = !m_base.empty() ? m_base : ctx.actions.event.base_sha;

    // The allowlist before matching: an allowed finding is unchanged or new all the same.
    const auto entries = scan_allowlist(ctx.config, ctx.config_path);
    const auto uses = gate::apply_allowlist(input.findings, entries, today_utc());

    std::vector<model::ScanFinding> fixed;
    std::string matching;
    if (!m_baseline.empty()) {
      auto bytes = util::read_file(m_baseline);
      if (!bytes) throw util::InputError(bytes.error());
      // The base's findings (and a --json baseline's document) on huge pages, as the head's are.
      util::reserve_huge_heap(std::min(k_heap_bytes_per_baseline_byte * bytes->size(), util::k_max_huge_heap));
      auto baseline = report::parse_scan_baseline(*bytes);
      if (!baseline) throw util::InputError(util::describe(m_baseline, baseline.error()));
      if (baseline->from_sarif) {
        resolve_scan_paths(baseline->findings, paths, baseline->notes);
        // The base's lines are in the base's files; without the base revision, in the workspace's
        // (right for files the change did not touch; elsewhere a finding may show as new, never hidden).
        const bool have_base = !base.empty() && paths.has_file_list();
        hash_contexts(baseline->findings, have_base ? revision_sources(ctx.repo_root, base) : workspace_sources(ctx.repo_root));
      }
      const gate::ScanComparison cmp = gate::compare_scans(input.findings, baseline->findings);
      fixed = cmp.fixed;
      matching = fmt::format("{} by fingerprint, {} by source context, {} by message", cmp.by_fingerprint,
                             cmp.by_context, cmp.by_message);
    }
    const bool has_baseline = !m_baseline.empty();
    const bool pull_request = ctx.actions.event.pull_request != 0;
    const bool new_only = has_baseline && (m_new_only || (!m_all && pull_request));

    report::ChangedLines changed;
    if (!base.empty() && paths.has_file_list()) {
      runner::FoundChanges found = changed_lines_for(ctx, base);
      if (found.lines) changed = std::move(*found.lines);
    }
    for (auto& f : input.findings)
      f.on_changed_line = f.has_location() && report::is_changed(changed, f.path, f.start_line);

    gate::ScanGateOptions options;
    options.fail_never = m_fail_on == "never";
    if (!options.fail_never) options.fail_on = *model::scan_severity_from(m_fail_on);
    options.max_findings = m_max_findings;
    options.new_only = new_only;
    for (const auto& r : input.runs) options.incomplete_runs += r.run.incomplete ? 1 : 0;

    model::Outcome outcome;
    outcome.command = "scan";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Security", ctx.leg) : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/scan", ctx.leg);
    outcome.gates = gate::decide_scan(input.findings, options);
    outcome.passed = std::all_of(outcome.gates.begin(), outcome.gates.end(), [](const auto& g) { return g.passed; });
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    const gate::ScanTotals totals = gate::count_scan(input.findings, fixed);
    outcome.title = gate::scan_title(totals, has_baseline, outcome.gates);

    // Annotations: judged findings with a line, on changed lines first, then by severity. Made
    // when read: a scan can have hundreds of thousands, and most are only counted or written out.
    auto state = std::make_shared<ScanShown>();
    state->findings = std::move(input.findings);
    for (const auto& f : state->findings)
      if (gate::judged(f, new_only) && !f.path.empty()) {
        state->shown.push_back(&f);
        outcome.made_with_location += f.has_location();
      }
    gate::order_for_showing(state->shown);
    outcome.made_findings = state->shown.size();
    outcome.make_finding = [state](size_t i, model::Finding& into) { annotation_of(*state->shown[i], into); };
    const std::vector<model::ScanFinding>& findings = state->findings;

    std::vector<std::pair<std::string, size_t>> notes(input.notes.begin(), input.notes.end());
    publish::ScanSummaryInput summary;
    summary.findings = &findings;
    summary.fixed = &fixed;
    summary.totals = &totals;
    summary.gates = &outcome.gates;
    summary.runs = &input.runs;
    summary.notes = &notes;
    summary.allowlist = &uses;
    summary.has_baseline = has_baseline;
    summary.new_only = new_only;
    summary.pull_request_without_baseline = pull_request && !has_baseline;
    summary.matching = matching;
    summary.links = publish::review_links(ctx.actions);
    outcome.summary = publish::scan_summary(summary);

    outcome.outputs = {{"critical", std::to_string(totals.at_rank(4))}, {"high", std::to_string(totals.at_rank(3))},
                       {"medium", std::to_string(totals.at_rank(2))},   {"low", std::to_string(totals.at_rank(1))},
                       {"new", std::to_string(totals.total_new())},     {"fixed", std::to_string(totals.total_fixed())}};
    outcome.write_json_extra = [state, fixed = std::move(fixed), totals,
                                runs = std::move(input.runs), notes = std::move(notes), entries, uses,
                                fail_on = m_fail_on, new_only, baseline = m_baseline](util::JsonWriter& w) {
      // uses point into entries: re-aim them at this copy.
      std::vector<gate::ScanAllowUse> own = uses;
      for (size_t i = 0; i < own.size(); ++i) own[i].entry = &entries[i];
      publish::ScanJsonInput in;
      in.findings = &state->findings;
      in.fixed = &fixed;
      in.totals = &totals;
      in.runs = &runs;
      in.notes = &notes;
      in.allowlist = &own;
      in.fail_on = fail_on;
      in.new_only = new_only;
      in.baseline = baseline;
      publish::write_scan_json(w, in);
    };
    return outcome;
  }

private:
  std::string m_fail_on = "high";
  std::optional<size_t> m_max_findings;
  bool m_new_only = false;
  bool m_all = false;
  std::string m_baseline;
  std::string m_base;
};

} // namespace

std::unique_ptr<Command> make_scan_command() { return std::make_unique<ScanCommand>(); }

} // namespace tollgate::command
