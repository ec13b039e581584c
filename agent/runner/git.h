#pragma once
// The checkout on the runner: which files the repository has, and what a change touched.
#include <optional>
#include <string>
#include <vector>

#include "report/git_diff.h"

namespace tollgate::runner {

// `git ls-files` in root; nullopt outside a git checkout.
std::optional<std::vector<std::string>> git_ls_files(const std::string& root);

// Added lines of `git diff BASE...HEAD` (merge-base, as diff-cover does). Throws InputError
// when the base cannot be resolved.
report::ChangedLines git_changed_lines(const std::string& root, const std::string& base, const std::string& head = "HEAD");

} // namespace tollgate::runner
