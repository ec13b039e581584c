#include "publish/scan_summary.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <map>

#include "publish/tests_summary.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

using model::ScanFinding;
using model::ScanSeverity;

// Rows listed per section; the rest are counted ("…and N more"). Keeps the summary well inside
// the Checks API's 65,535 characters (publish/limits.h) at ~400 characters a row.
constexpr size_t k_findings_listed = 60;
constexpr size_t k_others_listed = 20;
constexpr size_t k_message_chars = 200;

constexpr ScanSeverity k_descending[] = {ScanSeverity::critical, ScanSeverity::high,    ScanSeverity::error,
                                         ScanSeverity::medium,   ScanSeverity::warning, ScanSeverity::low,
                                         ScanSeverity::note,     ScanSeverity::none};

const char* icon(ScanSeverity s) {
  switch (model::severity_rank(s)) {
  case 4: return "🟣";
  case 3: return "🔴";
  case 2: return "🟠";
  case 1: return "🟡";
  default: return "⚪";
  }
}

std::string cell(std::string_view text, size_t max_chars = k_message_chars) {
  const std::string_view first_line = text.substr(0, text.find('\n'));
  return util::escape_table_cell(util::truncate_chars(first_line, max_chars));
}

std::string location(const ScanFinding& f) {
  if (!f.path.empty()) return f.start_line > 0 ? fmt::format("{}:{}", f.path, f.start_line) : f.path.str();
  return f.uri.empty() ? "—" : f.uri.str() + " (not in the repository)";
}

// A finding at the head commit: its path linked to its line there (blob/<sha>/<path>#L<n>), as
// the tests summary links a failure. A path a table cell could not hold as a code span (a "|" or
// a line break in it) stays escaped text; so does everything without a repository path.
std::string location_cell(const ScanFinding& f, const ReviewLinks* links) {
  if (links != nullptr && !f.path.empty() && f.path.view().find_first_of("|\r\n") == std::string_view::npos)
    return line_link(*links, f.path, f.start_line);
  return cell(location(f), 160);
}

std::string rule_cell(const ScanFinding& f) {
  std::string md = cell(f.rule_id.empty() ? "(no rule)" : f.rule_id, 120);
  // Shown as text: a help URI from a report is never a link (escape_markdown breaks "://").
  if (!f.help_uri.empty()) md += "<br>" + cell(f.help_uri, 160);
  return md;
}

// links: null for findings whose lines are the base's (fixed ones), which a link to the head
// commit would misplace.
std::string finding_rows(const std::vector<const ScanFinding*>& list, bool with_state, const ReviewLinks* links) {
  std::string md = with_state ? "| Severity | State | Tool | Rule | Location | Message |\n|---|---|---|---|---|---|\n"
                              : "| Severity | Tool | Rule | Location | Message |\n|---|---|---|---|---|\n";
  const size_t limit = with_state ? k_findings_listed : k_others_listed;
  for (size_t i = 0; i < list.size() && i < limit; ++i) {
    const ScanFinding& f = *list[i];
    const std::string severity = fmt::format("{} {}", icon(f.severity), model::to_string(f.severity));
    const std::string state = with_state ? fmt::format(" {} |", model::to_string(f.state)) : "";
    md += fmt::format("| {} |{} {} | {} | {} | {} |\n", severity, state, cell(f.tool, 60), rule_cell(f),
                      location_cell(f, links), cell(f.message));
  }
  if (list.size() > limit) md += fmt::format("\n…and {} more (all of them in the --json result)\n", list.size() - limit);
  return md;
}

std::string counts_table(const ScanSummaryInput& in) {
  // (severity, tool) → new, unchanged, fixed.
  std::map<std::pair<int, std::string>, std::array<size_t, 3>> rows;
  const auto add = [&](const ScanFinding& f, size_t column) {
    const int order = static_cast<int>(std::find(std::begin(k_descending), std::end(k_descending), f.severity) - std::begin(k_descending));
    ++rows[{order, f.tool.str()}][column];
  };
  for (const auto& f : *in.findings)
    if (f.counts()) add(f, f.state == model::ScanState::unchanged ? 1 : 0);
  for (const auto& f : *in.fixed) add(f, 2);
  if (rows.empty()) return {};
  std::string md = in.has_baseline ? "| Severity | Tool | New | Unchanged | Fixed |\n|---|---|---:|---:|---:|\n"
                                   : "| Severity | Tool | Findings |\n|---|---|---:|\n";
  for (const auto& [key, n] : rows) {
    const ScanSeverity s = k_descending[key.first];
    const std::string head = fmt::format("| {} {} | {} |", icon(s), model::to_string(s), cell(key.second.empty() ? "(unnamed tool)" : key.second, 60));
    md += in.has_baseline ? fmt::format("{} {} | {} | {} |\n", head, n[0], n[1], n[2]) : fmt::format("{} {} |\n", head, n[0]);
  }
  return md;
}

} // namespace

