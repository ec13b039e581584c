#include "publish/merge_summary.h"

#include <algorithm>
#include <fmt/format.h>

#include "publish/review_failures.h"
#include "publish/tests_summary.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

// A matrix has at most 256 jobs (GitHub's limit per workflow run); the table shows them all.
constexpr size_t k_legs_listed = 256;
constexpr size_t k_findings_listed = 100;
constexpr size_t k_findings_with_excerpt = 5;
constexpr size_t k_excerpt_lines = 6;
constexpr size_t k_leg_names_listed = 8;

const char* verdict_icon(model::Conclusion c) {
  switch (c) {
  case model::Conclusion::success: return "✅";
  case model::Conclusion::failure: return "❌";
  case model::Conclusion::neutral: return "⚪";
  }
  return "";
}

const char* level_word(model::Level level) {
  switch (level) {
  case model::Level::failure: return "";
  case model::Level::warning: return "warning: ";
  case model::Level::notice: return "notice: ";
  }
  return "";
}

// A leg without a result: what its job ended as, and a link to the job when the API gave one.
std::string missing_cell(const model::LegResult& leg) {
  std::string cell = leg.job_conclusion.empty() ? "❌ no result" : "❌ no result (job " + util::escape_table_cell(leg.job_conclusion) + ")";
  const std::string_view url = leg.job_url;
  const bool plain = (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) &&
                     url.find_first_of(" ()<>[]|`\"'\\\n\r") == std::string_view::npos;
  if (plain) cell += fmt::format(" · [job]({})", url);
  return cell;
}

std::string leg_list(const std::vector<std::string>& legs) {
  std::string text;
  for (size_t i = 0; i < legs.size() && i < k_leg_names_listed; ++i) text += (i ? ", " : "") + legs[i];
  if (legs.size() > k_leg_names_listed) text += fmt::format(" and {} more", legs.size() - k_leg_names_listed);
  return text;
}

// What one result says in its leg's row: the verdict where it is one; a coverage leg whose
// numbers are merged is a partial measurement, shown without a verdict (the merged gates judge).
std::string leg_cell(const model::LegResult& leg, bool coverage_merged) {
  if (leg.missing) return missing_cell(leg);
  const std::string title = util::escape_table_cell(util::truncate_utf8(leg.title, 200));
  if (leg.command == "coverage" && coverage_merged) return title + " (this leg)";
  return fmt::format("{} {}", verdict_icon(leg.conclusion), title);
}

