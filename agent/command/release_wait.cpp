#include "command/release_wait.h"

#include <algorithm>

namespace tollgate::command {

RequiredWait wait_for_required(util::Clock& clock, int64_t wait_ms, int64_t interval_ms,
                               const std::vector<std::string>& patterns, const ReadChecks& read) {
  RequiredWait w;
  const int64_t start = clock.now_ms();
  for (;;) {
    w.checks = read();
    ++w.reads;
    w.required = gate::evaluate_required(w.checks, patterns);
    w.waited_ms = clock.now_ms() - start;
    const int64_t left = wait_ms - w.waited_ms;
    if (!gate::worth_waiting(w.required)) return w;
    if (left <= 0) {
      w.ran_out = true;
      return w;
    }
    clock.sleep_ms(std::min(std::max<int64_t>(1, interval_ms), left));
  }
}

} // namespace tollgate::command
