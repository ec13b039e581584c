#pragma once
// `tollgate release`: the evidence a reviewer reads before approving an environment's deployment.
// One value (ReleaseEvidence) shown three ways: the title and job summary (decision first: the
// required checks' verdict, what kind of release, how much changes), and the one-line description
// the environment's deployment carries (≤ k_deployment_description_chars).
#include "gate/release_changes.h"
#include "gate/release_checks.h"
#include "publish/deployments.h"

#include <optional>
#include <string>
#include <vector>

namespace tollgate::publish {

// Commits listed in the summary at most (the rest are counted): the summary is read by a person.
constexpr size_t k_summary_commits = 50;

struct ReleaseEvidence {
  std::string environment;
  std::string target_sha;
  std::optional<Deployment> previous; // the last successful deployment, as `rollback plan` finds it
  gate::ReleaseKind kind = gate::ReleaseKind::first;
  size_t ahead = 0, behind = 0;       // the compare API's ahead_by / behind_by
  // The commits that arrive (forward, rewritten), or that leave (rollback), oldest first.
  std::vector<gate::ShippedCommit> commits;
  size_t commits_total = 0;           // as the API counts them (more than `commits` when cut)
  std::vector<gate::ShippedPull> pulls;
  size_t commits_without_lookup = 0;  // commits whose pull requests were not looked up
  std::optional<int64_t> age_seconds; // since the last successful deployment was created
  std::vector<gate::CommitCheck> checks;
  std::vector<gate::RequiredResult> required;
  std::string waited;                 // how long it waited for required checks ("" none)
};

bool release_passed(const ReleaseEvidence& e);

// "Ready: production ← 3f2a1c9, 3 commits, 2 pull requests · required checks passed"
std::string release_title(const ReleaseEvidence& e);
// The job summary body (Markdown, escaped): decision, what ships, pull requests, commits, checks.
std::string release_summary_markdown(const ReleaseEvidence& e);
// The deployment description: the same facts in one line of at most k_deployment_description_chars.
std::string release_description(const ReleaseEvidence& e);

} // namespace tollgate::publish
