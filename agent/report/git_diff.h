#pragma once
// Changed lines from `git diff --no-color --no-ext-diff -U0`: the added lines of each file.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// path (new side, repository-relative) → sorted added line numbers.
using ChangedLines = std::map<std::string, std::vector<int>, std::less<>>;

// Pure: parses unified diff text. Renames count under the new path; deleted files and binary
// files contribute nothing; quoted paths ("a/x y") are unquoted.
util::Expected<ChangedLines, util::ParseError> parse_git_diff(std::string_view diff);

bool is_changed(const ChangedLines& changed, std::string_view path, int line);

} // namespace tollgate::report
