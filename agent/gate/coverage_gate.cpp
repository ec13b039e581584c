#include "gate/coverage_gate.h"

#include "util/files.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::gate {

namespace {

// Percentages are compared with a little slack so 80.0 passes --min-line 80 whatever the rounding.
constexpr double k_epsilon = 1e-9;

std::string pct(double v) {
  return fmt::format("{:.1f}%", v);
}

// "−0.4", "+1.2", "±0.0" (a real minus sign, as in the title the issue specifies).
std::string signed_delta(double d) {
  const double rounded = std::round(d * 10) / 10;
  if (rounded == 0) return "±0.0";
  return fmt::format("{}{:.1f}", rounded < 0 ? "−" : "+", std::fabs(rounded));
}

} // namespace

PatchCoverage compute_patch(const std::vector<model::FileCoverage>& files,
                            const model::ChangedLineMap& changed) {
  PatchCoverage patch;
  for (const auto& [path, lines] : changed)
    patch.changed_lines += lines.size();
  for (const auto& file : files) {
    const auto it = changed.find(file.path);
    if (it == changed.end()) continue;
    PatchFile pf;
    pf.path = file.path;
    for (const int line : it->second) {
      if (line <= 0) continue;
      const model::LineHits* hits = file.find_line(static_cast<uint32_t>(line));
      if (!hits) continue;
      ++pf.lines;
      if (hits->hits > 0) {
        ++pf.lines_covered;
      } else {
        pf.uncovered.push_back(static_cast<uint32_t>(line));
      }
    }
    if (pf.lines == 0) continue;
    for (const uint32_t line : pf.uncovered) {
      if (!pf.ranges.empty()) {
        // The next executable line after the range's end: if it is this one, the range grows.
        const auto next =
            std::upper_bound(file.lines.begin(), file.lines.end(), pf.ranges.back().second,
                             [](uint32_t l, const model::LineHits& h) { return l < h.line; });
        if (next != file.lines.end() && next->line == line) {
          pf.ranges.back().second = line;
          continue;
        }
      }
      pf.ranges.emplace_back(line, line);
    }
    patch.lines += pf.lines;
    patch.lines_covered += pf.lines_covered;
    patch.files.push_back(std::move(pf));
  }
  return patch;
}

