// libFuzzer target: matrix must never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runner/matrix.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tollgate::runner::matrix_leg(text);
  return 0;
}
