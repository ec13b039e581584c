#include "util/huge_pages.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace tollgate::util {

namespace {

// Transparent huge pages are 2 MiB on x86-64 and arm64 with 4 KiB base pages.
constexpr uintptr_t k_huge_page = uintptr_t{2} << 20;
// Below a few huge pages a reservation saves little (our own figure).
constexpr size_t k_min_reserve = size_t{8} << 20;
// Each request that grows the heap stays under glibc's largest M_MMAP_THRESHOLD on 64-bit
// systems, 32 MiB (malloc.c, DEFAULT_MMAP_THRESHOLD_MAX), so that it is served by growing the
// heap rather than by a mapping of its own; a larger reservation is several such requests.
constexpr size_t k_piece = size_t{30} << 20;
constexpr size_t k_max_pieces = k_max_huge_heap / k_piece + 1;

} // namespace

void reserve_huge_heap(size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_MMAP_THRESHOLD)
  const size_t reserve = std::clamp(bytes, k_min_reserve, k_max_huge_heap);
  const size_t pieces = std::min((reserve + k_piece - 1) / k_piece, k_max_pieces);
  // The requests below are served from the heap (not mappings of their own), and freeing them
  // does not hand the reserved part back to the kernel.
  if (!mallopt(M_MMAP_THRESHOLD, static_cast<int>(k_piece + (size_t{1} << 20))) ||
      !mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(2 * pieces * k_piece, size_t{1} << 30))))
    return;
  // Requests larger than the heap's free top make malloc grow the heap, each right after the
  // last. Untouched: a page written inside the range before the advice (another request's
  // header) would leave its 2 MiB to base pages.
  const uintptr_t before = reinterpret_cast<uintptr_t>(sbrk(0));
  std::array<void*, k_max_pieces> probes{};
  size_t taken = 0;
  for (; taken < pieces; ++taken) {
    probes[taken] = std::malloc(k_piece);
    if (!probes[taken]) break;
    asm volatile("" : : "r"(probes[taken]) : "memory"); // used, so that the compiler keeps malloc and free
  }
  const uintptr_t after = reinterpret_cast<uintptr_t>(sbrk(0));
  for (size_t i = taken; i-- > 0;) std::free(probes[i]);
  // Back to glibc's default threshold (DEFAULT_MMAP_THRESHOLD, 128 KiB), now fixed.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  const uintptr_t begin = (before + k_huge_page - 1) & ~(k_huge_page - 1);
  const uintptr_t end = after & ~(k_huge_page - 1);
  if (after > before && begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only
#else
  (void)bytes;
#endif
}

void advise_huge_pages(const void* p, size_t bytes) {
#if defined(MADV_HUGEPAGE)
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + k_huge_page - 1) & ~(k_huge_page - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(k_huge_page - 1);
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE); // advice only
#else
  (void)p, (void)bytes;
#endif
}

} // namespace tollgate::util
