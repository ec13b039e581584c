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
constexpr size_t k_moved_listed = 20;
constexpr size_t k_drops_listed = 3; // in the lead line; the table below has them all
constexpr size_t k_all_files_listed = 500;
// A path longer than this is shown by its end ("…/deep/dir/file.py"), linked in full: a table
// of long paths is pushed off the screen.
constexpr size_t k_path_cell_chars = 60;
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

// A file in a table: its path (the end of a long one), linked to the file at the commit when the
// run is known.
std::string file_cell(const ReviewLinks& links, const std::string& path) {
  std::string shown = path;
  if (util::utf8_length(shown) > k_path_cell_chars) {
    size_t cut = shown.size() - k_path_cell_chars;
    while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
    const size_t slash = shown.find('/', cut);
    shown = "…" + shown.substr(slash != std::string::npos && slash + 1 < shown.size() ? slash : cut);
  }
  const std::string url = line_url(links, path, 0);
  return url.empty() ? code_cell(shown) : fmt::format("[{}]({})", code_cell(shown), url);
}

double pct_of(const model::CoverageCounts& c) { return c.line_pct(); }

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

const model::FileCoverage* find_file(const std::vector<model::FileCoverage>* files, const std::string& path) {
  if (!files) return nullptr;
  const auto file = std::lower_bound(files->begin(), files->end(), path,
                                     [](const model::FileCoverage& c, const std::string& p) { return c.path < p; });
  return file != files->end() && file->path == path ? &*file : nullptr;
}

// Files whose coverage moved against the base, most moved first (no diff to name the changed files).
std::string moved_files(const CoverageSummaryInput& in) {
  std::vector<std::pair<double, const model::FileCoverage*>> moved;
  for (const auto& f : *in.files) {
    const auto it = in.baseline->files.find(f.path);
    const auto c = model::count_coverage(f);
    if (it == in.baseline->files.end() || !c.lines || !it->second.lines) continue;
    const double before = 100.0 * static_cast<double>(it->second.lines_covered) / static_cast<double>(it->second.lines);
    const double d = std::round((c.line_pct() - before) * 10) / 10;
    if (d != 0) moved.emplace_back(d, &f);
  }
  if (moved.empty()) return {};
  std::stable_sort(moved.begin(), moved.end(), [](const auto& a, const auto& b) { return std::fabs(a.first) > std::fabs(b.first); });
  std::string md = fmt::format("\n#### Coverage changed in {} file{}\n\n| File | Coverage | Δ |\n|---|---:|---:|\n", moved.size(),
                               moved.size() == 1 ? "" : "s");
  for (size_t i = 0; i < moved.size() && i < k_moved_listed; ++i) {
    const auto c = model::count_coverage(*moved[i].second);
    if (!add_row(md, fmt::format("| {} | {} | {} |\n", file_cell(in.options.links, moved[i].second->path), pct(c.line_pct()),
                                 file_delta(c, in.baseline, moved[i].second->path))))
      break;
  }
  if (moved.size() > k_moved_listed) md += fmt::format("\n…and {} more.\n", moved.size() - k_moved_listed);
  return md;
}

std::string all_files(const CoverageSummaryInput& in) {
  std::string md = fmt::format("\n<details><summary>All files ({})</summary>\n\n| File | Covered | Lines | % |{}\n|---|---:|---:|---:|{}\n",
                               in.files->size(), in.baseline ? " Δ |" : "", in.baseline ? "---:|" : "");
  size_t shown = 0;
  for (const auto& f : *in.files) {
    const auto c = model::count_coverage(f);
    if (shown == k_all_files_listed ||
        !add_row(md, fmt::format("| {} | {} | {} | {} |{}\n", file_cell(in.options.links, f.path), c.lines_covered, c.lines,
                                 c.lines ? pct(c.line_pct()) : "—",
                                 in.baseline ? " " + file_delta(c, in.baseline, f.path) + " |" : "")))
      break;
    ++shown;
  }
  if (shown < in.files->size()) md += fmt::format("\n…and {} more (all of them are in `--json`).\n", in.files->size() - shown);
  return md + "\n</details>\n";
}

// "Coverage fell in 2 files: `a.py` 50.0% (−25.0), …": the files (the changed ones when there is
// a diff) whose line coverage dropped against the base, most dropped first. "" when none did.
std::string coverage_drops(const CoverageSummaryInput& in) {
  if (!in.baseline || !in.files) return {};
  std::vector<std::pair<double, const model::FileCoverage*>> drops;
  for (const auto& f : *in.files) {
    if (in.patch && std::none_of(in.patch->files.begin(), in.patch->files.end(), [&](const auto& p) { return p.path == f.path; }))
      continue;
    const auto it = in.baseline->files.find(f.path);
    const auto c = model::count_coverage(f);
    if (it == in.baseline->files.end() || !c.lines || !it->second.lines) continue;
    const double before = 100.0 * static_cast<double>(it->second.lines_covered) / static_cast<double>(it->second.lines);
    const double d = std::round((c.line_pct() - before) * 10) / 10;
    if (d < 0) drops.emplace_back(d, &f);
  }
  if (drops.empty()) return {};
  std::stable_sort(drops.begin(), drops.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string md = fmt::format("**Coverage fell in {} file{}**: ", drops.size(), drops.size() == 1 ? "" : "s");
  for (size_t i = 0; i < drops.size() && i < k_drops_listed; ++i) {
    const auto c = model::count_coverage(*drops[i].second);
    md += fmt::format("{}{} {} ({})", i ? ", " : "", line_link(in.options.links, drops[i].second->path, 0), pct(c.line_pct()),
                      file_delta(c, in.baseline, drops[i].second->path));
  }
  if (drops.size() > k_drops_listed) md += fmt::format(" and {} more", drops.size() - k_drops_listed);
  return md + "\n\n";
}

} // namespace

