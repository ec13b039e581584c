#include "command/lighthouse_heap.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace tollgate::command {

namespace {

// Transparent huge pages are 2 MiB on x86-64 and arm64 with 4 KiB base pages.
constexpr uintptr_t k_huge_page = uintptr_t{2} << 20;
// Bounds on the reservation: below a few huge pages it saves little (our own figure); the most is
// under glibc's largest M_MMAP_THRESHOLD on 64-bit systems, 32 MiB (malloc.c,
// DEFAULT_MMAP_THRESHOLD_MAX), so that the one probe below is served by growing the heap. About
// 200 LHRs fit; what runs past it lives on base pages, as before.
constexpr size_t k_min_reserve = size_t{8} << 20;
constexpr size_t k_max_reserve = size_t{30} << 20;

} // namespace

void reserve_huge_heap(size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_MMAP_THRESHOLD)
  const size_t reserve = std::clamp(bytes, k_min_reserve, k_max_reserve);
  // The probe below is served from the heap (not a mapping of its own), and freeing it does not
  // hand the reserved part back to the kernel.
  if (!mallopt(M_MMAP_THRESHOLD, static_cast<int>(reserve + (size_t{1} << 20))) ||
      !mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * reserve)))
    return;
  // A request larger than the heap's free top makes malloc grow the heap. One request, untouched:
  // a page written inside the range before the advice (a second request's header) would leave
  // its 2 MiB to base pages.
  const uintptr_t before = reinterpret_cast<uintptr_t>(sbrk(0));
  void* probe = std::malloc(reserve);
  if (!probe) return;
  asm volatile("" : : "r"(probe) : "memory"); // used, so that the compiler keeps malloc and free
  const uintptr_t after = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(probe);
  // Back to glibc's default threshold (DEFAULT_MMAP_THRESHOLD, 128 KiB), now fixed.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  const uintptr_t begin = (before + k_huge_page - 1) & ~(k_huge_page - 1);
  const uintptr_t end = after & ~(k_huge_page - 1);
  if (after > before && begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only
#else
  (void)bytes;
#endif
}

} // namespace tollgate::command