CoverageDecision decide_coverage(const model::CoverageCounts& totals,
                                 const std::vector<model::FileCoverage>& files,
                                 const PatchCoverage* patch, const CoverageGateOptions& o) {
  CoverageDecision d;
  if (o.min_line) {
    const double actual = totals.line_pct();
    const bool measured = totals.lines > 0;
    d.gates.push_back({"line coverage", *o.min_line, measured ? actual : 0,
                       measured && actual + k_epsilon >= *o.min_line,
                       measured ? fmt::format("{} of {} lines covered (--min-line)",
                                              totals.lines_covered, totals.lines)
                                : "the reports measured no executable lines (--min-line)"});
  }
  if (o.min_branch) {
    if (totals.branches == 0) {
      // No branch data (a Go cover profile, coverage.py without --branch, LCOV without BRDA):
      // nothing measured, so the gate is skipped and says so, never "100% passed".
      model::Gate g{"branch coverage", *o.min_branch, 0, true,
                    "the reports hold no branch data: not measured (--min-branch)"};
      g.measured = false;
      d.gates.push_back(std::move(g));
    } else {
      const double actual = totals.branch_pct();
      d.gates.push_back({"branch coverage", *o.min_branch, actual, actual + k_epsilon >= *o.min_branch,
                         fmt::format("{} of {} branches covered (--min-branch)", totals.branches_covered,
                                     totals.branches)});
    }
  }
  if (o.min_file || !o.file_thresholds.empty()) {
    double lowest = 100;
    size_t checked = 0;
    for (const auto& file : files) {
      if (file.lines.empty()) continue;
      std::optional<double> threshold = o.min_file;
      for (const auto& t : o.file_thresholds) {
        if (util::glob_match(t.pattern, file.path)) {
          threshold = t.min_pct;
          break;
        }
      }
      if (!threshold) continue;
      ++checked;
      const double actual = model::count_coverage(file).line_pct();
      lowest = std::min(lowest, actual);
      if (actual + k_epsilon < *threshold) d.files_below.push_back({file.path, actual, *threshold});
    }
    std::stable_sort(d.files_below.begin(), d.files_below.end(),
                     [](const auto& a, const auto& b) { return a.pct < b.pct; });
    std::string detail =
        d.files_below.empty()
            ? fmt::format("every file at or above its threshold ({} checked; --min-file)", checked)
            : fmt::format("{} of {} files below their threshold; lowest {} {} (--min-file)",
                          d.files_below.size(), checked, d.files_below.front().path,
                          pct(d.files_below.front().pct));
    d.gates.push_back({"file coverage", o.min_file.value_or(o.file_thresholds.front().min_pct),
                       lowest, d.files_below.empty(), std::move(detail)});
  }
  if (o.min_patch) {
    if (!patch) {
      // Nothing measured is never "passed": the gate says so, and is skipped (or fails when
      // asked to), without a made-up value.
      model::Gate g{"patch coverage", *o.min_patch, 0, !o.fail_unmeasured_patch,
                    o.patch_not_measured.empty()
                        ? "no base revision to compare with: not measured (--min-patch)"
                        : fmt::format("changed lines not measured: {} (--min-patch)", o.patch_not_measured)};
      g.measured = false;
      d.gates.push_back(std::move(g));
    } else if (patch->lines == 0) {
      // The documented rule: a change without executable lines passes; the detail says that no
      // changed line was measured.
      d.gates.push_back({"patch coverage", *o.min_patch, 100, true,
                         "no changed executable line was measured (none of the changed lines is "
                         "executable): passes by rule (--min-patch)"});
    } else {
      d.gates.push_back({"patch coverage", *o.min_patch, patch->pct(),
                         patch->pct() + k_epsilon >= *o.min_patch,
                         fmt::format("{} of {} executable changed lines covered (--min-patch)",
                                     patch->lines_covered, patch->lines)});
    }
  }
  if (o.max_drop) {
    if (!o.baseline_line_pct) {
      model::Gate g{"coverage drop", *o.max_drop, 0, true,
                    "no baseline to compare with: not measured (--max-drop needs --baseline)"};
      g.measured = false;
      d.gates.push_back(std::move(g));
    } else {
      const double drop = *o.baseline_line_pct - totals.line_pct();
      d.gates.push_back({"coverage drop", *o.max_drop, drop, drop <= *o.max_drop + k_epsilon,
                         fmt::format("line coverage {} → {} (--max-drop, in percentage points)",
                                     pct(*o.baseline_line_pct), pct(totals.line_pct()))});
    }
  }
  return d;
}

std::string coverage_title(const model::CoverageCounts& totals,
                           std::optional<double> baseline_line_pct, const PatchCoverage* patch,
                           bool patch_not_measured, const std::vector<model::Gate>* gates) {
  if (totals.lines == 0) return "Coverage: the reports measured no executable lines";
  std::string title = fmt::format("Coverage {:.1f}%", totals.line_pct());
  if (baseline_line_pct)
    title += fmt::format(" ({})", signed_delta(totals.line_pct() - *baseline_line_pct));
  if (patch)
    title += patch->lines ? fmt::format(" · patch {:.1f}%", patch->pct())
                          : " · patch: no executable changed lines";
  else if (patch_not_measured)
    title += " · patch not measured";
  // The other gates that measured nothing ("· branches not measured"): the patch is named above.
  if (gates)
    for (const auto& g : *gates)
      if (!g.measured && g.name != "patch coverage")
        title += g.name == "branch coverage" ? " · branches not measured" : fmt::format(" · {} not measured", g.name);
  return title;
}

std::string format_range(std::pair<uint32_t, uint32_t> range) {
  return range.first == range.second ? fmt::format("{}", range.first)
                                     : fmt::format("{}–{}", range.first, range.second);
}

std::vector<model::Finding> uncovered_findings(const PatchCoverage& patch, model::Level level) {
  std::vector<model::Finding> findings;
  for (const auto& file : patch.files) {
    for (const auto& range : file.ranges) {
      model::Finding f;
      f.path = file.path;
      f.start_line = static_cast<int>(range.first);
      f.end_line = static_cast<int>(range.second);
      f.level = level;
      f.title = "Not covered by tests";
      f.message = range.first == range.second
                      ? fmt::format("Line {} is not covered by tests", range.first)
                      : fmt::format("Lines {} are not covered by tests", format_range(range));
      f.on_changed_line = true;
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

} // namespace tollgate::gate
