#pragma once
// The checkout on the runner: which files the repository has, and what a change touched.
#include <optional>
#include <string>
#include <vector>

namespace tollgate::runner {

// `git ls-files` in root; nullopt outside a git checkout.
std::optional<std::vector<std::string>> git_ls_files(const std::string& root);

// The changed lines of a change: runner/base_revision.h (find_changed_lines).

} // namespace tollgate::runner
