#include "github/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace tollgate::github {

namespace {

std::optional<int64_t> header_int(const HttpResponse& response, std::string_view name) {
  const auto v = response.header(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) return std::nullopt;
  return out;
}

bool mentions_secondary_limit(const HttpResponse& response) {
  return response.body.find("secondary rate limit") != std::string::npos ||
         response.body.find("abuse detection") != std::string::npos;
}

} // namespace

bool is_rate_limited(const HttpResponse& response) {
  if (response.status == 429) return true;
  if (response.status != 403) return false;
  return response.header("retry-after").has_value() || header_int(response, "x-ratelimit-remaining") == 0 ||
         mentions_secondary_limit(response);
}

RetryDecision decide_retry(const RetryPolicy& policy, int attempt, const HttpResponse& response,
                           int64_t elapsed_ms, int64_t now_epoch_seconds, double jitter) {
  RetryDecision d;
  const int64_t exp = std::min<int64_t>(policy.max_delay_ms, policy.base_delay_ms << std::min(attempt - 1, 20));
  // "Equal jitter": half the delay fixed, half random, so retries of parallel legs spread out.
  const int64_t backoff = exp / 2 + static_cast<int64_t>(jitter * static_cast<double>(exp / 2));

  if (response.status == 0) {
    d.retry = true;
    d.may_have_applied = true;
    d.wait_ms = backoff;
    d.reason = response.timed_out ? "timed out" : fmt::format("connection failed: {}", response.transport_error);
  } else if (response.status >= 500) {
    d.retry = true;
    d.may_have_applied = true;
    d.wait_ms = backoff;
    d.reason = fmt::format("HTTP {}", response.status);
  } else if (is_rate_limited(response)) {
    d.retry = true;
    d.reason = fmt::format("rate limited (HTTP {})", response.status);
    if (const auto after = header_int(response, "retry-after")) {
      d.wait_ms = std::max<int64_t>(0, *after) * 1000;
    } else if (header_int(response, "x-ratelimit-remaining") == 0) {
      const auto reset = header_int(response, "x-ratelimit-reset").value_or(now_epoch_seconds + 60);
      d.wait_ms = std::max<int64_t>(0, reset - now_epoch_seconds) * 1000 + 1000;
    } else if (mentions_secondary_limit(response)) {
      d.wait_ms = std::max(policy.secondary_limit_default_wait_ms, backoff);
    } else {
      d.wait_ms = backoff;
    }
  } else {
    d.reason = fmt::format("HTTP {}", response.status);
    return d; // other 4xx: retrying sends the same mistake again
  }

  if (attempt >= policy.max_attempts) {
    d.retry = false;
    d.reason += fmt::format("; gave up after {} attempts", attempt);
  } else if (elapsed_ms + d.wait_ms > policy.budget_ms) {
    d.retry = false;
    d.reason += fmt::format("; waiting {} ms more would pass the {} s budget", d.wait_ms, policy.budget_ms / 1000);
  }
  return d;
}

} // namespace tollgate::github
