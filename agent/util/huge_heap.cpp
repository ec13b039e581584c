#include "util/huge_heap.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sys/mman.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tollgate::util {

namespace {

// glibc's defaults, restored after the probe (malloc.c: DEFAULT_MMAP_MAX, DEFAULT_MMAP_THRESHOLD).
constexpr int k_glibc_mmap_max = 65536;
constexpr int k_glibc_mmap_threshold = 128 * 1024;

} // namespace

void advise_huge_pages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + k_huge_page - 1) & ~(k_huge_page - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(k_huge_page - 1);
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only
#else
  (void)p, (void)bytes;
#endif
}

void reserve_huge_heap(size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_MMAP_MAX)
  if (bytes < k_min_huge_heap) return;
  const size_t reserve = std::min(bytes, k_max_huge_heap);
  // Freeing the probe below must not hand the reserved part back to the kernel; M_TRIM_THRESHOLD
  // also fixes the mmap threshold (no more dynamic adjustment), which the end sets to the default.
  if (!mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * reserve))) return;
  // With mmap off, the probe is served by growing the heap, whatever its size. Requests the
  // heap's free top can hold are served from it either way: mmap is malloc's fallback, not its
  // first choice, so what comes next lands in the reserved part.
  mallopt(M_MMAP_MAX, 0);
  // One request, untouched: a page written inside the range before the advice (a second
  // request's header) would leave its 2 MiB to base pages. The advice covers the request itself:
  // the heap's free top (which it starts in when earlier work left one) and what it grew by.
  void* probe = std::malloc(reserve);
  mallopt(M_MMAP_MAX, k_glibc_mmap_max);
  mallopt(M_MMAP_THRESHOLD, k_glibc_mmap_threshold);
  if (!probe) return;
  advise_huge_pages(probe, reserve);
  asm volatile("" : : "r"(probe) : "memory"); // used, so that the compiler keeps malloc and free
  std::free(probe);
#else
  (void)bytes;
#endif
}

} // namespace tollgate::util
