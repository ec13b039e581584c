#include "gate/merge_scan.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <unordered_map>

namespace tollgate::gate {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ghsa_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "CVE-YYYY-NNNN…" (4+ digits) at `at`, case-insensitive; its length or 0.
size_t cve_at(std::string_view s, size_t at) {
  if (s.size() - at < 13 || upper(s.substr(at, 4)) != "CVE-") return 0;
  size_t i = at + 4;
  for (size_t k = 0; k < 4; ++k, ++i)
    if (!is_digit(s[i])) return 0;
  if (s[i++] != '-') return 0;
  const size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i - start >= 4 ? i - at : 0;
}

// "GHSA-xxxx-xxxx-xxxx" at `at`; its length or 0.
size_t ghsa_at(std::string_view s, size_t at) {
  constexpr size_t k_length = 19;
  if (s.size() - at < k_length || upper(s.substr(at, 5)) != "GHSA-") return 0;
  for (size_t k = 5; k < k_length; ++k) {
    const char c = s[at + k];
    if ((k == 9 || k == 14) ? c != '-' : !is_ghsa_char(c)) return 0;
  }
  return k_length;
}

bool word_boundary(std::string_view s, size_t at) { return at == 0 || !is_ghsa_char(s[at - 1]); }

int state_rank(model::ScanState s) {
  switch (s) {
  case model::ScanState::new_finding: return 3;
  case model::ScanState::unchanged: return 2;
  case model::ScanState::unknown: return 1;
  case model::ScanState::fixed: return 0;
  }
  return 0;
}

bool present(const model::ScanFinding& f) { return f.state != model::ScanState::fixed; }

} // namespace

std::string advisory_id(std::string_view rule_id) {
  for (size_t i = 0; i < rule_id.size(); ++i) {
    if (!word_boundary(rule_id, i)) continue;
    if (size_t n = cve_at(rule_id, i)) return upper(rule_id.substr(i, n));
    if (size_t n = ghsa_at(rule_id, i)) return upper(rule_id.substr(i, n));
  }
  return "";
}

std::string scan_fold_key(const model::ScanFinding& f) {
  // '\x1f' (unit separator) cannot occur in the parts: they are bounded text from the reader, and
  // a control character in a rule id or path is kept as is but cannot make two keys collide
  // unless both parts are equal.
  const std::string advisory = advisory_id(f.rule_id);
  const util::Interned where = f.path.empty() ? f.uri : f.path;
  if (!advisory.empty()) return fmt::format("A\x1f{}\x1f{}\x1f{}", advisory, f.path.empty() ? "U" : "P", where);
  const std::string place = !f.context_hash.empty() ? "h" + std::string(f.context_hash.view()) : "l" + std::to_string(f.start_line);
  return fmt::format("R\x1f{}\x1f{}\x1f{}\x1f{}", f.rule_id, f.path.empty() ? "U" : "P", where, place);
}

std::vector<FoldedScanFinding> fold_scan_findings(const std::vector<model::LegResult>& legs) {
  std::vector<FoldedScanFinding> folded;
  std::unordered_map<std::string, size_t> index;
  std::unordered_map<std::string, bool> all_suppressed;
  for (const auto& leg : legs) {
    if (!leg.scan) continue;
    const std::string& leg_name = leg.check_name.empty() ? leg.source : leg.check_name;
    std::vector<const model::ScanFinding*> reports;
    for (const auto& f : leg.scan->findings) reports.push_back(&f);
    std::vector<model::ScanFinding> fixed = leg.scan->fixed; // what the leg's baseline had and its head has not
    for (auto& f : fixed) f.state = model::ScanState::fixed;
    for (const auto& f : fixed) reports.push_back(&f);
    for (const auto* report : reports) {
      const model::ScanFinding& f = *report;
      const std::string key = scan_fold_key(f);
      auto [it, inserted] = index.try_emplace(key, folded.size());
      if (inserted) {
        folded.push_back({f, {{f.tool.str(), leg_name}}});
        all_suppressed[key] = f.suppression != model::Suppression::none;
        continue;
      }
      auto& into = folded[it->second];
      auto& kept = into.finding;
      const ScanReporter who{f.tool.str(), leg_name};
      if (std::find(into.reporters.begin(), into.reporters.end(), who) == into.reporters.end())
        into.reporters.push_back(who);
      all_suppressed[key] = all_suppressed[key] && f.suppression != model::Suppression::none;
      const auto state = state_rank(f.state) > state_rank(kept.state) ? f.state : kept.state;
      const bool changed = kept.on_changed_line || f.on_changed_line;
      // A report that still counts outranks a suppressed one; then the more severe one.
      const bool f_counts = f.suppression == model::Suppression::none && present(f);
      const bool kept_counts = kept.suppression == model::Suppression::none && present(kept);
      if ((f_counts && !kept_counts) ||
          (f_counts == kept_counts && model::severity_rank(f.severity) > model::severity_rank(kept.severity))) {
        kept = f;
      }
      kept.state = state;
      kept.on_changed_line = changed;
    }
  }
  for (auto& f : folded) {
    if (!all_suppressed[scan_fold_key(f.finding)]) {
      f.finding.suppression = model::Suppression::none;
      f.finding.suppression_reason.clear();
    }
  }
  std::stable_sort(folded.begin(), folded.end(), [](const FoldedScanFinding& a, const FoldedScanFinding& b) {
    if (present(a.finding) != present(b.finding)) return present(a.finding);
    return model::severity_rank(a.finding.severity) > model::severity_rank(b.finding.severity);
  });
  return folded;
}

void split_folded(const std::vector<FoldedScanFinding>& folded, std::vector<model::ScanFinding>& present,
                  std::vector<model::ScanFinding>& fixed) {
  for (const auto& s : folded) (s.finding.state == model::ScanState::fixed ? fixed : present).push_back(s.finding);
}

ScanTotals scan_fold_totals(const std::vector<FoldedScanFinding>& folded) {
  std::vector<model::ScanFinding> present, fixed;
  split_folded(folded, present, fixed);
  return count_scan(present, fixed);
}

std::string scan_fold_title(const std::vector<FoldedScanFinding>& folded, bool has_baseline) {
  return "Security: " + scan_title(scan_fold_totals(folded), has_baseline, {});
}

} // namespace tollgate::gate
