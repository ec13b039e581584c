#include "publish/merge_scan.h"

#include <algorithm>
#include <array>
#include <functional>
#include <fmt/format.h>
#include <map>

#include "publish/scan_json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

// Findings listed in the merged summary, reporters named per finding, characters of a message:
// the merged summary also holds the legs, tests and coverage under the Checks API's 65,535
// characters (publish/limits.h), so this section stays near 25,000 at ~400 characters a row.
constexpr size_t k_findings_listed = 60;
constexpr size_t k_reporters_named = 6;
constexpr size_t k_message_chars = 200;

std::string cell(std::string_view text, size_t max_chars) {
  return util::escape_table_cell(util::truncate_chars(text.substr(0, text.find('\n')), max_chars));
}

std::vector<std::string> distinct_tools(const gate::FoldedScanFinding& f) {
  std::vector<std::string> tools;
  for (const auto& r : f.reporters)
    if (std::find(tools.begin(), tools.end(), r.tool) == tools.end()) tools.push_back(r.tool);
  return tools;
}

size_t distinct_legs(const gate::FoldedScanFinding& f) {
  std::vector<std::string> legs;
  for (const auto& r : f.reporters)
    if (std::find(legs.begin(), legs.end(), r.leg) == legs.end()) legs.push_back(r.leg);
  return legs.size();
}

const char* icon(model::ScanSeverity s) {
  switch (model::severity_rank(s)) {
  case 4: return "🟣";
  case 3: return "🔴";
  case 2: return "🟠";
  case 1: return "🟡";
  default: return "⚪";
  }
}

} // namespace

std::string reporters_text(const gate::FoldedScanFinding& folded) {
  const auto tools = distinct_tools(folded);
  const size_t legs = distinct_legs(folded);
  std::string text = fmt::format("Reported by {} tool{} in {} leg{}: ", tools.size(), tools.size() == 1 ? "" : "s", legs,
                                 legs == 1 ? "" : "s");
  for (size_t i = 0; i < folded.reporters.size() && i < k_reporters_named; ++i) {
    const auto& r = folded.reporters[i];
    text += fmt::format("{}{} ({})", i ? ", " : "", r.tool.empty() ? "(unnamed tool)" : r.tool, r.leg);
  }
  if (folded.reporters.size() > k_reporters_named)
    text += fmt::format(" and {} more", folded.reporters.size() - k_reporters_named);
  return text;
}

std::string folded_scan_message(const gate::FoldedScanFinding& folded) {
  const auto& f = folded.finding;
  std::string message = reporters_text(folded);
  if (!f.message.empty()) message += "\n\n" + f.message;
  if (!f.help_uri.empty()) message.append("\n\nHelp: ").append(f.help_uri);
  return message;
}

