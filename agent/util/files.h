#pragma once
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::util {

// The whole file, or an error naming it. Reports are read once into memory and parsed in place.
Expected<std::string, std::string> read_file(const std::string& path);

// The same into a buffer the caller reuses across files (its capacity is kept): the error, or
// nullopt when the file was read.
std::optional<std::string> read_file_into(const std::string& path, std::string& into);

// Expands --report arguments: plain paths as given, globs with *, ? and ** against the file
// system. Sorted, deduplicated. A pattern that matches nothing is an InputError.
std::vector<std::string> expand_report_patterns(const std::vector<std::string>& patterns);

// True when a glob (with ** spanning directories) matches a '/'-separated path.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace tollgate::util
