#pragma once
// `tollgate release`: what is being shipped. The environment's last successful deployment against
// the commit to deploy, as the compare API sees the two: the kind of release (first deployment,
// forward, redeploy, rollback, rewritten history), the commits, the pull requests they came from,
// and the time since that deployment. Pure: the reads are in publish/release_reads.h.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tollgate::gate {

struct ShippedPull {
  int64_t number = 0;
  std::string title, author, url;
};

struct ShippedCommit {
  std::string sha;
  std::string headline; // the first line of the message
  std::string author;   // the GitHub login, else the git author name
  std::string date;     // the author date, ISO 8601
  std::vector<int64_t> pulls; // numbers of the pull requests it came from
};

// What the environment gets, relative to what it runs now.
enum class ReleaseKind {
  first,        // no successful deployment of the environment yet
  forward,      // compare status "ahead": the deployed commit is an ancestor of the target
  redeploy,     // "identical": the same commit again
  rollback,     // "behind": the target is an ancestor of the deployed commit (older)
  rewritten,    // "diverged": the deployed commit is not an ancestor (a force-push, another branch)
  unknown_base, // the deployed commit is no longer in the repository: nothing can be compared
};
const char* to_string(ReleaseKind kind);

// The compare API's status (https://docs.github.com/en/rest/commits/commits#compare-two-commits)
// → the kind; nullopt for a status the API does not document.
std::optional<ReleaseKind> kind_of_compare_status(std::string_view status);

// One sentence a reviewer reads first: "Rollback: production goes back 3 commits, to an older commit."
std::string describe_kind(ReleaseKind kind, size_t ahead, size_t behind);

// "3 days 4 hours", "5 minutes", "40 seconds": the two largest units, for "since the last deploy".
std::string describe_age(int64_t seconds);

// The pull requests of the commits, each once, in the order the commits first name them.
std::vector<ShippedPull> pulls_in_order(const std::vector<ShippedCommit>& commits,
                                        const std::vector<ShippedPull>& known);

// The first line of a commit message, without trailing white space.
std::string first_line(std::string_view message);

} // namespace tollgate::gate
