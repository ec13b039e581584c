// Differential libFuzzer target: LCOV fed in chunks (the streaming reader's path, with lines cut
// anywhere) must give exactly what one pass gives — the same files, hits and branches, or the
// same error at the same line and column. The first byte picks the chunk size (1–256).
#include "report/lcov.h"
#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = size_t{data[0]} + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto whole = tollgate::report::parse_lcov(bytes);
  tollgate::report::LcovChunkParser parser;
  bool ok = true;
  for (size_t at = 0; ok && at < bytes.size(); at += chunk)
    ok = parser.feed(bytes.substr(at, chunk));
  ok = ok && parser.end();
  if (ok != whole.has_value()) __builtin_trap();
  if (ok) {
    if (parser.take().files != whole->files) __builtin_trap();
  } else {
    const auto error = tollgate::util::error_at(bytes, parser.error_offset(), parser.error());
    if (error.line != whole.error().line || error.column != whole.error().column ||
        error.message != whole.error().message)
      __builtin_trap();
  }
  return 0;
}
