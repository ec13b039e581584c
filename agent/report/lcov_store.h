#pragma once
// What the LCOV parser appends to while it reads, before the entries become files: every DA and
// BRDA of a part in two flat arrays, and the SF records as segments of them. One array a part
// instead of one vector a file: no vector grows (a vector doubling copies itself and touches
// twice its size in fresh pages), and the arrays live on huge pages. assemble_lcov then gives
// each file vectors of the exact size, on the heap huge pages were reserved for
// (util/huge_heap.h), and hands each array's pages back as it goes, so the peak stays about the
// model's size (docs/performance.md, "LCOV").
#include "model/coverage.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tollgate::report {

// A growable array of bytes: malloc while small (tests and fuzzing parse thousands of tiny
// inputs), then a mapping of its own with huge pages advised, grown without copying (mremap).
class LcovBytes {
public:
  LcovBytes() = default;
  ~LcovBytes();
  LcovBytes(LcovBytes&& other) noexcept;
  LcovBytes& operator=(LcovBytes&& other) noexcept;

  char* data() const { return m_data; }
  size_t capacity() const { return m_capacity; }
  // Room for at least `bytes`; keeps the contents. Throws std::bad_alloc.
  void grow(size_t bytes);
  // The pages wholly before `bytes` are no longer needed (read from for the last time).
  void release_before(size_t bytes);

private:
  char* m_data = nullptr;
  size_t m_capacity = 0;
  size_t m_released = 0; // bytes at the start already handed back
  bool m_mapped = false;
};

template <class T>
class LcovArray {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  LcovArray() = default;
  LcovArray(LcovArray&& other) noexcept
      : m_bytes(std::move(other.m_bytes)), m_size(std::exchange(other.m_size, 0)),
        m_capacity(std::exchange(other.m_capacity, 0)) {}
  LcovArray& operator=(LcovArray&& other) noexcept {
    m_bytes = std::move(other.m_bytes);
    m_size = std::exchange(other.m_size, 0);
    m_capacity = std::exchange(other.m_capacity, 0);
    return *this;
  }

  void push_back(const T& value) {
    if (m_size == m_capacity) {
      m_bytes.grow((m_size + 1) * sizeof(T));
      m_capacity = m_bytes.capacity() / sizeof(T);
    }
    std::memcpy(m_bytes.data() + m_size * sizeof(T), &value, sizeof(T));
    ++m_size;
  }
  size_t size() const { return m_size; }
  const T* data() const { return reinterpret_cast<const T*>(m_bytes.data()); }
  void release_before(size_t index) { m_bytes.release_before(index * sizeof(T)); }

private:
  LcovBytes m_bytes;
  size_t m_size = 0, m_capacity = 0;
};

// One SF record: its entries run from these indexes to the next segment's (or the arrays' end).
struct LcovSegment {
  uint32_t file; // index into LcovPart::paths
  size_t lines_begin;
  size_t branches_begin;
};

// One part's parse (LcovChunkParser::take_part): files in order of first appearance.
struct LcovPart {
  std::vector<std::string> paths;
  std::vector<LcovSegment> segments;
  LcovArray<model::LineHits> lines;
  LcovArray<model::BranchHits> branches;
};

// The report of consecutive parts, exactly as one pass over them all gives it: files in order of
// first appearance, entries summed per line and branch, normalized. Consumes the parts.
model::CoverageReport assemble_lcov(std::vector<LcovPart>& parts);

} // namespace tollgate::report
