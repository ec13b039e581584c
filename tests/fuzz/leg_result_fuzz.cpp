// Differential libFuzzer target: a leg result's coverage data, read on its way from the parser
// (report/leg_result.cpp), must read as the checks on the whole document's tree read it — the
// same files, the same error about coverage_data, or the same JSON error at the same line and
// column (tests/unit/report/leg_result_test_support.h).
#include "../unit/report/leg_result_test_support.h"
#include "fuzz_checks.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (!tollgate::testing::leg_coverage_agrees(bytes, why))
    tollgate::fuzz::fail("the streamed coverage data differs from the tree's", why);
  return 0;
}
