#pragma once
// Time behind an interface so retry and backoff decisions are tested with a fake clock.
#include <cstdint>

namespace tollgate::util {

class Clock {
public:
  virtual ~Clock() = default;
  // Monotonic milliseconds, for elapsed time and budgets.
  virtual int64_t now_ms() = 0;
  // Wall-clock seconds since the epoch, for x-ratelimit-reset.
  virtual int64_t epoch_seconds() = 0;
  virtual void sleep_ms(int64_t ms) = 0;
};

class SystemClock final : public Clock {
public:
  int64_t now_ms() override;
  int64_t epoch_seconds() override;
  void sleep_ms(int64_t ms) override;
};

} // namespace tollgate::util