std::string scan_summary(const ScanSummaryInput& in) {
  std::string md;
  if (in.pull_request_without_baseline)
    md += "> **No baseline**: without `--baseline` (the base branch's SARIF or `tollgate scan --json`) nothing tells "
          "which findings this pull request introduced, so every finding is judged.\n\n";
  for (const auto& r : *in.runs)
    if (r.run.incomplete)
      md += fmt::format("> **{}** in {}: the tool did not finish (results absent or null, or executionSuccessful "
                        "false); a clean result from it proves nothing.\n\n",
                        util::escape_markdown(r.run.tool.empty() ? "A run" : r.run.tool), util::escape_markdown(r.source));
  md += counts_table(in);
  if (md.empty() || md.back() != '\n') md += "\n";
  md += "\n" + gates_table(*in.gates);

  std::vector<const ScanFinding*> judged, not_judged, suppressed, without_line;
  for (const auto& f : *in.findings) {
    if (f.suppression != model::Suppression::none) suppressed.push_back(&f);
    else if (gate::judged(f, in.new_only)) judged.push_back(&f);
  }
  gate::order_for_showing(judged);
  if (!judged.empty()) {
    md += fmt::format("\n#### {} ({})\n\n", in.new_only ? "New findings" : "Findings", judged.size());
    md += finding_rows(judged, in.has_baseline && !in.new_only, &in.links);
  }
  if (!in.fixed->empty()) {
    std::vector<const ScanFinding*> fixed;
    for (const auto& f : *in.fixed) fixed.push_back(&f);
    md += fmt::format("\n#### Fixed ({})\n\n", fixed.size()) + finding_rows(fixed, false, nullptr);
  }
  if (!suppressed.empty()) {
    md += fmt::format("\n#### Suppressed ({})\n\n| Tool | Rule | Location | By | Reason |\n|---|---|---|---|---|\n", suppressed.size());
    for (size_t i = 0; i < suppressed.size() && i < k_others_listed; ++i) {
      const auto& f = *suppressed[i];
      md += fmt::format("| {} | {} | {} | {} | {} |\n", cell(f.tool, 60), cell(f.rule_id, 120), location_cell(f, &in.links),
                        f.suppression == model::Suppression::sarif ? "the tool (SARIF suppressions)" : "allowlist",
                        cell(f.suppression_reason));
    }
    if (suppressed.size() > k_others_listed) md += fmt::format("\n…and {} more\n", suppressed.size() - k_others_listed);
  }
  std::string expired;
  for (const auto& use : *in.allowlist)
    if (use.expired)
      expired += fmt::format("- {}{} expired on {} ({}): no longer suppresses{}\n", util::code_span(use.entry->rule),
                             use.entry->path.empty() ? "" : " in " + util::code_span(use.entry->path), use.entry->expires,
                             util::escape_markdown(use.entry->where),
                             use.would_suppress ? fmt::format(" {} finding(s)", use.would_suppress) : " (it matches nothing now)");
  if (!expired.empty()) md += "\n#### Expired allowlist entries\n\n" + expired;

  md += "\n#### Scanner runs\n\n| Tool | Version | Results | File |\n|---|---|---:|---|\n";
  for (size_t i = 0; i < in.runs->size() && i < k_findings_listed; ++i) {
    const auto& r = (*in.runs)[i];
    md += fmt::format("| {} | {} | {}{} | {} |\n", cell(r.run.tool.empty() ? "(unnamed)" : r.run.tool, 60), cell(r.run.version, 40),
                      r.run.results, r.run.incomplete ? " (incomplete)" : "", cell(r.source, 160));
  }
  if (!in.matching.empty()) md += "\nMatched with the baseline: " + util::escape_markdown(in.matching) + ".\n";
  if (!in.notes->empty()) {
    md += "\n<details><summary>Read with a fallback or skipped</summary>\n\n";
    for (const auto& [what, count] : *in.notes) md += fmt::format("- {} × {}\n", count, util::escape_markdown(what));
    md += "\n</details>\n";
  }
  return md;
}

} // namespace tollgate::publish
