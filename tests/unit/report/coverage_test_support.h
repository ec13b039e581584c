#pragma once
// Loading the reports under tests/data/coverage and summing what they measured.
#include "model/coverage.h"
#include "report/coverage_report.h"
#include "util/files.h"

#include <doctest/doctest.h>
#include <string>

namespace tollgate::testing {

inline std::string coverage_data(const std::string& name) {
  auto bytes = util::read_file(std::string(TOLLGATE_TEST_DATA) + "/coverage/" + name);
  REQUIRE_MESSAGE(bytes.has_value(), name);
  return std::move(bytes.value());
}

inline model::CoverageCounts totals_of(const model::CoverageReport& report) {
  model::CoverageCounts c;
  for (const auto& f : report.files)
    c += model::count_coverage(f);
  return c;
}

inline const model::FileCoverage& file_named(const model::CoverageReport& report,
                                             const std::string& path) {
  for (const auto& f : report.files)
    if (f.path == path) return f;
  FAIL("no file " << path);
  return report.files.front();
}

inline uint32_t hits_at(const model::FileCoverage& file, uint32_t line) {
  const auto* h = file.find_line(line);
  REQUIRE_MESSAGE(h != nullptr, "line " << line << " is not executable");
  return h->hits;
}

} // namespace tollgate::testing
