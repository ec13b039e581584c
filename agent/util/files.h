#pragma once
#include <string>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::util {

// The whole file, or an error naming it. Reports are read once into memory and parsed in place.
Expected<std::string, std::string> read_file(const std::string& path);

// Expands --report arguments: plain paths as given, globs with *, ? and ** against the file
// system. Sorted, deduplicated. A pattern that matches nothing is an InputError.
std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns);

// True when a glob (with ** spanning directories) matches a '/'-separated path.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace tollgate::util
