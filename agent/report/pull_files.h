#pragma once
// Changed lines from a pull request's files as the REST API lists them
// (GET /repos/{owner}/{repo}/pulls/{n}/files, https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files):
// the fallback when git cannot get the base commit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/git_diff.h"

namespace tollgate::report {

// GitHub lists at most 3000 files of a pull request (the same page of the REST docs): a listing
// that long may be cut short, so its changed lines are not all known.
constexpr size_t k_pull_files_listed_max = 3000;

struct PullFile {
  std::string filename; // the new path (renames list the new name)
  std::string status;   // added, removed, modified, renamed, copied, changed, unchanged
  uint64_t additions = 0;
  std::optional<std::string> patch; // the unified diff hunks; GitHub omits it for binary and large diffs
};

struct PullFilesChanges {
  std::optional<ChangedLines> lines; // nullopt: the listing cannot tell every added line
  std::string not_measured;          // why
};

// Pure. Every file with added lines must carry its patch, and the listing must be shorter than
// GitHub's cap; otherwise the changed lines are "not measured" rather than a part of them.
PullFilesChanges changed_lines_from_pull_files(const std::vector<PullFile>& files);

} // namespace tollgate::report
