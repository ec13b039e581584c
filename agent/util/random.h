#pragma once
#include <string>

namespace tollgate::util {

// Hex string of n cryptographically random bytes (the kernel's: getrandom), for delimiters and
// stop tokens that report content cannot guess.
std::string random_hex(size_t n_bytes);

// A uniform double in [0, 1) for backoff jitter.
double random_unit();

} // namespace tollgate::util
