#pragma once
// Which lines a change touched, on the checkout users actually have. actions/checkout fetches one
// commit by default (`fetch-depth: 1`), and on `pull_request` checks out GitHub's merge commit
// (refs/pull/N/merge, GITHUB_SHA) detached, so the base commit is usually not in the clone
// (https://github.com/actions/checkout#readme; https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request).
#include <optional>
#include <string>
#include <vector>

#include "report/git_diff.h"

namespace tollgate::runner {

// What to compare HEAD with, as the options and the event name it.
struct BaseRequest {
  std::string base;     // a revision: --base, or the event's base commit
  std::string head_sha; // the pull request's head commit, to recognise GitHub's merge commit
  // In Actions a missing commit is fetched from `origin` with the credentials actions/checkout
  // left in the clone, and history that cannot be had is "not measured" instead of an error.
  bool in_actions = false;
};

// How the changed lines were found, or why there are none.
struct FoundChanges {
  std::optional<report::ChangedLines> lines; // nullopt: git could not tell (not measured)
  std::string compared_with;                 // the revision the diff starts from
  std::string method;                        // how, in words, for the summary
  bool approximate = false; // trees compared without a merge base: base-side changes show too
  std::string not_measured; // why lines is nullopt
};

// Decides what to diff:
// - the base and a merge base are present: `git diff BASE...HEAD` (as diff-cover);
// - HEAD is a merge commit whose first parent is the base (or whose second parent is the pull
//   request's head): first parent against HEAD — the pull request's diff, exactly;
// - in Actions, a missing commit is fetched (`git fetch --no-tags --depth=1 origin SHA` in a
//   shallow clone), then the two trees are compared (approximate when there is no merge base);
// - in Actions, what git cannot get is "not measured" (the caller may still ask the API);
// - outside Actions, a missing base or merge base is an InputError naming the revision and the
//   `git fetch` that fixes it.
FoundChanges find_changed_lines(const std::string& root, const BaseRequest& request);

// The parents of a commit as its object records them: also in a shallow clone, where git
// hides the parents of the boundary commits. Empty when the commit cannot be read.
std::vector<std::string> commit_parents(const std::string& root, const std::string& rev);

} // namespace tollgate::runner
