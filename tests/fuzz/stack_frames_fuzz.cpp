// libFuzzer target: stack_frames must never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/stack_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tollgate::report::extract_frames(text);
  return 0;
}
