#include "util/random.h"

#include <cstdint>
#include <cstring>
#include <openssl/rand.h>
#include <stdexcept>
#include <vector>

namespace tollgate::util {

std::string random_hex(size_t n_bytes) {
  std::vector<unsigned char> bytes(n_bytes);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
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
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) return 0.5;
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

} // namespace tollgate::util
