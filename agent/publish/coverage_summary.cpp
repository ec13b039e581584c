#include "publish/coverage_summary.h"

#include "publish/limits.h"
#include "publish/tests_summary.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::publish {

namespace {

constexpr size_t k_changed_files_listed = 100;
constexpr size_t k_ranges_listed = 12;
constexpr size_t k_files_below_listed = 50;
constexpr size_t k_outside_listed = 50;
constexpr size_t k_lowest_listed = 10;
// Leaves room for the title, the note on unposted annotations and the truncation note.
constexpr size_t k_summary_budget = k_check_output_chars - 4000;

std::string pct(double v) {
  return fmt::format("{:.1f}%", v);
}

// Paths in <code>: HTML-escaped, with '|' as an entity so it cannot end the table cell. (A code
// span would show Markdown's backslash escapes literally.)
std::string code_cell(std::string_view text) {
  std::string out = "<code>";
  for (const char c : util::escape_html(util::truncate_utf8(text, 200))) {
    if (c == '|')
      out += "&#124;";
    else
      out += c;
  }
  return out + "</code>";
}

std::string ranges_cell(const gate::PatchFile& f) {
  std::string text;
  for (size_t i = 0; i < f.ranges.size() && i < k_ranges_listed; ++i)
    text += (i ? ", " : "") + gate::format_range(f.ranges[i]);
  if (f.ranges.size() > k_ranges_listed)
    text += fmt::format(" …and {} more", f.ranges.size() - k_ranges_listed);
  return text.empty() ? "—" : text;
}

// Appends a table row only while the summary stays within its budget.
bool add_row(std::string& md, const std::string& row) {
  if (util::utf8_length(md) + util::utf8_length(row) > k_summary_budget) return false;
  md += row;
  return true;
}

} // namespace

