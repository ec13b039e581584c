#pragma once
// Where a failed test is annotated: the best location that can be proven (SPEC §3 tests).
#include <string>

#include "model/test_result.h"
#include "report/repo_paths.h"

namespace tollgate::report {

struct TestLocation {
  std::string path; // repository-relative; empty when nothing could be proven
  int line = 0;
  const char* source = "none"; // "frame", "attribute", "classname", "none"
};

// In order: a frame of the failure text that resolves to a repository file, preferring the
// test's own file; the file/line attributes; the file derived from the class name (line 1);
// otherwise nothing (the failure is shown in the summary only).
TestLocation locate_test_failure(const model::TestCase& test, const RepoPaths& paths);

// The test's own file in the repository, from its file attribute or its class name.
std::string test_file_of(const model::TestCase& test, const RepoPaths& paths);

} // namespace tollgate::report
