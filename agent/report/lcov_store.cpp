#include "report/lcov_store.h"

#include "util/huge_heap.h"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <string_view>
#include <sys/mman.h>
#include <unordered_map>
#include <utility>

namespace tollgate::report {

namespace {

// Below this an array lives in malloc's memory: a mapping of its own and a huge page would cost
// more than the entries (our own figure: a few thousand lines of LCOV).
constexpr size_t k_map_from = size_t{64} << 10;
using util::k_huge_page;
// malloc's header and rounding per vector, and a path, per file: only sizes the reservation.
constexpr size_t k_bytes_per_file = 128;

size_t round_up(size_t bytes, size_t unit) {
  return (bytes + unit - 1) / unit * unit;
}

// A fresh mapping starting on a huge page boundary: the slack before it and after it is unmapped.
char* map_aligned(size_t bytes) {
  void* p = ::mmap(nullptr, bytes + k_huge_page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  char* const start = static_cast<char*>(p);
  char* const aligned = reinterpret_cast<char*>(round_up(reinterpret_cast<uintptr_t>(start), k_huge_page));
  if (aligned > start) ::munmap(start, static_cast<size_t>(aligned - start));
  if (const size_t tail = static_cast<size_t>(start + bytes + k_huge_page - (aligned + bytes)); tail)
    ::munmap(aligned + bytes, tail);
  util::advise_huge_pages(aligned, bytes);
  return aligned;
}

} // namespace

LcovBytes::~LcovBytes() {
  if (m_mapped) {
    ::munmap(m_data, m_capacity);
  } else {
    std::free(m_data);
  }
}

LcovBytes::LcovBytes(LcovBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_capacity(std::exchange(other.m_capacity, 0)),
      m_released(std::exchange(other.m_released, 0)), m_mapped(std::exchange(other.m_mapped, false)) {}

LcovBytes& LcovBytes::operator=(LcovBytes&& other) noexcept {
  if (this != &other) {
    LcovBytes gone(std::move(*this));
    m_data = std::exchange(other.m_data, nullptr);
    m_capacity = std::exchange(other.m_capacity, 0);
    m_released = std::exchange(other.m_released, 0);
    m_mapped = std::exchange(other.m_mapped, false);
  }
  return *this;
}

void LcovBytes::grow(size_t bytes) {
  if (bytes <= m_capacity) return;
  size_t wanted = std::max({bytes, 2 * m_capacity, size_t{4096}});
  if (!m_mapped && wanted < k_map_from) {
    void* p = std::realloc(m_data, wanted);
    if (!p) throw std::bad_alloc();
    m_data = static_cast<char*>(p);
    m_capacity = wanted;
    return;
  }
  wanted = round_up(wanted, k_huge_page);
  if (!m_mapped) {
    char* p = map_aligned(wanted);
    if (m_capacity) std::memcpy(p, m_data, m_capacity);
    std::free(m_data);
    m_data = p;
    m_mapped = true;
    m_capacity = wanted;
    return;
  }
#ifdef MREMAP_MAYMOVE
  // The pages move with their advice; nothing is copied.
  void* p = ::mremap(m_data, m_capacity, wanted, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) throw std::bad_alloc();
  m_data = static_cast<char*>(p);
#else
  char* p = map_aligned(wanted);
  std::memcpy(p, m_data, m_capacity);
  ::munmap(m_data, m_capacity);
  m_data = p;
#endif
  m_capacity = wanted;
}

void LcovBytes::release_before(size_t bytes) {
  if (!m_mapped) return;
  const size_t end = std::min(bytes, m_capacity) / k_huge_page * k_huge_page;
  if (end <= m_released) return;
  ::madvise(m_data + m_released, end - m_released, MADV_DONTNEED); // the pages read for the last time
  m_released = end;
}

model::CoverageReport assemble_lcov(std::vector<LcovPart>& parts) {
  model::CoverageReport report;
  report.format = "lcov";
  // Files in order of first appearance; each part's file indexes mapped to the report's.
  struct Total {
    size_t lines = 0, branches = 0, segments = 0;
    size_t part = 0, local = 0; // where its path first appears
  };
  std::vector<Total> totals;
  std::vector<std::vector<uint32_t>> to_report(parts.size());
  {
    std::unordered_map<std::string_view, uint32_t> index;
    for (size_t p = 0; p < parts.size(); ++p) {
      const auto& paths = parts[p].paths;
      to_report[p].resize(paths.size());
      for (size_t local = 0; local < paths.size(); ++local) {
        const auto [it, inserted] = index.try_emplace(paths[local], static_cast<uint32_t>(totals.size()));
        if (inserted) totals.push_back({.part = p, .local = local});
        to_report[p][local] = it->second;
      }
    }
  }
  size_t bytes = totals.size() * k_bytes_per_file;
  for (size_t p = 0; p < parts.size(); ++p) {
    const auto& segments = parts[p].segments;
    for (size_t k = 0; k < segments.size(); ++k) {
      const bool last = k + 1 == segments.size();
      Total& t = totals[to_report[p][segments[k].file]];
      const size_t lines = (last ? parts[p].lines.size() : segments[k + 1].lines_begin) - segments[k].lines_begin;
      const size_t branches =
          (last ? parts[p].branches.size() : segments[k + 1].branches_begin) - segments[k].branches_begin;
      t.lines += lines;
      t.branches += branches;
      ++t.segments;
      bytes += lines * sizeof(model::LineHits) + branches * sizeof(model::BranchHits);
    }
  }
  // Every vector below is allocated once, at its exact size, from the heap's reserved part.
  util::reserve_huge_heap(bytes); // nothing below util::k_min_huge_heap
  report.files.resize(totals.size());
  for (size_t f = 0; f < totals.size(); ++f)
    report.files[f].path = std::move(parts[totals[f].part].paths[totals[f].local]);
  for (size_t p = 0; p < parts.size(); ++p) {
    auto& part = parts[p];
    const auto& segments = part.segments;
    for (size_t k = 0; k < segments.size(); ++k) {
      const bool last = k + 1 == segments.size();
      const size_t lines_end = last ? part.lines.size() : segments[k + 1].lines_begin;
      const size_t branches_end = last ? part.branches.size() : segments[k + 1].branches_begin;
      const uint32_t f = to_report[p][segments[k].file];
      auto& file = report.files[f];
      // Allocated when first written to, not all at once: malloc's header on each would bring
      // in every huge page of the reserved part while the parts' arrays are still all there.
      if (file.lines.capacity() < totals[f].lines) file.lines.reserve(totals[f].lines);
      if (file.branches.capacity() < totals[f].branches) file.branches.reserve(totals[f].branches);
      file.lines.insert(file.lines.end(), part.lines.data() + segments[k].lines_begin,
                        part.lines.data() + lines_end);
      file.branches.insert(file.branches.end(), part.branches.data() + segments[k].branches_begin,
                           part.branches.data() + branches_end);
      // Sorted and summed while its entries are still in the cache.
      if (--totals[f].segments == 0) file.normalize();
      part.lines.release_before(lines_end);
      part.branches.release_before(branches_end);
    }
    part = LcovPart();
  }
  return report;
}

} // namespace tollgate::report
