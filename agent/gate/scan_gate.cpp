#include "gate/scan_gate.h"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>

namespace tollgate::gate {

namespace {

using model::ScanSeverity;

constexpr ScanSeverity k_descending[] = {ScanSeverity::critical, ScanSeverity::high,  ScanSeverity::error,
                                         ScanSeverity::medium,   ScanSeverity::warning, ScanSeverity::low,
                                         ScanSeverity::note,     ScanSeverity::none};

size_t sum(const std::array<size_t, ScanTotals::k_severities>& a) { return std::accumulate(a.begin(), a.end(), size_t{0}); }

} // namespace

size_t ScanTotals::total_new() const { return sum(new_findings); }
size_t ScanTotals::total_unchanged() const { return sum(unchanged); }
size_t ScanTotals::total_fixed() const { return sum(fixed); }

size_t ScanTotals::at_rank(int rank) const {
  size_t n = 0;
  for (size_t s = 0; s < k_severities; ++s)
    if (model::severity_rank(static_cast<ScanSeverity>(s)) == rank) n += new_findings[s] + unchanged[s];
  return n;
}

ScanTotals count_scan(const std::vector<model::ScanFinding>& findings, const std::vector<model::ScanFinding>& fixed) {
  ScanTotals t;
  for (const auto& f : findings) {
    if (f.suppression != model::Suppression::none) {
      ++t.suppressed;
      continue;
    }
    if (!f.is_failure_kind()) {
      ++t.not_failures;
      continue;
    }
    auto& into = f.state == model::ScanState::unchanged ? t.unchanged : t.new_findings;
    ++into[static_cast<size_t>(f.severity)];
  }
  for (const auto& f : fixed)
    if (f.counts()) ++t.fixed[static_cast<size_t>(f.severity)];
  return t;
}

void order_for_showing(std::vector<const model::ScanFinding*>& findings) {
  constexpr size_t k_ranks = 5; // severity_rank: 0..4
  const auto bucket = [](const model::ScanFinding* f) {
    const size_t rank = static_cast<size_t>(std::clamp(model::severity_rank(f->severity), 0, static_cast<int>(k_ranks) - 1));
    return (f->on_changed_line ? 0 : k_ranks) + (k_ranks - 1 - rank);
  };
  std::array<size_t, 2 * k_ranks + 1> start{};
  for (const auto* f : findings) ++start[bucket(f) + 1];
  for (size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<const model::ScanFinding*> ordered(findings.size());
  for (const auto* f : findings) ordered[start[bucket(f)]++] = f;
  findings = std::move(ordered);
}

bool judged(const model::ScanFinding& f, bool new_only) {
  return f.counts() && !(new_only && f.state == model::ScanState::unchanged);
}

std::vector<model::Gate> decide_scan(const std::vector<model::ScanFinding>& findings, const ScanGateOptions& options) {
  std::vector<model::Gate> gates;
  const char* scope = options.new_only ? "new " : "";
  if (!options.fail_never) {
    const int rank = model::severity_rank(options.fail_on);
    size_t failing = 0;
    for (const auto& f : findings)
      if (judged(f, options.new_only) && model::severity_rank(f.severity) >= rank) ++failing;
    model::Gate g;
    g.name = k_gate_severity;
    g.threshold = 0;
    g.actual = static_cast<double>(failing);
    g.passed = failing == 0;
    g.detail = fmt::format("{} {}finding(s) at {} or above (--fail-on {})", failing, scope,
                           model::to_string(options.fail_on), model::to_string(options.fail_on));
    gates.push_back(std::move(g));
  }
  if (options.max_findings) {
    size_t judged_count = 0;
    for (const auto& f : findings)
      if (judged(f, options.new_only) && model::severity_rank(f.severity) > 0) ++judged_count;
    model::Gate g;
    g.name = k_gate_max_findings;
    g.threshold = static_cast<double>(*options.max_findings);
    g.actual = static_cast<double>(judged_count);
    g.passed = judged_count <= *options.max_findings;
    g.detail = fmt::format("{} {}finding(s), at most {} allowed", judged_count, scope, *options.max_findings);
    gates.push_back(std::move(g));
  }
  if (options.incomplete_runs > 0) {
    model::Gate g;
    g.name = k_gate_complete;
    g.threshold = 0;
    g.actual = static_cast<double>(options.incomplete_runs);
    g.passed = false;
    g.detail = fmt::format("{} run(s) say the tool did not finish (results absent or null, or executionSuccessful "
                           "false): their findings are unknown",
                           options.incomplete_runs);
    gates.push_back(std::move(g));
  }
  return gates;
}

std::string scan_title(const ScanTotals& totals, bool has_baseline, const std::vector<model::Gate>& gates) {
  std::vector<std::string> parts;
  for (const auto& g : gates)
    if (!g.passed && g.name == k_gate_complete) parts.push_back(fmt::format("{} scanner run(s) incomplete", g.actual));
  std::string counts;
  const char* word = has_baseline ? "new " : "";
  for (const ScanSeverity s : k_descending) {
    const size_t n = totals.new_findings[static_cast<size_t>(s)];
    if (n == 0) continue;
    // Level "none": a finding without a severity (it fails no --fail-on).
    const std::string label = s == ScanSeverity::none ? "without severity" : model::to_string(s);
    counts += fmt::format("{}{} {}{}", counts.empty() ? "" : ", ", n, word, label);
  }
  if (counts.empty()) counts = has_baseline ? "no new findings" : "no findings";
  parts.push_back(counts);
  if (has_baseline && totals.total_unchanged() > 0) parts.push_back(fmt::format("{} unchanged", totals.total_unchanged()));
  if (totals.total_fixed() > 0) parts.push_back(fmt::format("{} fixed", totals.total_fixed()));
  if (totals.suppressed > 0) parts.push_back(fmt::format("{} suppressed", totals.suppressed));
  std::string title;
  for (const auto& p : parts) title += (title.empty() ? "" : " · ") + p;
  return title;
}

} // namespace tollgate::gate
