#pragma once
// Huge pages for the heap that a run's LHRs are read into. On a hundred LHRs the runs' audits,
// ids and titles fill about 8 MB of small allocations, and with base pages each 4 KiB of them
// was a page fault: on this kind of virtual machine the fault path, not parsing, was the largest
// part of the CPU time (docs/lighthouse.md, "Speed").
#include <cstddef>

namespace tollgate::command {

// Grows the malloc heap once by about `bytes` and advises transparent huge pages over the new
// part, so that what is allocated next is faulted in 2 MiB at a time. Advice only: where the
// kernel offers no huge pages, or the C library is not glibc, nothing changes but the heap's
// growth step. Called once, before the LHRs are read; the process exits soon after.
void reserve_huge_heap(size_t bytes);

} // namespace tollgate::command
