#include "probe/policy.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::probe {

const char* to_string(SampleKind kind) {
  switch (kind) {
  case SampleKind::success:
    return "success";
  case SampleKind::failure:
    return "failure";
  case SampleKind::error:
    return "error";
  }
  return "?";
}

const char* to_string(Verdict verdict) {
  switch (verdict) {
  case Verdict::running:
    return "running";
  case Verdict::passed:
    return "passed";
  case Verdict::failed:
    return "failed";
  case Verdict::inconclusive:
    return "inconclusive";
  }
  return "?";
}

std::optional<std::string> validate(const AnalysisPolicy& p) {
  if (p.count < 1) return "count must be at least 1";
  if (p.interval_ms < 0 || p.initial_delay_ms < 0) return "durations cannot be negative";
  if (p.timeout_ms < 1) return "timeout must be positive";
  if (p.failure_limit < 0) return "failure-limit cannot be negative";
  if (p.consecutive_error_limit < 0) return "consecutive-error-limit cannot be negative";
  if (p.consecutive_success_limit < 0) return "consecutive-success-limit cannot be negative";
  if (p.consecutive_success_limit > p.count)
    return fmt::format("consecutive-success-limit {} can never be reached with count {}",
                       p.consecutive_success_limit, p.count);
  return std::nullopt;
}

Analysis::Analysis(AnalysisPolicy policy, int64_t start_ms)
    : m_policy(policy), m_start_ms(start_ms) {}

std::optional<int64_t> Analysis::next_start_ms() const {
  if (m_verdict != Verdict::running || m_in_flight) return std::nullopt;
  if (!m_last_start_ms) return m_start_ms + m_policy.initial_delay_ms;
  return *m_last_start_ms + m_policy.interval_ms;
}

void Analysis::on_started(int64_t now_ms) {
  m_in_flight = true;
  m_last_start_ms = now_ms;
}

bool Analysis::passed() const {
  return m_verdict == Verdict::passed ||
         (m_verdict == Verdict::inconclusive && m_policy.inconclusive_passes);
}

void Analysis::on_finished(SampleKind kind) {
  m_in_flight = false;
  if (m_verdict != Verdict::running) return;
  ++m_samples;
  switch (kind) {
  case SampleKind::success:
    ++m_successes;
    ++m_consecutive_successes;
    m_consecutive_errors = 0;
    break;
  case SampleKind::failure:
    ++m_failures;
    m_consecutive_successes = 0;
    m_consecutive_errors = 0;
    break;
  case SampleKind::error:
    ++m_errors;
    ++m_consecutive_errors;
    m_consecutive_successes = 0;
    break;
  }
  decide();
}

void Analysis::decide() {
  const AnalysisPolicy& p = m_policy;
  if (m_failures > p.failure_limit) {
    m_verdict = Verdict::failed;
    m_reason = fmt::format("{} failure{} > failure-limit {}", m_failures,
                           m_failures == 1 ? "" : "s", p.failure_limit);
  } else if (m_consecutive_errors > p.consecutive_error_limit) {
    m_verdict = Verdict::failed;
    m_reason =
        fmt::format("{} consecutive error{} > consecutive-error-limit {}", m_consecutive_errors,
                    m_consecutive_errors == 1 ? "" : "s", p.consecutive_error_limit);
  } else if (p.consecutive_success_limit > 0 &&
             m_consecutive_successes >= p.consecutive_success_limit) {
    m_verdict = Verdict::passed;
    m_reason = fmt::format("{} consecutive successes reached consecutive-success-limit",
                           m_consecutive_successes);
  } else if (m_samples >= p.count) {
    if (p.consecutive_success_limit > 0) {
      m_verdict = Verdict::inconclusive;
      m_reason = fmt::format("count {} reached without {} consecutive successes", p.count,
                             p.consecutive_success_limit);
    } else if (m_successes == 0) {
      m_verdict = Verdict::inconclusive;
      m_reason = fmt::format("no sample of {} succeeded ({} error{})", m_samples, m_errors,
                             m_errors == 1 ? "" : "s");
    } else {
      m_verdict = Verdict::passed;
      m_reason = fmt::format("{} of {} samples succeeded", m_successes, m_samples);
    }
  }
}

void Analysis::fail(std::string reason) {
  m_verdict = Verdict::failed;
  m_reason = std::move(reason);
}

} // namespace tollgate::probe
