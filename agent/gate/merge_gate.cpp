#include "gate/merge_gate.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <tuple>

namespace tollgate::gate {

namespace {

// A coverage leg's verdict is about its part of the coverage only; the merged gates replace it.
// (A merged result carries coverage too, but its verdict is about everything it merged.)
bool leg_merged_away(const model::LegResult& leg, bool coverage_merged) {
  return coverage_merged && leg.command == "coverage";
}

// Commands in the order of the command table, for the default check name.
int command_rank(std::string_view command) {
  static constexpr std::string_view k_order[] = {"tests", "coverage", "lighthouse", "scan", "probe", "deployment", "rollback", "merge"};
  for (size_t i = 0; i < std::size(k_order); ++i)
    if (k_order[i] == command) return static_cast<int>(i);
  return static_cast<int>(std::size(k_order));
}

int severity(model::Level level) {
  switch (level) {
  case model::Level::failure: return 0;
  case model::Level::warning: return 1;
  case model::Level::notice: return 2;
  }
  return 2;
}

std::string leg_name(const model::LegResult& leg) { return leg.check_name.empty() ? leg.source : leg.check_name; }

// "tests" → "Tests".
std::string display_name(const std::string& command) {
  if (command.empty()) return command;
  if (command == "scan") return "Security"; // a scan's own check is named Security
  std::string name = command;
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

} // namespace

std::vector<SharedFinding> share_findings(const std::vector<model::LegResult>& legs, bool coverage_merged) {
  std::map<std::string, size_t, std::less<>> per_command;
  for (const auto& leg : legs) ++per_command[leg.command];
  std::vector<SharedFinding> shared;
  // Keys view into the legs' own strings, which outlive the map.
  std::map<std::tuple<std::string_view, int, std::string_view>, size_t> index;
  for (const auto& leg : legs) {
    if (leg_merged_away(leg, coverage_merged)) continue;
    if (leg.scan) continue; // scan findings are folded by gate/merge_scan, across tools too
    const std::string name = leg_name(leg);
    for (const auto& f : leg.findings) {
      const auto key = std::make_tuple(std::string_view(f.path), f.start_line, std::string_view(f.title));
      auto [it, inserted] = index.try_emplace(key, shared.size());
      if (inserted) {
        shared.push_back({f, {name}, per_command[leg.command]});
        continue;
      }
      SharedFinding& s = shared[it->second];
      if (severity(f.level) < severity(s.finding.level)) s.finding.level = f.level;
      if (std::find(s.legs.begin(), s.legs.end(), name) == s.legs.end()) s.legs.push_back(name);
    }
  }
  std::stable_sort(shared.begin(), shared.end(),
                   [](const auto& a, const auto& b) { return severity(a.finding.level) < severity(b.finding.level); });
  return shared;
}

std::optional<TestTotals> sum_tests(const std::vector<model::LegResult>& legs) {
  std::optional<TestTotals> sum;
  for (const auto& leg : legs) {
    if (!leg.tests) continue;
    if (!sum) sum.emplace();
    sum->tests += leg.tests->tests;
    sum->passed += leg.tests->passed;
    sum->failed += leg.tests->failed;
    sum->errors += leg.tests->errors;
    sum->skipped += leg.tests->skipped;
    sum->flaky += leg.tests->flaky;
    sum->duration_s = add_duration(sum->duration_s, leg.tests->duration_s);
  }
  return sum;
}

std::optional<MergedLegCoverage> merge_leg_coverage(const std::vector<model::LegResult>& legs) {
  std::map<std::string, model::FileCoverage, std::less<>> by_path;
  std::vector<std::string> outside;
  std::optional<double> baseline;
  bool any = false;
  for (const auto& leg : legs) {
    if (!leg.coverage) continue;
    any = true;
    for (const auto& file : *leg.coverage) {
      auto [it, inserted] = by_path.try_emplace(file.path, file);
      if (!inserted) it->second.merge(file);
    }
    outside.insert(outside.end(), leg.coverage_outside.begin(), leg.coverage_outside.end());
    if (!baseline) baseline = leg.baseline_line_pct;
  }
  if (!any) return std::nullopt;
  MergedLegCoverage merged;
  merged.files.reserve(by_path.size());
  for (auto& [path, file] : by_path) {
    merged.totals += model::count_coverage(file);
    merged.files.push_back(std::move(file));
  }
  std::sort(outside.begin(), outside.end());
  outside.erase(std::unique(outside.begin(), outside.end()), outside.end());
  merged.outside = std::move(outside);
  merged.baseline_line_pct = baseline;
  return merged;
}

CoverageGateOptions inherit_coverage_gates(const std::vector<model::LegResult>& legs, const CoverageGateOptions& given) {
  CoverageGateOptions o = given;
  auto stricter = [](std::optional<double>& slot, double threshold, bool lower_is_stricter) {
    if (!slot) slot = threshold;
    else slot = lower_is_stricter ? std::min(*slot, threshold) : std::max(*slot, threshold);
  };
  CoverageGateOptions from_legs;
  for (const auto& leg : legs) {
    if (!leg.coverage) continue;
    for (const auto& g : leg.gates) {
      if (g.name == "line coverage") stricter(from_legs.min_line, g.threshold, false);
      else if (g.name == "branch coverage") stricter(from_legs.min_branch, g.threshold, false);
      else if (g.name == "file coverage") stricter(from_legs.min_file, g.threshold, false);
      else if (g.name == "patch coverage") stricter(from_legs.min_patch, g.threshold, false);
      else if (g.name == "coverage drop") stricter(from_legs.max_drop, g.threshold, true);
    }
  }
  if (!o.min_line) o.min_line = from_legs.min_line;
  if (!o.min_branch) o.min_branch = from_legs.min_branch;
  if (!o.min_file && o.file_thresholds.empty()) o.min_file = from_legs.min_file;
  if (!o.min_patch) o.min_patch = from_legs.min_patch;
  if (!o.max_drop) o.max_drop = from_legs.max_drop;
  return o;
}

model::Gate failed_legs_gate(const std::vector<model::LegResult>& legs, bool coverage_merged) {
  std::vector<std::string> failed;
  size_t judged = 0;
  for (const auto& leg : legs) {
    if (leg_merged_away(leg, coverage_merged)) continue;
    ++judged;
    if (leg.missing) failed.push_back(leg_name(leg) + (leg.job_conclusion.empty() ? " (no result)" : " (no result, job " + leg.job_conclusion + ")"));
    else if (!leg.passed) failed.push_back(leg_name(leg));
  }
  model::Gate g;
  g.name = "failed legs";
  g.threshold = 0;
  g.actual = static_cast<double>(failed.size());
  g.passed = failed.empty();
  if (!failed.empty()) {
    std::string names;
    for (const auto& n : failed) names += (names.empty() ? "" : ", ") + n;
    g.detail = fmt::format("{} of {} legs failed: {}", failed.size(), judged, names);
  } else {
    g.detail = fmt::format("all {} legs passed", judged);
  }
  if (judged < legs.size())
    g.detail += fmt::format("; the {} coverage leg(s) are judged by the merged coverage gates", legs.size() - judged);
  return g;
}

size_t leg_count(const std::vector<model::LegResult>& legs, bool coverage_merged) {
  size_t judged = 0;
  for (const auto& leg : legs) judged += !leg_merged_away(leg, coverage_merged);
  return judged ? judged : legs.size();
}

std::string merge_title(const std::vector<model::LegResult>& legs, bool coverage_merged,
                        const std::optional<TestTotals>& tests, const std::string& coverage_title) {
  // The failed legs by name, and the gates they failed on besides failing tests (a leg that only
  // missed --min-tests has every test passing): the title never says "all passed" over them.
  std::vector<std::string> failed;
  std::vector<model::Gate> leg_gates;
  for (const auto& leg : legs) {
    if (leg_merged_away(leg, coverage_merged) || leg.passed) continue;
    failed.push_back(leg_name(leg));
    for (const auto& g : leg.gates)
      if (!g.passed && leg.command == "tests") leg_gates.push_back(g);
  }
  if (!failed.empty()) {
    model::Gate any; // keeps "all passed" out of the tests part; named by the legs part
    any.name = k_gate_failed;
    any.passed = false;
    leg_gates.push_back(any);
  }
  const size_t n = leg_count(legs, coverage_merged);
  std::string title = fmt::format("{} leg{}", n, n == 1 ? "" : "s");
  if (failed.empty()) {
    title += ", all passed";
  } else {
    std::string names;
    for (size_t i = 0; i < failed.size() && i < k_title_leg_names; ++i) names += (i ? ", " : "") + failed[i];
    if (failed.size() > k_title_leg_names) names += ", …";
    title += fmt::format(", {} failed ({})", failed.size(), names);
  }
  if (tests) title += " · " + tests_title(*tests, leg_gates);
  if (!coverage_title.empty()) title += " · " + coverage_title;
  return title;
}

std::string merge_check_name(const std::vector<model::LegResult>& legs) {
  std::vector<std::string> commands;
  for (const auto& leg : legs)
    if (!leg.missing && std::find(commands.begin(), commands.end(), leg.command) == commands.end())
      commands.push_back(leg.command);
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return command_rank(a) < command_rank(b); });
  std::string name;
  for (const auto& c : commands) name += (name.empty() ? "" : " + ") + display_name(c);
  return (name.empty() ? std::string("Results") : name) + " (all legs)";
}

} // namespace tollgate::gate
