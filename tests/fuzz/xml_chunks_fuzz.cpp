// Differential libFuzzer target: XML reports read in windows (report/xml_stream.h, cut between
// nodes wherever the window size falls) must give exactly what the whole-document readers give
// — the same test cases or coverage, or the same error at the same line and column. The first
// byte picks the window size (1–256 bytes), the second the reader: a test report, or coverage
// detected or forced to Cobertura, Clover or JaCoCo.
#include "../unit/report/xml_stream_test_support.h"
#include "fuzz_checks.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tollgate;
  if (size < 2) return 0;
  const size_t window = size_t{data[0]} + 1;
  const unsigned reader = data[1] % 5;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::string whole, streamed;
  if (reader == 0) {
    whole = testing::describe(report::parse_test_report_whole(bytes));
    streamed = testing::describe(testing::stream_test_report(bytes, window));
  } else {
    const std::string_view forced = reader == 1   ? ""
                                    : reader == 2 ? "cobertura"
                                    : reader == 3 ? "clover"
                                                  : "jacoco";
    whole = testing::describe(report::parse_xml_coverage_whole(bytes, forced));
    streamed = testing::describe(testing::stream_coverage(bytes, forced, window));
  }
  if (whole != streamed)
    fuzz::fail("the streamed reader differs from the whole-document one",
               streamed + "\n--- whole:\n" + whole);
  return 0;
}
