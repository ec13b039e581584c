#pragma once
// When to retry a request, and how long to wait first: a pure function of the response, the
// attempt number and the clock, so every branch is unit-tested with a fake clock.
#include <cstdint>
#include <string>

#include "github/http.h"

namespace tollgate::github {

struct RetryPolicy {
  int max_attempts = 8;
  int64_t base_delay_ms = 500;   // first backoff; doubles per attempt
  int64_t max_delay_ms = 30000;  // backoff cap
  int64_t budget_ms = 300000;    // total time for one logical request, waits included
  // GitHub's docs: after a secondary rate limit without retry-after, wait at least a minute.
  int64_t secondary_limit_default_wait_ms = 60000;
};

struct RetryDecision {
  bool retry = false;
  int64_t wait_ms = 0;
  // The failure could have happened after GitHub applied a write (5xx, timeout, reset): before
  // re-sending a create, look for what it may have created.
  bool may_have_applied = false;
  std::string reason; // for the log and for the final error
};

// attempt: how many attempts have been made (1 after the first). elapsed_ms: time since the
// first attempt. jitter: uniform in [0, 1).
RetryDecision decide_retry(const RetryPolicy& policy, int attempt, const HttpResponse& response,
                           int64_t elapsed_ms, int64_t now_epoch_seconds, double jitter);

// A 403/429 that is a rate limit (primary or secondary), as opposed to a permission error.
bool is_rate_limited(const HttpResponse& response);

} // namespace tollgate::github
