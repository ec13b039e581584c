#include "publish/release_summary.h"

#include "publish/limits.h"
#include "publish/release_reads.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::publish {

namespace {

std::string short_sha(std::string_view sha) { return std::string(sha.substr(0, 7)); }

std::string plural(size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string code(std::string_view text) { return "<code>" + util::escape_table_cell(text) + "</code>"; }

// A link to a URL the API returned; anything that is not a plain http(s) URL is not linked.
std::string link(std::string_view text, std::string_view url) {
  const bool plain = (util::starts_with(url, "https://") || util::starts_with(url, "http://")) &&
                     url.find_first_of(" \t\r\n<>()[]\"'`\\") == std::string_view::npos;
  if (!plain) return util::escape_markdown(text);
  return fmt::format("[{}]({})", util::escape_markdown(text), url);
}

// "#12" linked to the pull request: the number is ours (an integer), the URL the API's.
std::string pull_link(int64_t number, std::string_view url) {
  const bool plain = (util::starts_with(url, "https://") || util::starts_with(url, "http://")) &&
                     url.find_first_of(" \t\r\n<>()[]\"'`\\") == std::string_view::npos;
  return plain ? fmt::format("[#{}]({})", number, url) : fmt::format("PR {}", number);
}

std::string_view url_of_pull(const ReleaseEvidence& e, int64_t number) {
  for (const auto& p : e.pulls)
    if (p.number == number) return p.url;
  return {};
}

const char* state_icon(gate::CheckState s) {
  switch (s) {
  case gate::CheckState::passed: return "✅";
  case gate::CheckState::failed: return "❌";
  case gate::CheckState::pending: return "⏳";
  }
  return "";
}

const char* required_icon(gate::RequiredState s) {
  switch (s) {
  case gate::RequiredState::passed: return "✅";
  case gate::RequiredState::missing: return "❔";
  case gate::RequiredState::pending: return "⏳";
  case gate::RequiredState::failed: return "❌";
  }
  return "";
}

std::string result_word(const gate::CommitCheck& c) {
  if (c.is_status) return c.status;
  return c.status == "completed" ? c.conclusion : c.status;
}

// "3 commits, 2 pull requests" (or what leaves, for a rollback).
std::string change_phrase(const ReleaseEvidence& e) {
  switch (e.kind) {
  case gate::ReleaseKind::first: return "first deployment";
  case gate::ReleaseKind::redeploy: return "redeploy of the same commit";
  case gate::ReleaseKind::rollback: return fmt::format("rollback, {} leave", plural(e.behind, "commit"));
  case gate::ReleaseKind::unknown_base: return "deployed commit gone, changes unknown";
  case gate::ReleaseKind::rewritten:
    return fmt::format("history rewritten, {} arrive, {} leave", plural(e.ahead, "commit"), plural(e.behind, "commit"));
  case gate::ReleaseKind::forward: break;
  }
  return fmt::format("{}, {}", plural(e.ahead, "commit"), plural(e.pulls.size(), "pull request"));
}

std::string checks_phrase(const ReleaseEvidence& e) {
  if (e.required.empty()) {
    const auto n = gate::count_checks(e.checks);
    if (n.total() == 0) return "no checks on the commit";
    return fmt::format("checks: {} passed, {} failed, {} running (none required)", n.passed, n.failed, n.pending);
  }
  const size_t ok = static_cast<size_t>(std::count_if(e.required.begin(), e.required.end(), [](const auto& r) {
    return r.state == gate::RequiredState::passed;
  }));
  if (ok == e.required.size()) return fmt::format("required checks passed ({}/{})", ok, e.required.size());
  return fmt::format("required checks NOT passed ({}/{})", ok, e.required.size());
}

std::string previous_cell(const ReleaseEvidence& e) {
  if (!e.previous) return "none";
  std::string cell = fmt::format("deployment {} of {} (ref {})", e.previous->id, code(short_sha(e.previous->sha)),
                                 code(e.previous->ref));
  if (e.age_seconds) cell += fmt::format(", {} ago", gate::describe_age(*e.age_seconds));
  return cell;
}

void append_pulls(std::string& md, const ReleaseEvidence& e) {
  if (e.kind == gate::ReleaseKind::first || e.kind == gate::ReleaseKind::unknown_base) return;
  // A rollback takes these pull requests' changes away: the heading says so, as the commits' does.
  const char* heading = e.kind == gate::ReleaseKind::rollback ? "Pull requests that leave" : "Pull requests";
  md += fmt::format("\n#### {} ({})\n\n", heading, e.pulls.size());
  if (e.pulls.empty()) md += "None of these commits came from a pull request.\n";
  for (const auto& p : e.pulls)
    md += fmt::format("- {} {} — by {}\n", pull_link(p.number, p.url), util::escape_markdown(p.title),
                      util::escape_markdown(p.author.empty() ? "unknown" : p.author));
  if (e.commits_without_lookup)
    md += fmt::format("\nThe pull requests of {} were not looked up (at most {} lookups a run).\n",
                      plural(e.commits_without_lookup, "more commit"), k_max_pull_lookups);
}

void append_commits(std::string& md, const ReleaseEvidence& e) {
  if (e.kind == gate::ReleaseKind::first || e.kind == gate::ReleaseKind::unknown_base ||
      e.kind == gate::ReleaseKind::redeploy)
    return;
  const char* heading = e.kind == gate::ReleaseKind::rollback ? "Commits that leave" : "Commits";
  md += fmt::format("\n#### {} ({})\n\n", heading, e.commits_total);
  const size_t shown = std::min(e.commits.size(), k_summary_commits);
  for (size_t i = 0; i < shown; ++i) {
    const auto& c = e.commits[i];
    std::string pulls;
    for (int64_t n : c.pulls) pulls += fmt::format("{}{}", pulls.empty() ? " (" : ", ", pull_link(n, url_of_pull(e, n)));
    if (!pulls.empty()) pulls += ")";
    md += fmt::format("- {} {} — {}{}\n", code(short_sha(c.sha)), util::escape_markdown(c.headline),
                      util::escape_markdown(c.author), pulls);
  }
  if (e.commits_total > shown) md += fmt::format("- … and {} more\n", e.commits_total - shown);
}

void append_checks(std::string& md, const ReleaseEvidence& e) {
  md += fmt::format("\n#### Checks on {} ({})\n\n", code(short_sha(e.target_sha)), e.checks.size());
  if (e.checks.empty()) {
    md += "No check run or commit status on this commit.\n";
    return;
  }
  md += "| | Check | Kind | Result | Headline |\n|---|---|---|---|---|\n";
  // What decides first: failed, then running, then passed; within each, Tollgate's results (their
  // headline is the gate's one-line verdict) before the others.
  static constexpr gate::CheckState order[] = {gate::CheckState::failed, gate::CheckState::pending,
                                               gate::CheckState::passed};
  for (int pass = 0; pass < 6; ++pass) {
    for (const auto& c : e.checks) {
      if (gate::state_of(c) != order[pass / 2] || c.tollgate != (pass % 2 == 0)) continue;
      md += fmt::format("| {} | {} | {} | {} | {} |\n", state_icon(gate::state_of(c)), link(c.name, c.url),
                        c.is_status ? "status" : "check run", util::escape_table_cell(result_word(c)),
                        util::escape_table_cell(c.headline));
    }
  }
}

} // namespace

bool release_passed(const ReleaseEvidence& e) { return gate::all_passed(e.required); }

std::string release_title(const ReleaseEvidence& e) {
  return fmt::format("{}: {} ← {}, {} · {}", release_passed(e) ? "Ready" : "Not ready", e.environment,
                     short_sha(e.target_sha), change_phrase(e), checks_phrase(e));
}

std::string release_summary_markdown(const ReleaseEvidence& e) {
  std::string md;
  const auto reasons = gate::refusal_reasons(e.required, e.waited);
  if (!reasons.empty()) {
    md += "> [!CAUTION]\n> **Do not approve: this commit has not passed its required checks.**\n";
    for (const auto& r : reasons) md += "> - " + util::escape_markdown(r) + "\n";
    md += "\n";
  } else if (!e.required.empty()) {
    md += "Every required check passed on this commit:";
    for (const auto& r : e.required) md += fmt::format(" {} {}", required_icon(r.state), code(r.pattern));
    md += "\n\n";
  }
  md += fmt::format("{}\n\n", util::escape_markdown(gate::describe_kind(e.kind, e.ahead, e.behind)));
  md += "| Release | |\n|---|---|\n";
  md += fmt::format("| Environment | {} |\n", code(e.environment));
  md += fmt::format("| Deploying | {} |\n", code(e.target_sha));
  md += fmt::format("| Last successful deployment | {} |\n", previous_cell(e));
  const auto n = gate::count_checks(e.checks);
  md += fmt::format("| Checks on the commit | {} passed, {} failed, {} running |\n", n.passed, n.failed, n.pending);
  append_pulls(md, e);
  append_commits(md, e);
  append_checks(md, e);
  return md;
}

std::string release_description(const ReleaseEvidence& e) {
  std::string text = fmt::format("{} {}: {}", release_passed(e) ? "Ready" : "NOT READY", short_sha(e.target_sha),
                                 change_phrase(e));
  if (e.previous) {
    text += fmt::format(" since {}", short_sha(e.previous->sha));
    if (e.age_seconds) text += fmt::format(" ({} ago)", gate::describe_age(*e.age_seconds));
  }
  text += "; " + checks_phrase(e);
  return util::truncate_chars(util::sanitize_utf8(text), k_deployment_description_chars);
}

} // namespace tollgate::publish