std::string legs_table(const MergeSummaryInput& in) {
  const auto& legs = *in.legs;
  std::vector<std::string> commands, labels;
  for (const auto& leg : legs) {
    const std::string command = leg.missing ? "" : leg.command;
    if (std::find(commands.begin(), commands.end(), command) == commands.end()) commands.push_back(command);
    const std::string label = leg_label(leg);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  }
  // A leg without a result has no command: its cell goes in the first column.
  std::erase(commands, std::string());
  // The command table's order: tests, coverage, lighthouse, probe.
  const auto rank = [](const std::string& c) {
    static const std::vector<std::string> order = {"tests", "coverage", "lighthouse", "probe"};
    return std::find(order.begin(), order.end(), c) - order.begin();
  };
  std::stable_sort(commands.begin(), commands.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  if (commands.empty()) commands.push_back("result");
  std::string md = "| Leg |", rule = "|---|";
  for (const auto& c : commands) {
    std::string name = c;
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    md += " " + util::escape_table_cell(name) + " |";
    rule += "---|";
  }
  md += "\n" + rule + "\n";
  for (size_t i = 0; i < labels.size() && i < k_legs_listed; ++i) {
    std::vector<std::string> cells(commands.size(), "—");
    for (const auto& leg : legs) {
      if (leg_label(leg) != labels[i]) continue;
      const auto at = leg.missing ? commands.begin() : std::find(commands.begin(), commands.end(), leg.command);
      auto& cell = cells[static_cast<size_t>(at - commands.begin())];
      cell = cell == "—" ? leg_cell(leg, in.coverage_merged) : cell + "<br>" + leg_cell(leg, in.coverage_merged);
    }
    md += "| " + util::escape_table_cell(util::truncate_utf8(labels[i], 200)) + " |";
    for (const auto& c : cells) md += " " + c + " |";
    md += "\n";
  }
  if (labels.size() > k_legs_listed) md += fmt::format("\n…and {} more legs.\n", labels.size() - k_legs_listed);
  return md;
}

std::string findings_lead(const std::vector<gate::SharedFinding>& findings, const ReviewLinks& links,
                          const report::TestsBaseline* base) {
  size_t shared = 0, failures = 0;
  for (const auto& f : findings) {
    shared += f.legs.size() > 1;
    failures += f.finding.level == model::Level::failure;
  }
  std::string md = fmt::format("#### {} ({} distinct{})\n\n", failures ? "Failures" : "Findings", findings.size(),
                               shared ? fmt::format(", {} in several legs", shared) : "");
  for (size_t i = 0; i < findings.size() && i < k_findings_listed; ++i) {
    const auto& s = findings[i];
    const auto& f = s.finding;
    const std::string headline = failure_headline(f.message, f.raw_details);
    std::string line = fmt::format("- {}{}", level_word(f.level),
                                   f.title.empty() ? util::escape_markdown(util::truncate_utf8(headline, 300))
                                                   : code_name(util::truncate_utf8(f.title, 300)));
    if (!f.title.empty() && !headline.empty()) line += " — " + util::escape_markdown(util::truncate_utf8(headline, 300));
    if (!f.path.empty()) line += " · " + line_link(links, f.path, f.start_line);
    line += fmt::format(" · {} of {} legs: {}", s.legs.size(), s.of, util::escape_markdown(leg_list(s.legs)));
    if (base && f.level == model::Level::failure)
      line += base->failing.contains(f.title) ? " · *already failing on the base*" : " · *new*";
    line += "\n";
    md += line;
    if (i < k_findings_with_excerpt && f.level == model::Level::failure) {
      std::string lines;
      for (const auto& l : failure_excerpt(f.message, f.raw_details, k_excerpt_lines)) lines += l + "\n";
      if (!lines.empty()) {
        const std::string block = util::code_block(lines);
        size_t start = 0;
        while (start < block.size()) {
          const size_t end = std::min(block.find('\n', start), block.size());
          md += "  " + block.substr(start, end - start) + "\n";
          start = end + 1;
        }
      }
    }
  }
  if (findings.size() > k_findings_listed)
    md += fmt::format("\n…and {} more (all of them are in `--json`).\n", findings.size() - k_findings_listed);
  return md + "\n";
}

// "**1 newly failing** · …" over the distinct failures of the tests legs, as a tests summary says it.
std::string change_line(const std::vector<gate::SharedFinding>& findings, const gate::TestTotals& totals,
                        const report::TestsBaseline& base) {
  std::vector<model::TestCase> cases;
  for (const auto& s : findings)
    if (s.finding.level == model::Level::failure) cases.push_back({.name = s.finding.title});
  std::vector<FailureView> views;
  for (const auto& c : cases)
    views.push_back({&c, "", 0, base.failing.contains(c.name) ? FailureChange::already_failing : FailureChange::new_failure});
  return tests_change_line(totals, views, base);
}

} // namespace

std::string leg_label(const model::LegResult& leg) {
  if (!leg.leg.empty()) return leg.leg;
  const std::string& name = leg.check_name;
  const auto open = name.find(" (");
  if (open != std::string::npos && !name.empty() && name.back() == ')') return name.substr(open + 2, name.size() - open - 3);
  return name.empty() ? leg.source : name;
}

std::string shared_finding_message(const gate::SharedFinding& shared) {
  const std::string where = fmt::format("In {} of {} legs: {}", shared.legs.size(), shared.of, leg_list(shared.legs));
  return shared.finding.message.empty() ? where : where + "\n\n" + shared.finding.message;
}

std::string merge_summary(const MergeSummaryInput& in) {
  std::string md;
  const bool list = in.options.list != SummaryList::none;
  if (!in.missing_baseline.empty())
    md += "**No baseline**: the base branch has no kept result yet (" + util::code_span(in.missing_baseline) +
          " does not exist), so nothing is compared with it.\n\n";
  if (in.tests_baseline && in.tests) md += change_line(*in.findings, *in.tests, *in.tests_baseline);
  if (list && !in.findings->empty()) md += findings_lead(*in.findings, in.options.links, in.tests_baseline);
  // The merged coverage (its change against the base first) before the per-leg detail.
  if (!in.coverage.empty()) md += "#### Coverage across the legs\n\n" + in.coverage + "\n";
  md += legs_table(in);
  if (in.leg_notes)
    for (const auto& note : *in.leg_notes) md += "\n> [!WARNING]\n> " + note + "\n";
  // The same totals table as a single leg's summary.
  if (in.tests) md += "\n**Tests across the legs**\n\n" + totals_table(*in.tests);
  if (in.gates && !in.gates->empty()) md += "\n" + gates_table(*in.gates);
  return md;
}

} // namespace tollgate::publish
