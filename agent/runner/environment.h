#pragma once
// The Actions environment: variables, the event payload, the matrix leg.
#include <map>
#include <optional>
#include <string>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::runner {

// Environment variables behind an interface so tests can set them without touching the process.
class Environment {
public:
  virtual ~Environment() = default;
  virtual std::optional<std::string> get(const std::string& name) const = 0;
  std::string get_or(const std::string& name, const std::string& fallback = "") const;
};

class ProcessEnvironment final : public Environment {
public:
  std::optional<std::string> get(const std::string& name) const override;
};

class MapEnvironment final : public Environment {
public:
  explicit MapEnvironment(std::map<std::string, std::string> vars) : m_vars(std::move(vars)) {}
  std::optional<std::string> get(const std::string& name) const override;

private:
  std::map<std::string, std::string> m_vars;
};

// What the event payload tells about where results belong.
struct EventInfo {
  std::string event_name;
  int pull_request = 0;     // 0 when the event is not about a pull request
  std::string head_sha;     // the PR head commit, the merge group's head, or the workflow_run's head
  std::string base_sha;     // the PR (or merge group's) base commit, or the push's "before"
  std::string base_ref;     // the PR base branch name (merge_group: the full ref)
  std::string head_repo;    // "owner/name" of the PR head (differs on forks)
  std::string head_owner;   // workflow_run: head_repository.owner.login, to find a fork's PR
  std::string head_branch;  // workflow_run: the branch the run was for
  bool from_fork = false;
  std::string dispatch_ref; // workflow_dispatch: the ref it ran on
};

// Pure: payload bytes and event name in, facts out. Unknown events give an EventInfo with only
// the name; malformed JSON is an error with its line and column.
util::Expected<EventInfo, util::ParseError> parse_event(std::string_view payload, const std::string& event_name);

// Everything the agent reads from the Actions runner (SPEC §2).
struct ActionsContext {
  bool in_actions = false;
  std::string token;
  std::string api_url = "https://api.github.com";
  std::string server_url = "https://github.com";
  std::string owner, repo; // from GITHUB_REPOSITORY
  std::string sha;         // GITHUB_SHA (the merge commit on pull_request events)
  std::string ref;
  std::string run_id, run_attempt = "1", job, workflow, runner_name;
  std::string workspace;
  std::string step_summary_path, output_path;
  EventInfo event;

  bool has_repository() const { return !owner.empty() && !repo.empty(); }
  // The commit results belong to: the PR head on pull_request events, else GITHUB_SHA.
  const std::string& target_sha() const { return event.head_sha.empty() ? sha : event.head_sha; }
  std::string run_url() const;
};

// Reads the variables and the event file; an unreadable or malformed event file is an InputError.
ActionsContext read_actions_context(const Environment& env);

} // namespace tollgate::runner
