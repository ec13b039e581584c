#pragma once
// The REST reads of `tollgate release`, and its one write: the description of the environment's
// deployment. Every read names the permission the job needs when GitHub refuses it
// (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps).
#include "gate/release_changes.h"
#include "gate/release_checks.h"
#include "github/client.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::publish {

// Compare API: a page holds at most 100 commits (per_page); more pages than this are not read and
// the summary says how many were left out (our bound, ~3000 commits of a release).
constexpr size_t k_max_compare_pages = 30;
// Pull-request lookups: one request per commit; past this many commits the rest are not looked
// up (our bound: a GITHUB_TOKEN has 1,000 requests an hour per repository,
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
constexpr size_t k_max_pull_lookups = 250;
// Check runs and statuses of a commit: pages of 100; more than this many pages are not read.
constexpr size_t k_max_check_pages = 10;

struct Comparison {
  bool base_found = true;     // false: GitHub answered 404 (the base commit is gone)
  std::string status;         // ahead | behind | identical | diverged
  size_t ahead_by = 0, behind_by = 0, total_commits = 0;
  std::vector<gate::ShippedCommit> commits; // oldest first, as the API lists them
};

// GET /repos/{o}/{r}/compare/{base}...{head}, every page (per_page=100).
Comparison compare_commits(github::Client& client, const std::string& repo_path, const std::string& base,
                           const std::string& head);

// GET /repos/{o}/{r}/commits/{sha}/pulls: the merged pull request that introduced the commit.
std::vector<gate::ShippedPull> pulls_of_commit(github::Client& client, const std::string& repo_path,
                                               const std::string& sha);

// The check runs (GET …/commits/{ref}/check-runs, the latest of each name) and the latest status
// of each context (GET …/commits/{ref}/status) on the commit.
std::vector<gate::CommitCheck> read_commit_checks(github::Client& client, const std::string& repo_path,
                                                  const std::string& sha);

// Posts `description` on the deployment as a status that keeps its current state (the newest
// status's; `in_progress` when it has none), so the deployment reads what the release ships.
// Returns the state posted.
std::string describe_deployment(github::Client& client, const std::string& repo_path, int64_t deployment_id,
                                const std::string& description, const std::string& log_url);

// Runs `read`; a 401/403/404 from GitHub becomes a util::GithubError that says which
// `permissions:` entry the job needs (`permission`, e.g. "checks: read") for `what`.
template <class Read>
auto with_permission(const char* what, const char* permission, Read&& read) -> decltype(read());

[[noreturn]] void throw_missing_permission(const github::ApiError& e, const char* what, const char* permission);

template <class Read>
auto with_permission(const char* what, const char* permission, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const github::ApiError& e) {
    if (e.status() == 401 || e.status() == 403 || e.status() == 404) throw_missing_permission(e, what, permission);
    throw;
  }
}

} // namespace tollgate::publish
