#pragma once
// Loading the reports under tests/data/tests for the report:: tests.
#include "report/test_report.h"
#include "util/files.h"

#include <doctest/doctest.h>
#include <string>

namespace tollgate::testing {

inline std::string report_data(const std::string& name) {
  auto bytes = util::read_file(std::string(TOLLGATE_TEST_DATA) + "/tests/" + name);
  REQUIRE_MESSAGE(bytes.has_value(), name);
  return std::move(bytes.value());
}

// Parses a file from tests/data/tests; fails the test when it does not parse.
inline model::TestRun parse_data(const std::string& name, std::string_view format = "") {
  auto run = report::parse_test_report(report_data(name), format);
  REQUIRE_MESSAGE(run.has_value(), name << ": " << (run ? "" : run.error().message));
  return std::move(run.value());
}

} // namespace tollgate::testing
