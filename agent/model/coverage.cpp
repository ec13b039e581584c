#include "model/coverage.h"

#include <algorithm>

namespace tollgate::model {

namespace {

// Function objects, not functions: passed as pointers they were called, not inlined, once per
// entry in normalize's check (a tenth of a 100 MB LCOV file's CPU time).
constexpr auto line_less = [](const LineHits& a, const LineHits& b) { return a.line < b.line; };

constexpr auto branch_less = [](const BranchHits& a, const BranchHits& b) {
  if (a.line != b.line) return a.line < b.line;
  if (a.block != b.block) return a.block < b.block;
  return a.branch < b.branch;
};

bool same_branch(const BranchHits& a, const BranchHits& b) {
  return a.line == b.line && a.block == b.block && a.branch == b.branch;
}

// Sorted input: folds runs of equal keys into one entry with the hits added.
template <class T, class Same>
void sum_adjacent(std::vector<T>& v, Same same) {
  if (v.empty()) return;
  size_t out = 0;
  for (size_t i = 1; i < v.size(); ++i) {
    if (same(v[out], v[i])) {
      v[out].hits = add_hits(v[out].hits, v[i].hits);
    } else {
      v[++out] = v[i];
    }
  }
  v.resize(out + 1);
}

template <class T, class Less, class Same>
void normalize_entries(std::vector<T>& v, Less less, Same same) {
  // Reports list each line once and in order almost always: one read-only pass proves it, and
  // only other input is sorted and folded.
  const auto strictly_increasing = [&] {
    for (size_t i = 1; i < v.size(); ++i)
      if (!less(v[i - 1], v[i])) return false;
    return true;
  };
  if (strictly_increasing()) return;
  // Two runs in order (coverage.py's executed lines, then its missing lines) are merged, which
  // is what the stable sort would make of them at a fraction of its cost.
  const auto run_end = std::is_sorted_until(v.begin(), v.end(), less);
  if (run_end != v.end()) {
    if (std::is_sorted(run_end, v.end(), less))
      std::inplace_merge(v.begin(), run_end, v.end(), less);
    else
      std::stable_sort(v.begin(), v.end(), less);
  }
  sum_adjacent(v, same);
}

template <class T, class Less, class Same>
void merge_entries(std::vector<T>& into, const std::vector<T>& from, Less less, Same same) {
  if (from.empty()) return;
  const auto middle = static_cast<std::ptrdiff_t>(into.size());
  into.insert(into.end(), from.begin(), from.end());
  std::inplace_merge(into.begin(), into.begin() + middle, into.end(), less);
  sum_adjacent(into, same);
}

} // namespace

void FileCoverage::normalize() {
  normalize_entries(lines, line_less,
                    [](const LineHits& a, const LineHits& b) { return a.line == b.line; });
  normalize_entries(branches, branch_less, same_branch);
}

void FileCoverage::merge(const FileCoverage& other) {
  merge_entries(lines, other.lines, line_less,
                [](const LineHits& a, const LineHits& b) { return a.line == b.line; });
  merge_entries(branches, other.branches, branch_less, same_branch);
}

const LineHits* FileCoverage::find_line(uint32_t line) const {
  const auto it = std::lower_bound(lines.begin(), lines.end(), LineHits{line, 0}, line_less);
  return it != lines.end() && it->line == line ? &*it : nullptr;
}

CoverageCounts& CoverageCounts::operator+=(const CoverageCounts& o) {
  lines += o.lines;
  lines_covered += o.lines_covered;
  branches += o.branches;
  branches_covered += o.branches_covered;
  return *this;
}

CoverageCounts count_coverage(const FileCoverage& file) {
  CoverageCounts c;
  c.lines = file.lines.size();
  for (const auto& l : file.lines)
    c.lines_covered += l.hits > 0;
  // Sorted by (line, block): a line's entries are consecutive, its schemes in the order of
  // their blocks (named, arc, counted).
  const auto& branches = file.branches;
  uint64_t line_total = 0, line_covered = 0;           // per line, the largest of the schemes
  uint64_t file_total[3] = {}, file_covered[3] = {};   // per scheme, over the file
  for (size_t i = 0; i < branches.size();) {
    const uint32_t line = branches[i].line;
    uint64_t total[3] = {}, covered[3] = {};
    for (; i < branches.size() && branches[i].line == line; ++i) {
      const auto scheme = static_cast<size_t>(scheme_of(branches[i].block));
      ++total[scheme];
      covered[scheme] += branches[i].hits > 0;
    }
    line_total += std::max({total[0], total[1], total[2]});
    line_covered += std::max({covered[0], covered[1], covered[2]});
    for (size_t s = 0; s < 3; ++s) {
      file_total[s] += total[s];
      file_covered[s] += covered[s];
    }
  }
  // Per line when one scheme has, on every line, at least as many branches as any other (the
  // reports agree where the branches are); otherwise they place the same branches on different
  // lines (coverage.py 6's LCOV writer puts them on the destination line, its XML on the source
  // line) and only the file's counts compare: the largest total and the largest covered.
  const uint64_t most = std::max({file_total[0], file_total[1], file_total[2]});
  if (line_total == most) {
    c.branches = line_total;
    c.branches_covered = line_covered;
  } else {
    c.branches = most;
    c.branches_covered = std::max({file_covered[0], file_covered[1], file_covered[2]});
  }
  return c;
}

} // namespace tollgate::model
