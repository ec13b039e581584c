#include <doctest/doctest.h>

#include "support/own_allocator.h"

#include <cstdlib>

#include "util/huge_heap.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace tollgate;

// glibc's own accounting of the main heap: what a reservation leaves free in it, and whether a
// large request after it is served from it or mapped on its own. Not under a sanitizer, whose
// allocator is not glibc's.
#if defined(__GLIBC__) && !defined(TOLLGATE_OWN_ALLOCATOR)
TEST_SUITE("util::huge_heap") {
  TEST_CASE("a reservation past 30 MiB grows the heap by all of it, and keeps it for what comes next") {
    constexpr size_t k_mib = size_t{1} << 20;
    util::reserve_huge_heap(96 * k_mib); // more than one request under glibc's 32 MiB mmap ceiling
    const struct mallinfo2 after = mallinfo2();
    // Free in the heap, not trimmed back (other tests may have left some free before).
    CHECK(after.fordblks >= 90 * k_mib);
    // A 64 MiB buffer (a findings vector) comes out of the reserved heap, not a mapping of its own.
    void* vector = std::malloc(64 * k_mib);
    REQUIRE(vector != nullptr);
    asm volatile("" : : "r"(vector) : "memory"); // used: the compiler keeps malloc and free
    CHECK(mallinfo2().hblkhd == after.hblkhd);
    std::free(vector);
  }
}
#endif
