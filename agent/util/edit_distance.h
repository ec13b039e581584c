#pragma once
// Levenshtein distance, for "did you mean …?" suggestions between short names.
#include <cstddef>
#include <string_view>

namespace tollgate::util {

size_t edit_distance(std::string_view a, std::string_view b);

} // namespace tollgate::util
