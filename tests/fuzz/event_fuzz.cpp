// libFuzzer target: event must never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runner/environment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tollgate::runner::parse_event(text, "pull_request");
  return 0;
}
