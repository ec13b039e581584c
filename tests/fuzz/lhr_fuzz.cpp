// libFuzzer harness for the LHR reader (build with -DTOLLGATE_FUZZ=ON and clang). Differential:
// whatever the simdjson reader decides must be the RapidJSON reader's run, and parse_lhr must
// give that reader's run or error (report/lhr_simd.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../unit/support/lhr_compare.h"
#include "report/lhr.h"
#include "report/lhr_simd.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string buffer(bytes);
  const std::string_view padded = tollgate::util::pad_for_simd(buffer);
  const auto reference = tollgate::report::parse_lhr_reference_padded(padded);
  const auto both = tollgate::report::parse_lhr(bytes);
  if (const auto simd = tollgate::report::parse_lhr_simd(padded)) {
    if (!reference) std::abort(); // simdjson read what RapidJSON refuses
    if (const std::string d = tollgate::testing::lhr_difference(*simd, *reference); !d.empty()) {
      std::fprintf(stderr, "simdjson and RapidJSON differ: %s\n", d.c_str());
      std::abort();
    }
  }
  if (both.has_value() != reference.has_value()) std::abort();
  if (!both && (both.error().message != reference.error().message || both.error().line != reference.error().line ||
                both.error().column != reference.error().column))
    std::abort();
  (void)tollgate::report::looks_like_lhr(bytes);
  return 0;
}
