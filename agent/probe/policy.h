#pragma once
// The analysis policy of one probe as a pure state machine: it is told when samples start and
// how they ended, and answers when the next sample is due and what the verdict is. No I/O and
// no clock of its own (times are passed in), so every decision is unit-tested with a fake clock.
// The semantics follow Argo Rollouts' analysis (initialDelay, interval, count, failureLimit,
// consecutiveErrorLimit, consecutiveSuccessLimit).
#include <cstdint>
#include <optional>
#include <string>

namespace tollgate::probe {

struct AnalysisPolicy {
  int64_t initial_delay_ms = 0;      // before the first sample
  int64_t interval_ms = 1000;        // between the starts of consecutive samples
  int count = 3;                     // samples at most
  int64_t timeout_ms = 10000;        // per sample (all redirect hops included)
  int failure_limit = 0;             // fails when failures exceed it
  int consecutive_error_limit = 4;   // fails when consecutive transport errors exceed it
  int consecutive_success_limit = 0; // > 0: passes (and stops) after this many successes in a row
  bool inconclusive_passes = false;  // --inconclusive pass
};

// success: the answer met every expectation. failure: an answer came but broke an expectation.
// error: no usable answer (refused, reset, timeout, DNS, TLS).
enum class SampleKind { success, failure, error };
enum class Verdict { running, passed, failed, inconclusive };

const char* to_string(SampleKind kind);
const char* to_string(Verdict verdict);

// Checks a policy for values that can never work; the message names the key.
std::optional<std::string> validate(const AnalysisPolicy& policy);

class Analysis {
public:
  Analysis(AnalysisPolicy policy, int64_t start_ms);

  // When the next sample should start; nothing while one is in flight or once decided.
  std::optional<int64_t> next_start_ms() const;
  void on_started(int64_t now_ms);
  void on_finished(SampleKind kind);

  Verdict verdict() const { return m_verdict; }
  // True when the verdict lets the step pass (inconclusive only with --inconclusive pass).
  bool passed() const;
  const std::string& reason() const { return m_reason; } // why it was decided, in words
  int samples() const { return m_samples; }
  int successes() const { return m_successes; }
  int failures() const { return m_failures; }
  int errors() const { return m_errors; }
  const AnalysisPolicy& policy() const { return m_policy; }

  // A verdict reached outside the sample loop (a latency percentile over its limit).
  void fail(std::string reason);

private:
  void decide();

  AnalysisPolicy m_policy;
  int64_t m_start_ms;
  std::optional<int64_t> m_last_start_ms;
  bool m_in_flight = false;
  int m_samples = 0, m_successes = 0, m_failures = 0, m_errors = 0;
  int m_consecutive_errors = 0, m_consecutive_successes = 0;
  Verdict m_verdict = Verdict::running;
  std::string m_reason;
};

} // namespace tollgate::probe
