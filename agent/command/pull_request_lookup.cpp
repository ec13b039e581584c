#include "command/pull_request_lookup.h"

#include <fmt/format.h>

#include "util/json.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

// List endpoints return at most 100 items a page (per_page); 30 pages reach the 3000 files GitHub
// lists for a pull request (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files).
constexpr size_t k_files_per_page = 100;
constexpr size_t k_files_pages = report::k_pull_files_listed_max / k_files_per_page + 1;
// A branch name matches few open pull requests; one page is plenty.
constexpr size_t k_pulls_pages = 3;

std::string repo_path(const runner::ActionsContext& a) {
  return fmt::format("/repos/{}/{}", util::url_encode(a.owner), util::url_encode(a.repo));
}

std::string head_sha_of(const rapidjson::Value& pull) {
  const auto* head = util::member(pull, "head");
  return head ? std::string(util::string_or(*head, "sha")) : "";
}

} // namespace

report::PullFilesChanges pull_request_changed_lines(github::Client& client, const runner::ActionsContext& actions,
                                                    int number, const std::string& expected_head) {
  report::PullFilesChanges out;
  try {
    auto pull = client.get(fmt::format("{}/pulls/{}", repo_path(actions), number));
    const std::string head = head_sha_of(pull.json);
    if (head.empty() || head != expected_head) {
      out.not_measured = fmt::format("pull request #{} has moved on (its head is {}, the measured commit {})", number,
                                     util::truncate_utf8(head, 12), util::truncate_utf8(expected_head, 12));
      return out;
    }
    std::vector<report::PullFile> files;
    for (const auto& item : client.get_all(
             fmt::format("{}/pulls/{}/files?per_page={}", repo_path(actions), number, k_files_per_page), nullptr,
             k_files_pages)) {
      report::PullFile f;
      f.filename = util::string_or(item, "filename");
      f.status = util::string_or(item, "status");
      f.additions = static_cast<uint64_t>(std::max<int64_t>(0, util::int_member(item, "additions").value_or(0)));
      if (const auto patch = util::string_member(item, "patch")) f.patch = std::string(*patch);
      files.push_back(std::move(f));
    }
    return report::changed_lines_from_pull_files(files);
  } catch (const github::ApiError& e) {
    out.not_measured = fmt::format("the pull request's files could not be read: {}", e.what());
    return out;
  }
}

std::string find_workflow_run_pull_request(Context& ctx) {
  auto& event = ctx.actions.event;
  if (event.event_name != "workflow_run" || event.pull_request > 0 || event.head_sha.empty()) return "";
  if (!ctx.client) return "workflow_run: no token, so the pull request of this run cannot be looked up";
  int found = 0;
  std::string base_sha, base_ref;
  size_t moved = 0;
  bool ambiguous = false;
  // The check that makes an answer trustworthy: the pull request is open and its head is the
  // commit the run tested. A branch pushed again since, or another pull request, is not this run's.
  const auto consider = [&](const rapidjson::Value& pull) {
    if (head_sha_of(pull) != event.head_sha || util::string_or(pull, "state") != "open") {
      ++moved;
      return;
    }
    const int number = static_cast<int>(util::int_member(pull, "number").value_or(0));
    if (number <= 0 || (found && found != number)) ambiguous = true;
    found = number;
    if (const auto* base = util::member(pull, "base")) {
      base_sha = util::string_or(*base, "sha");
      base_ref = util::string_or(*base, "ref");
    }
  };
  try {
    if (!event.head_owner.empty() && !event.head_branch.empty())
      for (const auto& pull : ctx.client->get_all(fmt::format("{}/pulls?state=open&head={}&per_page=100",
                                                              repo_path(ctx.actions),
                                                              util::url_encode(event.head_owner + ":" + event.head_branch)),
                                                  nullptr, k_pulls_pages))
        consider(pull);
    // The branch may be gone or renamed: the pull requests of the commit itself, same check.
    if (!found && !moved)
      for (const auto& pull : ctx.client->get_all(
               fmt::format("{}/commits/{}/pulls", repo_path(ctx.actions), util::url_encode(event.head_sha)), nullptr,
               k_pulls_pages))
        consider(pull);
  } catch (const github::ApiError& e) {
    return fmt::format("workflow_run: the pull request of this run could not be looked up: {}", e.what());
  }
  if (ambiguous) return "workflow_run: several open pull requests have this run's head; none is chosen";
  if (!found)
    return moved ? "workflow_run: the pull request's head has moved on since this run; nothing is posted on it"
                 : "workflow_run: no open pull request has this run's head";
  event.pull_request = found;
  event.base_sha = base_sha;
  event.base_ref = base_ref;
  return fmt::format("workflow_run: pull request #{} (head {} verified)", found, event.head_sha.substr(0, 12));
}

} // namespace tollgate::command
