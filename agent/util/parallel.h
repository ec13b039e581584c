#pragma once
// Independent work items spread over the machine's cores (a runner has two to four): the caller's
// thread and up to max_threads − 1 more take indices from a shared counter. The result is the
// same as a loop: each index runs once, and when items throw, the exception of the lowest index
// is rethrown after every thread has finished, as a loop stopping at the first failure would
// report it.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tollgate::util {

template <class F>
void parallel_for(size_t n, F&& f, unsigned max_threads = 4) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t workers = std::min<size_t>({n, cores, std::max(1u, max_threads)});
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  size_t failed_index = n;
  std::exception_ptr failure;
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        f(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (i < failed_index) {
          failed_index = i;
          failure = std::current_exception();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  try {
    for (size_t t = 1; t < workers; ++t)
      threads.emplace_back(work);
  } catch (...) {
    // No thread to spare: the ones started finish the items; none is left unjoined.
  }
  work();
  for (auto& t : threads)
    t.join();
  if (failure) std::rethrow_exception(failure);
}

} // namespace tollgate::util
