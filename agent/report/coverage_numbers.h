#pragma once
// Number handling every coverage parser shares: strict integers, the line-number rule, and a
// budget for formats that expand a count into entries (Cobertura's "(1/2)" branches, Go blocks
// spanning lines), so no number in a hostile file can make a parser allocate without bound.
#include "model/coverage.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace tollgate::report {

// Digits only (no sign, no spaces); values past 2^64 − 1 saturate. nullopt when not a number.
std::optional<uint64_t> parse_digits(std::string_view text);

// A hit count: digits, or a negative number (gcov has emitted −1 for counters it lost), which
// counts as 0. nullopt when not an integer.
std::optional<uint64_t> parse_hit_count(std::string_view text);

// A branch id as LCOV (BRDA block and branch) and Istanbul (branchMap keys) write it: the number
// when it is one, else a stable 32-bit hash (FNV-1a, top bit set: apart from small numbers), so
// lcov 2's "e3" blocks and expressions, and Istanbul's keys, merge with themselves.
uint32_t branch_id(std::string_view text);
// The same for a block: kept below model::k_first_reserved_block (the other schemes' blocks), so
// the Istanbul JSON and the LCOV file of one run name every branch alike.
uint32_t named_block_id(std::string_view text);
inline uint32_t fold_named_block(uint32_t id) {
  return id >= model::k_first_reserved_block ? id - 16 : id;
}

enum class LineNumber { ok, zero, out_of_range, invalid };

// The rule for line numbers in every format: 1..k_max_line is a line; 0 names no source line and
// the entry is skipped (some generators emit it for code without a location); negative, larger
// or non-numeric values are errors that the parser reports with the file's line and column.
LineNumber check_line(std::string_view text, uint32_t& line);
LineNumber check_line(uint64_t n, uint32_t& line); // the same rule for a number already read
const char* line_number_problem(LineNumber result); // "line number 0 …" wording for errors

// How many entries a parser may create from counts in the file: generous for real reports (at
// most about one per input byte) and a hard stop for hostile ones.
class ExpansionBudget {
public:
  explicit ExpansionBudget(size_t input_bytes, uint64_t per_byte = 2)
      : m_left(k_base + per_byte * static_cast<uint64_t>(input_bytes)) {}
  bool take(uint64_t n) {
    if (n > m_left) return false;
    m_left -= n;
    return true;
  }
  uint64_t left() const { return m_left; }

private:
  static constexpr uint64_t k_base = 1 << 20;
  uint64_t m_left;
};

} // namespace tollgate::report
