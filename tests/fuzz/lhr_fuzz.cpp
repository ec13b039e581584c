// libFuzzer harness for the LHR reader (build with -DTOLLGATE_FUZZ=ON and clang).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/lhr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)tollgate::report::parse_lhr(bytes);
  (void)tollgate::report::looks_like_lhr(bytes);
  return 0;
}
