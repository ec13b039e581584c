// libFuzzer target: link_header must never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "github/link_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tollgate::github::next_page_url(text);
  return 0;
}
