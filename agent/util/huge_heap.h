#pragma once
// Transparent huge pages for memory a run fills at once (the Lighthouse runs' audits, a large
// LCOV file's hit counts). On this kind of virtual machine a 4 KiB page fault costs about 6 µs,
// more than parsing the page's bytes: 100 MB touched on base pages is 0.3 s of CPU, on huge pages
// 0.01 s (docs/performance.md, "LCOV"). One helper for every caller (report/ and command/).
#include <cstddef>

namespace tollgate::util {

// The most the heap is grown by in one call: mallopt's thresholds are ints, and past this the
// memory is better left to base pages than reserved on a guess (our own bound).
inline constexpr size_t k_max_huge_heap = size_t{1} << 30;
// Less than this is not reserved: the heap's default growth step serves it, and a small run
// touches only a few pages (start-up stays a few milliseconds). Our own figure.
inline constexpr size_t k_min_huge_heap = size_t{4} << 20;
// The most a reader reserves for the model it fills (a coverage report's lines, a test report's
// failures): the streamed 1 GB bare JUnit file keeps about 230 MB (our own bound).
inline constexpr size_t k_max_model_heap = size_t{256} << 20;
// Transparent huge pages are 2 MiB on x86-64 and arm64 with 4 KiB base pages.
inline constexpr size_t k_huge_page = size_t{2} << 20;

// Grows the main malloc heap once by about `bytes` (at least k_min_huge_heap, or nothing is done;
// at most k_max_huge_heap) and advises huge
// pages over the new part, so that what the calling thread allocates next — it must be the main
// thread, whose arena is that heap — is faulted in 2 MiB at a time; the part is kept, not handed
// back to the kernel when freed. Advice only: where the kernel offers no huge pages, or the C
// library is not glibc, nothing changes but the heap's growth step.
void reserve_huge_heap(size_t bytes);

// Advises huge pages over the 2 MiB-aligned part of [p, p + bytes) (a mapping of one's own,
// before it is touched). Advice only.
void advise_huge_pages(const void* p, size_t bytes);

} // namespace tollgate::util
