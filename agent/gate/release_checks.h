#pragma once
// `tollgate release`: which checks passed for the commit to deploy. The check runs and commit
// statuses on the commit (Tollgate's and others') as values, and the verdict of the required ones
// (`--require NAME`, globs): missing, still running, failed or passed. Pure: the reads are in
// publish/release_reads.h, the waiting in command/release_command.h.
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::gate {

enum class CheckState { passed, failed, pending };

// One check run or one commit status (the latest of its context) on the commit.
struct CommitCheck {
  std::string name;       // the check run's name, or the status's context
  bool is_status = false; // a commit status, not a check run
  std::string status;     // check run: queued|in_progress|completed|…; status: its state
  std::string conclusion; // check run: success|failure|neutral|cancelled|skipped|timed_out|…
  std::string headline;   // check run output.title, or the status description
  std::string url;        // html_url / target_url
  bool tollgate = false;  // written by Tollgate (external_id "tollgate:…", context "tollgate/…")
};

// A check's state as a required check: success, neutral and skipped pass, as they satisfy a
// required status check on a protected branch
// (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/collaborating-on-repositories-with-code-quality-features/troubleshooting-required-status-checks);
// a check run not completed, or a status `pending`, is pending; everything else failed.
CheckState state_of(const CommitCheck& check);

// `--require` patterns: `*` any run of characters (including `/`, as in "CI / tests"), `?` one
// character; everything else literal, compared exactly.
bool name_matches(std::string_view pattern, std::string_view name);

enum class RequiredState { passed, missing, pending, failed };
const char* to_string(RequiredState state);

struct RequiredResult {
  std::string pattern;
  RequiredState state = RequiredState::missing;
  std::vector<std::string> failed;  // names of the matching checks that failed
  std::vector<std::string> pending; // names of the matching checks still running
  size_t matched = 0;
};

// Each pattern against every check: missing when none matches; failed when any match failed;
// pending when any is still running (and none failed); passed otherwise.
std::vector<RequiredResult> evaluate_required(const std::vector<CommitCheck>& checks,
                                              const std::vector<std::string>& patterns);

// True while waiting can still change the verdict: a required check is missing or pending, and
// none has failed (a failure refuses the commit whatever the others do: the wait ends at once).
bool worth_waiting(const std::vector<RequiredResult>& results);
bool all_passed(const std::vector<RequiredResult>& results);

// One line per required check that did not pass: "required check 'CI / *' failed: CI / tests".
std::vector<std::string> refusal_reasons(const std::vector<RequiredResult>& results, std::string_view waited);

struct CheckCounts {
  size_t passed = 0, failed = 0, pending = 0;
  size_t total() const { return passed + failed + pending; }
};
CheckCounts count_checks(const std::vector<CommitCheck>& checks);

} // namespace tollgate::gate
