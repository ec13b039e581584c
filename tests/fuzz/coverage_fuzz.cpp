// libFuzzer target for every coverage parser: the first byte picks the format (or detection).
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DTOLLGATE_FUZZ=ON && cmake --build
//   build-fuzz build-fuzz/coverage_fuzz -max_len=65536 tests/data/coverage
// The file paths a report names reach the summaries and the log (a refused path is listed, an
// error quotes it): each goes through the escapers and the log filter (tests/fuzz/fuzz_checks.h).
#include "report/coverage_report.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* k_formats[] = {"",         "lcov",       "cobertura", "jacoco",
                                              "istanbul", "coveragepy", "go",        "clover"};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto parsed = tollgate::report::parse_coverage(bytes, k_formats[data[0] % 8]);
  if (!parsed) {
    tollgate::fuzz::check_log("tollgate: error: " + parsed.error().message + "\n");
    return 0;
  }
  for (const auto& file : parsed->files) {
    tollgate::fuzz::check_escapes(file.path);
    tollgate::fuzz::check_log("tollgate: " + file.path + ": not in the repository\n");
  }
  return 0;
}
