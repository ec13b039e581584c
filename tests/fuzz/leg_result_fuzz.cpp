// Differential libFuzzer target: a leg result's coverage data, read on its way from the parser
// (report/leg_result.cpp), must read as the checks on the whole document's tree read it — the
// same files, the same error about coverage_data, or the same JSON error at the same line and
// column (tests/unit/report/leg_result_test_support.h). And the leg read from a file in chunks
// (read_leg_result_file; the first byte picks the chunk size, 1-64 bytes) must be the leg
// parse_leg_result reads from the same bytes, read exactly when parse_leg_result reads one.
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
  const size_t chunk = size == 0 ? 1 : 1 + data[0] % 64;
  if (!tollgate::testing::leg_file_agrees(bytes, chunk, why))
    tollgate::fuzz::fail("the leg read in chunks differs from the leg read whole", why);
  return 0;
}
