#pragma once
// Coverage as every format reduces to it: per file, the hit count of each executable line and of
// each branch. Compact (8 and 16 bytes an entry, no per-line strings) so a 100 MB LCOV file costs
// about its own size again, and shaped for merging: parsers append entries as they meet them and
// normalize() sorts and sums once, so repeated records, several reports and matrix legs all merge
// by concatenation.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tollgate::model {

// Largest line number accepted. Findings carry lines as int; nothing is ever allocated per line
// number, so a hostile 2^40 is refused by this bound, not by running out of memory.
inline constexpr uint64_t k_max_line = 0x7fffffff;

// Hit counts saturate at 2^32 − 1: every number Tollgate reports depends only on whether a line
// or branch ran, and 32 bits keep an entry at 8 bytes.
inline constexpr uint32_t k_max_hits = UINT32_MAX;
inline uint32_t saturate_hits(uint64_t hits) {
  return hits > k_max_hits ? k_max_hits : static_cast<uint32_t>(hits);
}
inline uint32_t add_hits(uint32_t a, uint32_t b) {
  return a > k_max_hits - b ? k_max_hits : a + b;
}

struct LineHits {
  uint32_t line;
  uint32_t hits;
  bool operator==(const LineHits&) const = default;
};

// One branch outcome. (block, branch) name it within its line, and the block also says which of
// three naming schemes the name comes from (BranchScheme): reports that name branches the same
// way merge branch by branch; reports of different schemes describe the same branches under
// different names, so a line's count is taken per scheme and the largest wins (count_coverage).
struct BranchHits {
  uint32_t line;
  uint32_t block;
  uint32_t branch;
  uint32_t hits;
  bool operator==(const BranchHits&) const = default;
};

// How a report names its branches, kept in the block field so it survives the --json
// coverage_data round trip and merges without a field of its own.
enum class BranchScheme {
  named,   // LCOV BRDA block numbers, Istanbul branchMap ids (Istanbul's LCOV writer uses the ids
           // of coverage-final.json, so the two name every branch the same way)
  arc,     // coverage.py arcs: branch = destination line
  counted, // formats that only count branches per line (Cobertura, JaCoCo, Clover, SonarQube):
           // numbered 0..n−1 with the covered ones first, so two such reports merged count
           // max(total) branches and max(covered) covered — the most that is provable
};
inline constexpr uint32_t k_arc_block = 0xFFFFFFFE;
inline constexpr uint32_t k_counted_block = 0xFFFFFFFF;
// Named block ids are below this; parsers fold larger ones into the named range.
inline constexpr uint32_t k_first_reserved_block = 0xFFFFFFF0;
inline BranchScheme scheme_of(uint32_t block) {
  if (block == k_counted_block) return BranchScheme::counted;
  if (block == k_arc_block) return BranchScheme::arc;
  return BranchScheme::named;
}

struct FileCoverage {
  std::string path;                 // as the report names it; repository-relative after resolution
  std::vector<LineHits> lines;      // normalized: sorted by line, one entry per line
  std::vector<BranchHits> branches; // normalized: sorted by (line, block, branch), unique

  // Sorts and sums entries for the same line or branch (hits add, saturating).
  void normalize();
  // Adds another file's coverage: hits add per line, a line is executable if either says so,
  // branches merge per (line, block, branch). Both must be normalized; the result is.
  void merge(const FileCoverage& other);
  // The entry for a line, or null when the line is not executable. Needs normalize().
  const LineHits* find_line(uint32_t line) const;

  bool operator==(const FileCoverage&) const = default;
};

struct CoverageReport {
  std::string format; // "lcov", "cobertura", "jacoco", "istanbul", "coveragepy", "go", "clover"
  std::vector<std::string>
      source_roots;                // Cobertura <sources>: roots the file names are relative to
  std::vector<FileCoverage> files; // normalized, one per path
};

struct CoverageCounts {
  uint64_t lines = 0;
  uint64_t lines_covered = 0;
  uint64_t branches = 0;
  uint64_t branches_covered = 0;

  // 0–100, full precision; 100 when there is nothing to cover.
  double line_pct() const {
    return lines ? 100.0 * static_cast<double>(lines_covered) / static_cast<double>(lines) : 100.0;
  }
  double branch_pct() const {
    return branches ? 100.0 * static_cast<double>(branches_covered) / static_cast<double>(branches)
                    : 100.0;
  }
  CoverageCounts& operator+=(const CoverageCounts& o);
};

// Lines: entries and entries with hits. Branches, per line: each scheme's count of entries and of
// entries with hits, and the line counts the largest of each (max over schemes of the totals,
// max of the covered) — when the schemes agree where the branches are (one scheme's count is the
// largest on every line). When they place branches on different lines, the file counts each
// scheme's totals over the file and takes the largest total and the largest covered. A run
// reported in several formats therefore counts as any one of them, and runs reported in one
// scheme (matrix legs) add up branch by branch.
CoverageCounts count_coverage(const FileCoverage& file);

// path (repository-relative) → sorted added line numbers: the same type as report::ChangedLines,
// named here so gate/ can take it without depending on report/.
using ChangedLineMap = std::map<std::string, std::vector<int>, std::less<>>;

} // namespace tollgate::model