std::string merge_scan_summary(const std::vector<gate::FoldedScanFinding>& folded, bool has_baseline, bool new_only) {
  std::string md = "\n#### Security across the legs\n\n";
  if (folded.empty()) return md + "No scan findings in any leg.\n";
  // Severity (most severe first) → new (or: findings), unchanged, fixed.
  std::map<std::pair<int, std::string>, std::array<size_t, 3>, std::greater<>> rows;
  size_t suppressed = 0;
  for (const auto& s : folded) {
    const auto& f = s.finding;
    if (f.state == model::ScanState::fixed) {
      ++rows[{model::severity_rank(f.severity), model::to_string(f.severity)}][2];
    } else if (!f.counts()) {
      suppressed += f.suppression != model::Suppression::none;
    } else {
      ++rows[{model::severity_rank(f.severity), model::to_string(f.severity)}][f.state == model::ScanState::unchanged ? 1 : 0];
    }
  }
  if (!rows.empty()) {
    md += has_baseline ? "| Severity | New | Unchanged | Fixed |\n|---|---:|---:|---:|\n" : "| Severity | Findings |\n|---|---:|\n";
    for (const auto& [key, n] : rows) {
      const std::string head = fmt::format("| {} {} |", icon(*model::scan_severity_from(key.second)), key.second);
      md += has_baseline ? fmt::format("{} {} | {} | {} |\n", head, n[0], n[1], n[2]) : fmt::format("{} {} |\n", head, n[0]);
    }
  }
  if (suppressed) md += fmt::format("\n{} suppressed in every leg that reports them.\n", suppressed);

  std::vector<const gate::FoldedScanFinding*> listed;
  for (const auto& s : folded)
    if (gate::judged(s.finding, new_only)) listed.push_back(&s);
  if (listed.empty()) return md;
  md += fmt::format("\n{} ({}, each once):\n\n| Severity | Rule | Location | Reported by | Message |\n|---|---|---|---|---|\n",
                    new_only ? "New findings" : "Findings", listed.size());
  for (size_t i = 0; i < listed.size() && i < k_findings_listed; ++i) {
    const auto& s = *listed[i];
    const auto& f = s.finding;
    const std::string where = !f.path.empty() ? (f.start_line > 0 ? fmt::format("{}:{}", f.path, f.start_line) : f.path.str())
                                              : (f.uri.empty() ? "—" : f.uri.str() + " (not in the repository)");
    std::string who;
    for (size_t k = 0; k < s.reporters.size() && k < k_reporters_named; ++k)
      who += fmt::format("{}{} ({})", k ? ", " : "", s.reporters[k].tool, s.reporters[k].leg);
    if (s.reporters.size() > k_reporters_named) who += fmt::format(" and {} more", s.reporters.size() - k_reporters_named);
    md += fmt::format("| {} {} | {} | {} | {} | {} |\n", icon(f.severity), model::to_string(f.severity),
                      cell(f.rule_id.empty() ? "(no rule)" : f.rule_id, 120), cell(where, 160), cell(who, 400),
                      cell(f.message, k_message_chars));
  }
  if (listed.size() > k_findings_listed)
    md += fmt::format("\n…and {} more (all of them in the --json result)\n", listed.size() - k_findings_listed);
  return md;
}

void write_merge_scan_json(util::JsonWriter& w, const std::vector<gate::FoldedScanFinding>& folded, bool has_baseline,
                           bool new_only) {
  const gate::ScanTotals totals = gate::scan_fold_totals(folded);
  std::vector<const gate::FoldedScanFinding*> order;
  for (const auto& s : folded)
    if (s.finding.state != model::ScanState::fixed) order.push_back(&s);
  const size_t present = order.size();
  for (const auto& s : folded)
    if (s.finding.state == model::ScanState::fixed) order.push_back(&s);

  w.Key("scan");
  w.StartObject();
  w.Key("version");
  w.Int(k_scan_json_version);
  w.Key("new_only");
  w.Bool(new_only);
  w.Key("baseline");
  if (has_baseline) w.String("(the legs' baselines)");
  else w.Null();
  w.Key("counts");
  w.StartObject();
  for (auto [name, n] : {std::pair{"critical", totals.at_rank(4)}, {"high", totals.at_rank(3)}, {"medium", totals.at_rank(2)},
                         {"low", totals.at_rank(1)}, {"new", totals.total_new()}, {"unchanged", totals.total_unchanged()},
                         {"fixed", totals.total_fixed()}, {"suppressed", totals.suppressed}}) {
    w.Key(name);
    w.Uint64(n);
  }
  w.EndObject();
  w.Key("results");
  w.StartArray();
  for (size_t i = 0; i < present; ++i) write_scan_finding(w, order[i]->finding);
  w.EndArray();
  w.Key("fixed");
  w.StartArray();
  for (size_t i = present; i < order.size(); ++i) write_scan_finding(w, order[i]->finding);
  w.EndArray();
  w.Key("reported_by");
  w.StartArray();
  for (const auto* s : order) {
    w.StartArray();
    for (const auto& r : s->reporters) {
      w.StartObject();
      w.Key("tool");
      util::write_string(w, r.tool);
      w.Key("leg");
      util::write_string(w, r.leg);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndArray();
  w.EndObject();
}

} // namespace tollgate::publish
