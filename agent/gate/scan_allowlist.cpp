#include "gate/scan_allowlist.h"

#include "util/files.h"

namespace tollgate::gate {

namespace {

bool matches(const ScanAllowEntry& e, const model::ScanFinding& f) {
  if (e.rule != f.rule_id) return false;
  if (e.path.empty()) return true;
  return !f.path.empty() && util::glob_match(e.path, f.path);
}

} // namespace

std::vector<ScanAllowUse> apply_allowlist(std::vector<model::ScanFinding>& findings,
                                          const std::vector<ScanAllowEntry>& entries, const std::string& today) {
  std::vector<ScanAllowUse> uses(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    uses[i].entry = &entries[i];
    // ISO dates compare as text.
    uses[i].expired = entries[i].expires < today;
  }
  for (auto& f : findings) {
    if (f.suppression != model::Suppression::none || !f.is_failure_kind()) continue;
    for (auto& use : uses) {
      if (!matches(*use.entry, f)) continue;
      if (use.expired) {
        ++use.would_suppress;
        continue;
      }
      ++use.suppressed;
      f.suppression = model::Suppression::allowlist;
      f.suppression_reason = use.entry->reason;
      break;
    }
  }
  return uses;
}

bool is_calendar_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  const int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2)), day = std::stoi(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= days[month - 1];
}

} // namespace tollgate::gate
