#include "command/lighthouse_heap.h"

#include "util/huge_heap.h"

#include <algorithm>

namespace tollgate::command {

namespace {

// Bounds on the reservation: below a few huge pages it saves little (our own figure); about 200
// LHRs fit in the most, and what runs past it lives on base pages, as before.
constexpr size_t k_min_reserve = size_t{8} << 20;
constexpr size_t k_max_reserve = size_t{30} << 20;

} // namespace

void reserve_huge_heap(size_t bytes) {
  util::reserve_huge_heap(std::clamp(bytes, k_min_reserve, k_max_reserve));
}

} // namespace tollgate::command
