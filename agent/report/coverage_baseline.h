#pragma once
// The baseline for --max-drop: a `tollgate coverage --json` (or `merge --json`) result from the
// base branch.
#include "util/error.h"
#include "util/expected.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

struct CoverageBaseline {
  std::optional<double> line_pct;   // nullopt: the base measured no executable lines (null)
  std::optional<double> branch_pct; // nullopt: no branch data (null)
  // files[].path → (lines, lines_covered): the per-file change of the impacted files. Empty for a
  // result without "files" (a merge result of legs without coverage data).
  struct FileCounts {
    uint64_t lines = 0, lines_covered = 0;
  };
  std::map<std::string, FileCounts> files;
};

// Reads totals.line_pct, totals.branch_pct and files[] (path, lines, lines_covered). A JSON result of another command, or one without
// totals, is an error that says so; a null percentage (nothing measured) is nullopt.
util::Expected<CoverageBaseline, util::ParseError> parse_coverage_baseline(std::string_view bytes);

} // namespace tollgate::report
