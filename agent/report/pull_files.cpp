#include "report/pull_files.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::report {

PullFilesChanges changed_lines_from_pull_files(const std::vector<PullFile>& files) {
  PullFilesChanges out;
  if (files.size() >= k_pull_files_listed_max) {
    out.not_measured = fmt::format("the pull request lists {} files, GitHub's maximum: the rest are not listed",
                                   files.size());
    return out;
  }
  size_t without_patch = 0;
  ChangedLines changed;
  for (const auto& f : files) {
    if (f.status == "removed" || f.filename.empty()) continue;
    if (!f.patch) {
      if (f.additions > 0) ++without_patch;
      continue;
    }
    // The patch is hunks only: a fixed header makes it a diff the git parser reads, and the
    // (untrusted) file name never passes through that parser.
    auto parsed = parse_git_diff("+++ b/f\n" + *f.patch + "\n");
    if (!parsed) {
      out.not_measured = fmt::format("the patch GitHub lists for a file is not a unified diff ({})", parsed.error().message);
      return out;
    }
    auto& lines = changed[f.filename];
    if (auto it = parsed->find("f"); it != parsed->end()) lines.insert(lines.end(), it->second.begin(), it->second.end());
  }
  if (without_patch > 0) {
    out.not_measured = fmt::format("GitHub lists no diff for {} changed file(s) (too large to show)", without_patch);
    return out;
  }
  for (auto& [path, lines] : changed) {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  }
  out.lines = std::move(changed);
  return out;
}

} // namespace tollgate::report
