#pragma once
// `tollgate release --require … --wait D`: read the commit's checks until every required one has
// settled or the wait is over. Bounded: at most `wait_ms` of sleeping through util::Clock (tests
// use a fake one), one read at the start and one after each sleep.
#include "gate/release_checks.h"
#include "util/clock.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tollgate::command {

// Between two reads of the checks: each read is two or more requests, and a GITHUB_TOKEN has
// 1,000 requests an hour per repository
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api); 15 s keeps a
// 10-minute wait at about 80 requests.
constexpr int64_t k_release_poll_interval_ms = 15000;

struct RequiredWait {
  std::vector<gate::CommitCheck> checks;      // as last read
  std::vector<gate::RequiredResult> required; // their verdict
  int reads = 0;
  int64_t waited_ms = 0;
  bool ran_out = false; // the wait ended with a required check still missing or pending
};

using ReadChecks = std::function<std::vector<gate::CommitCheck>()>;

RequiredWait wait_for_required(util::Clock& clock, int64_t wait_ms, int64_t interval_ms,
                               const std::vector<std::string>& patterns, const ReadChecks& read);

} // namespace tollgate::command
