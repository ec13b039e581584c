#pragma once
// Transparent huge pages for memory a run fills once and keeps: on this kind of virtual machine a
// page fault costs more than parsing the bytes that fill the page, and with 4 KiB pages the first
// touch of a large heap was the largest part of the CPU time of Lighthouse (docs/lighthouse.md,
// "Speed") and of a 100 MB SARIF log (docs/performance.md, "scan"). Advice only: where the kernel
// offers no huge pages, or the C library is not glibc, nothing changes but the heap's growth step.
#include <cstddef>

namespace tollgate::util {

// Grows the malloc heap once by about `bytes` (at least 8 MiB, at most k_max_huge_heap) and
// advises transparent huge pages over the new part, so that what is allocated next is faulted in
// 2 MiB at a time; freed memory is kept for reuse rather than handed back and faulted in again.
// Called once, before a large input is read; the process exits soon after.
constexpr size_t k_max_huge_heap = size_t{1} << 30;
void reserve_huge_heap(size_t bytes);

// Advises transparent huge pages over the 2 MiB-aligned part of [p, p + bytes): a large buffer
// of its own mapping (a vector past glibc's mmap threshold) written afresh.
void advise_huge_pages(const void* p, size_t bytes);

} // namespace tollgate::util
