#include "publish/merge_summary.h"

#include <fmt/format.h>

#include "publish/tests_summary.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

// A matrix has at most 256 jobs (GitHub's limit per workflow run); the table shows them all.
constexpr size_t k_legs_listed = 256;
constexpr size_t k_findings_listed = 100;
constexpr size_t k_leg_names_listed = 8;

const char* conclusion_cell(model::Conclusion c) {
  switch (c) {
  case model::Conclusion::success: return "✅ success";
  case model::Conclusion::failure: return "❌ failure";
  case model::Conclusion::neutral: return "⚪ neutral";
  }
  return "";
}

const char* level_icon(model::Level level) {
  switch (level) {
  case model::Level::failure: return "❌";
  case model::Level::warning: return "⚠️";
  case model::Level::notice: return "ℹ️";
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

} // namespace

std::string shared_finding_message(const gate::SharedFinding& shared) {
  const std::string where = fmt::format("In {} of {} legs: {}", shared.legs.size(), shared.of, leg_list(shared.legs));
  return shared.finding.message.empty() ? where : where + "\n\n" + shared.finding.message;
}

std::string merge_summary(const MergeSummaryInput& in) {
  const auto& legs = *in.legs;
  std::string md = "| Leg | Result | Title |\n|---|---|---|\n";
  for (size_t i = 0; i < legs.size() && i < k_legs_listed; ++i)
    md += fmt::format("| {} | {} | {} |\n", util::escape_table_cell(legs[i].check_name.empty() ? legs[i].source : legs[i].check_name),
                      legs[i].missing ? missing_cell(legs[i]) : conclusion_cell(legs[i].conclusion),
                      util::escape_table_cell(legs[i].title));
  if (legs.size() > k_legs_listed) md += fmt::format("\n…and {} more legs.\n", legs.size() - k_legs_listed);
  if (in.leg_notes)
    for (const auto& note : *in.leg_notes) md += "\n> [!WARNING]\n> " + note + "\n";

  // The same totals table as a single leg's check run.
  if (in.tests) md += "\n**Tests across the legs**\n\n" + tests_summary(*in.tests, {}, {}, {}, {});
  if (in.gates && !in.gates->empty()) md += "\n" + gates_table(*in.gates);

  const auto& findings = *in.findings;
  if (!findings.empty()) {
    size_t shared = 0;
    for (const auto& f : findings) shared += f.legs.size() > 1;
    md += fmt::format("\n#### Findings ({} distinct{})\n\n", findings.size(),
                      shared ? fmt::format(", {} in several legs", shared) : "");
    for (size_t i = 0; i < findings.size() && i < k_findings_listed; ++i) {
      const auto& s = findings[i];
      const auto& f = s.finding;
      const std::string first_line = f.message.substr(0, f.message.find('\n'));
      std::string line = fmt::format("- {} <b>{}</b>", level_icon(f.level), util::escape_html(f.title.empty() ? first_line : f.title));
      if (!f.title.empty() && !first_line.empty())
        line += " — " + util::escape_markdown(util::truncate_utf8(first_line, 300));
      if (!f.path.empty())
        line += fmt::format(" (<code>{}</code>)",
                            util::escape_html(f.start_line > 0 ? fmt::format("{}:{}", f.path, f.start_line) : f.path));
      line += fmt::format(" — {} of {} legs: {}\n", s.legs.size(), s.of, util::escape_markdown(leg_list(s.legs)));
      md += line;
    }
    if (findings.size() > k_findings_listed)
      md += fmt::format("\n…and {} more (all of them are in `--json`).\n", findings.size() - k_findings_listed);
  }

  if (!in.coverage.empty()) md += "\n#### Coverage across the legs\n\n" + in.coverage;
  return md;
}

} // namespace tollgate::publish
