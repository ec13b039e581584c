#include "util/random.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <sys/random.h>
#include <vector>

namespace tollgate::util {

namespace {

// The kernel's random bytes (getrandom(2): the pool OpenSSL's RAND_bytes seeds from). False when
// the kernel cannot give them.
bool fill_random(void* out, size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const ssize_t got = getrandom(p, n, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

} // namespace

std::string random_hex(size_t n_bytes) {
  std::vector<unsigned char> bytes(n_bytes);
  if (!fill_random(bytes.data(), bytes.size())) throw std::runtime_error("getrandom failed");
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n_bytes * 2);
  for (unsigned char b : bytes) {
    out.push_back(k_digits[b >> 4]);
    out.push_back(k_digits[b & 15]);
  }
  return out;
}

double random_unit() {
  uint64_t v = 0;
  if (!fill_random(&v, sizeof v)) return 0.5;
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

} // namespace tollgate::util