std::string file_delta(const model::CoverageCounts& now, const report::CoverageBaseline* baseline, const std::string& path) {
  if (!baseline || !now.lines) return {};
  const auto it = baseline->files.find(path);
  if (it == baseline->files.end() || !it->second.lines) return "new";
  const double before = 100.0 * static_cast<double>(it->second.lines_covered) / static_cast<double>(it->second.lines);
  const double d = std::round((now.line_pct() - before) * 10) / 10;
  return d == 0 ? "±0.0" : fmt::format("{}{:.1f}", d < 0 ? "−" : "+", std::fabs(d));
}

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
  md += coverage_drops(in);
  md += "| | Covered | Total | % |\n|---|---:|---:|---:|\n";
  md += fmt::format("| Lines | {} | {} | {}{} |\n", t.lines_covered, t.lines,
                    t.lines ? pct(t.line_pct()) : "—", t.lines ? delta : "");
  // No branch data is said once where it matters (a --min-branch gate that measured nothing).
  if (t.branches)
    md += fmt::format("| Branches | {} | {} | {} |\n", t.branches_covered, t.branches, pct(t.branch_pct()));
  if (in.patch)
    md += fmt::format(
        "| Changed lines{} | {} | {} | {} |\n",
        in.base.empty() ? "" : fmt::format(" (vs {})", code_cell(util::truncate_utf8(in.base, 40))),
        in.patch->lines_covered, in.patch->lines, in.patch->lines ? pct(in.patch->pct()) : "—");
  md += "\n";
  if (in.patch && !in.patch_method.empty())
    md += fmt::format("Changed lines from {}.\n\n", util::escape_markdown(util::truncate_utf8(in.patch_method, 300)));
  const bool list = in.options.list != SummaryList::none;
  if (in.patch && list) {
    if (in.patch->files.empty()) {
      md += fmt::format("\nNo changed executable line was measured: {} added line(s), none of them "
                        "executable in the reports (the patch gate passes by rule).\n",
                        in.patch->changed_lines);
    } else {
      const bool with_delta = in.baseline != nullptr;
      md += fmt::format("#### Impacted files ({})\n\n| File | Coverage |{} Changed lines covered | Uncovered changed "
                        "lines |\n|---|---:|{}---:|---|\n",
                        in.patch->files.size(), with_delta ? " Δ |" : "", with_delta ? "---:|" : "");
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
        const model::FileCoverage* file = find_file(in.files, f->path);
        const model::CoverageCounts counts = file ? model::count_coverage(*file) : model::CoverageCounts{};
        std::string d = with_delta ? file_delta(counts, in.baseline, f->path) : "";
        if (with_delta) d = " " + (d.empty() ? std::string("—") : d) + " |";
        if (!add_row(md, fmt::format("| {} | {} |{} {} / {} | {} |\n", file_cell(in.options.links, f->path),
                                     counts.lines ? pct(pct_of(counts)) : "—", d, f->lines_covered, f->lines, ranges_cell(*f))))
          break;
        ++shown;
      }
      if (shown < order.size())
        md += fmt::format("\n…and {} more changed files (all of them are in `--json`).\n",
                          order.size() - shown);
    }
  } else if (list && in.baseline && in.files && !moved_files(in).empty()) {
    md += moved_files(in);
  } else if (list && in.files && !in.files->empty()) {
    std::vector<std::pair<double, const model::FileCoverage*>> lowest;
    for (const auto& f : *in.files)
      if (!f.lines.empty()) lowest.emplace_back(model::count_coverage(f).line_pct(), &f);
    std::stable_sort(lowest.begin(), lowest.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (lowest.size() > k_lowest_listed) lowest.resize(k_lowest_listed);
    md += "\n#### Lowest coverage\n\n| File | Covered | Lines | % |\n|---|---:|---:|---:|\n";
    for (const auto& [p, f] : lowest) {
      const auto c = model::count_coverage(*f);
      add_row(md, fmt::format("| {} | {} | {} | {} |\n", file_cell(in.options.links, f->path), c.lines_covered,
                              c.lines, pct(p)));
    }
  }

  if (in.gates && !in.gates->empty()) md += "\n" + gates_table(*in.gates);

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
  if (in.options.list == SummaryList::all && in.files && !in.files->empty()) md += all_files(in);
  return md;
}

} // namespace tollgate::publish
