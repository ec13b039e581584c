#pragma once
// The config's allowlist (`scan.allow` in the Tollgate config, issue 16 item 4): a rule id, an
// optional path glob, a reason and an expiry date. Pure: the date of today is given.
#include <string>
#include <vector>

#include "model/scan.h"

namespace tollgate::gate {

struct ScanAllowEntry {
  std::string rule;    // a rule id, exact
  std::string path;    // a glob over repository paths ("" for any path, also findings without one)
  std::string reason;  // shown beside each finding it suppresses
  std::string expires; // YYYY-MM-DD: it suppresses through that day (UTC), not after
  std::string where;   // "tollgate.yml:12:5", for messages
};

struct ScanAllowUse {
  const ScanAllowEntry* entry = nullptr;
  size_t suppressed = 0;        // findings it suppressed
  size_t would_suppress = 0;    // expired: findings it matched and no longer suppresses
  bool expired = false;
};

// Suppresses each finding that counts and matches an entry that has not expired (the first such
// entry's reason); findings already suppressed by the SARIF log keep that. Returns one use per
// entry, in the config's order. today: YYYY-MM-DD (UTC).
std::vector<ScanAllowUse> apply_allowlist(std::vector<model::ScanFinding>& findings,
                                          const std::vector<ScanAllowEntry>& entries, const std::string& today);

// True when text is a date YYYY-MM-DD with a month 01-12 and a day that month has.
bool is_calendar_date(const std::string& text);

} // namespace tollgate::gate
