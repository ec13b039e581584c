#include "report/lhr_file.h"

#include <algorithm>
#include <cstring>
#include <sys/mman.h>

#include "util/files.h"
#include "util/huge_heap.h"
#include "util/json.h"

namespace tollgate::report {

namespace {

// A mapping is rounded up to whole huge pages so that its last page can be a huge one too.
using util::k_huge_page;
// The first mapping holds any LHR Lighthouse writes (0.3–1 MB on real pages, tests/data/lighthouse).
constexpr size_t k_first_capacity = size_t{4} << 20;

} // namespace

LhrFileBuffer::~LhrFileBuffer() {
  if (m_data) ::munmap(m_data, m_capacity);
}

bool LhrFileBuffer::reserve(size_t bytes) {
  if (bytes <= m_capacity) return true;
  if (m_data) ::munmap(m_data, m_capacity);
  m_data = nullptr;
  m_capacity = 0;
  const size_t capacity = (std::max(bytes, k_first_capacity) + k_huge_page - 1) / k_huge_page * k_huge_page;
  void* p = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return false;
#ifdef MADV_HUGEPAGE
  ::madvise(p, capacity, MADV_HUGEPAGE); // advice only: without it, base pages
#endif
  m_data = static_cast<char*>(p);
  m_capacity = capacity;
  return true;
}

std::string_view LhrFileBuffer::read(const std::string& path, std::optional<std::string>& error) {
  error.reset();
  // FileReader opens only a regular file (a pipe opened twice would lose what its writer sent).
  {
    const util::FileReader file(path);
    const std::optional<size_t> size = file.regular_size();
    // One byte past the size shows a file that grew while read; util::read_file_into reads those.
    if (size && *size <= util::k_max_read_bytes && reserve(*size + 1 + util::k_simd_padding)) {
      const long n = file.read_at(m_data, *size + 1, 0);
      if (n >= 0 && static_cast<size_t>(n) == *size) {
        std::memset(m_data + *size, 0, util::k_simd_padding);
        return std::string_view(m_data, *size);
      }
    }
  }
  if ((error = util::read_file_into(path, m_fallback))) return {};
  return util::pad_for_simd(m_fallback);
}

} // namespace tollgate::report
