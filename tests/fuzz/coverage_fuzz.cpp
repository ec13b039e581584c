// libFuzzer target for every coverage parser: the first byte picks the format (or detection).
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DTOLLGATE_FUZZ=ON && cmake --build
//   build-fuzz build-fuzz/coverage_fuzz -max_len=65536 tests/data/coverage
// The file paths a report names reach the summaries and the log (a refused path is listed, an
// error quotes it): each goes through the escapers and the log filter (tests/fuzz/fuzz_checks.h).
// JSON is also read by the whole-document readers, which the streamed ones must agree with
// (report/coverage_json.h): the same report or the same error at the same place.
#include "report/coverage_json.h"
#include "report/coverage_report.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_checks.h"

namespace {

using Parsed = tollgate::util::Expected<tollgate::model::CoverageReport, tollgate::util::ParseError>;

bool same(const Parsed& a, const Parsed& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a)
    return a.error().message == b.error().message && a.error().line == b.error().line &&
           a.error().column == b.error().column;
  return a->format == b->format && a->source_roots == b->source_roots && a->files == b->files;
}

void check_streamed_json(std::string_view bytes, std::string_view forced) {
  if (forced != "" && forced != "istanbul" && forced != "coveragepy") return;
  if (!same(tollgate::report::parse_json_coverage(bytes, forced),
            tollgate::report::parse_json_coverage_whole(bytes, forced)))
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* k_formats[] = {"",         "lcov",       "cobertura", "jacoco",
                                              "istanbul", "coveragepy", "go",        "clover"};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_streamed_json(bytes, k_formats[data[0] % 8]);
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
