// libFuzzer target for every coverage parser: the first byte picks the format (or detection).
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DTOLLGATE_FUZZ=ON && cmake --build
//   build-fuzz build-fuzz/coverage_fuzz -max_len=65536 tests/data/coverage
#include "report/coverage_report.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* k_formats[] = {"",         "lcov",       "cobertura", "jacoco",
                                              "istanbul", "coveragepy", "go",        "clover"};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)tollgate::report::parse_coverage(bytes, k_formats[data[0] % 8]);
  return 0;
}