std::string coverage_summary(const CoverageSummaryInput& in) {
  const auto& t = in.totals;
  std::string delta;
  if (in.baseline_line_pct) {
    const double d = std::round((t.line_pct() - *in.baseline_line_pct) * 10) / 10;
    delta = d == 0 ? " (±0.0)"
                   : fmt::format(" ({}{:.1f} vs baseline {})", d < 0 ? "−" : "+", std::fabs(d),
                                 pct(*in.baseline_line_pct));
  }
  std::string md;
  // First, before any number: a patch that was asked for and could not be measured.
  if (!in.patch_not_measured.empty()) {
    // One line of a block quote: a line break in the reason (an API message) cannot end it.
    std::string reason = util::truncate_utf8(in.patch_not_measured, 600);
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    std::replace(reason.begin(), reason.end(), '\r', ' ');
    md += fmt::format("> **Patch coverage: not measured** — {}. {}\n\n", util::escape_markdown(reason),
                      in.fail_unmeasured_patch ? "The patch gate fails (`--unmeasured-patch fail`)."
                                               : "The patch gate is skipped, not passed.");
  }
  // Then every other gate that measured nothing (no branch data, no baseline): skipped, not passed.
  if (in.gates)
    for (const auto& g : *in.gates) {
      if (g.measured || g.name == "patch coverage") continue;
      std::string name = g.name;
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      std::string why = util::truncate_utf8(g.detail, 600);
      std::replace(why.begin(), why.end(), '\n', ' ');
      std::replace(why.begin(), why.end(), '\r', ' ');
      md += fmt::format("> **{}: not measured** — {}. {}\n\n", name, util::escape_markdown(why),
                        g.passed ? "The gate is skipped, not passed." : "The gate fails.");
    }
  md += "| | Covered | Total | % |\n|---|---:|---:|---:|\n";
  md += fmt::format("| Lines | {} | {} | {}{} |\n", t.lines_covered, t.lines,
                    t.lines ? pct(t.line_pct()) : "—", delta);
  md += fmt::format("| Branches | {} | {} | {} |\n", t.branches_covered, t.branches,
                    t.branches ? pct(t.branch_pct()) : "—");
  if (in.patch)
    md += fmt::format(
        "| Changed lines{} | {} | {} | {} |\n",
        in.base.empty() ? "" : fmt::format(" (vs {})", code_cell(util::truncate_utf8(in.base, 40))),
        in.patch->lines_covered, in.patch->lines, in.patch->lines ? pct(in.patch->pct()) : "—");
  md += "\n";
  if (in.patch && !in.patch_method.empty())
    md += fmt::format("Changed lines from {}.\n\n", util::escape_markdown(util::truncate_utf8(in.patch_method, 300)));
  if (in.gates) md += gates_table(*in.gates);

  if (in.patch) {
    if (in.patch->files.empty()) {
      md += fmt::format("\nNo changed executable line was measured: {} added line(s), none of them "
                        "executable in the reports (the patch gate passes by rule).\n",
                        in.patch->changed_lines);
    } else {
      md += "\n#### Changed files\n\n| File | Coverage | Changed lines covered | Uncovered changed "
            "lines |\n|---|---:|---:|---|\n";
      std::vector<const gate::PatchFile*> order;
      for (const auto& f : in.patch->files)
        order.push_back(&f);
      // Files with uncovered changed lines first, most uncovered first; then by path.
      std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return a->uncovered.size() > b->uncovered.size();
      });
      size_t shown = 0;
      for (const auto* f : order) {
        if (shown == k_changed_files_listed) break;
        const auto file = std::lower_bound(
            in.files->begin(), in.files->end(), f->path,
            [](const model::FileCoverage& c, const std::string& p) { return c.path < p; });
        const double file_pct = file != in.files->end() && file->path == f->path
                                    ? model::count_coverage(*file).line_pct()
                                    : 0;
        if (!add_row(md, fmt::format("| {} | {} | {} / {} | {} |\n", code_cell(f->path),
                                     pct(file_pct), f->lines_covered, f->lines, ranges_cell(*f))))
          break;
        ++shown;
      }
      if (shown < order.size())
        md += fmt::format("\n…and {} more changed files (all of them are in `--json`).\n",
                          order.size() - shown);
    }
  } else if (in.files && !in.files->empty()) {
    std::vector<std::pair<double, const model::FileCoverage*>> lowest;
    for (const auto& f : *in.files)
      if (!f.lines.empty()) lowest.emplace_back(model::count_coverage(f).line_pct(), &f);
    std::stable_sort(lowest.begin(), lowest.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (lowest.size() > k_lowest_listed) lowest.resize(k_lowest_listed);
    md += "\n#### Lowest coverage\n\n| File | Covered | Lines | % |\n|---|---:|---:|---:|\n";
    for (const auto& [p, f] : lowest) {
      const auto c = model::count_coverage(*f);
      add_row(md, fmt::format("| {} | {} | {} | {} |\n", code_cell(f->path), c.lines_covered,
                              c.lines, pct(p)));
    }
  }

  if (in.files_below && !in.files_below->empty()) {
    md += fmt::format("\n#### Files below their --min-file threshold ({})\n\n| File | Coverage | "
                      "Threshold |\n|---|---:|---:|\n",
                      in.files_below->size());
    size_t shown = 0;
    for (const auto& f : *in.files_below) {
      if (shown == k_files_below_listed ||
          !add_row(md, fmt::format("| {} | {} | {} |\n", code_cell(f.path), pct(f.pct),
                                   pct(f.threshold))))
        break;
      ++shown;
    }
    if (shown < in.files_below->size())
      md += fmt::format("\n…and {} more.\n", in.files_below->size() - shown);
  }

  if (in.outside && !in.outside->empty()) {
    md += fmt::format("\n<details><summary>{} report path(s) name no file of the repository and "
                      "are not counted</summary>\n\n",
                      in.outside->size());
    size_t shown = 0;
    for (const auto& p : *in.outside) {
      if (shown == k_outside_listed ||
          !add_row(md, fmt::format("- <code>{}</code>\n",
                                   util::escape_html(util::truncate_utf8(p, 300)))))
        break;
      ++shown;
    }
    if (shown < in.outside->size())
      md +=
          fmt::format("- …and {} more (all of them are in `--json`)\n", in.outside->size() - shown);
    md += "\nMap them with `--path-map FROM=TO` if they belong to the repository.\n\n</details>\n";
  }
  return md;
}

} // namespace tollgate::publish
