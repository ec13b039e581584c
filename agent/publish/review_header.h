#pragma once
// What every summary opens with after its verdict heading, and the links it gives the reader:
// the commit (short SHA, linked), the run (linked, with its attempt), a line of a file at the
// commit. Built from the Actions variables only (GITHUB_SERVER_URL, so GitHub Enterprise Server
// links stay on their server); a piece that is missing or not of its expected shape gives no link.
#include <string>
#include <string_view>

#include "runner/environment.h"

namespace tollgate::publish {

// The run a summary belongs to. Empty members: no link for them (outside Actions, a local run).
struct ReviewLinks {
  std::string server_url;  // GITHUB_SERVER_URL, without a trailing slash
  std::string repository;  // "owner/name"
  std::string sha;         // the commit the results belong to (a pull request's head)
  std::string run_id;      // GITHUB_RUN_ID
  std::string run_attempt; // GITHUB_RUN_ATTEMPT; "1" or empty for a first attempt
};

ReviewLinks review_links(const runner::ActionsContext& ctx);

// A commit SHA as people read it: its first 7 hex digits (git's default abbreviation).
std::string short_sha(std::string_view sha);

// <server>/<owner>/<repo>/commit/<sha>, or "" when a piece is missing or malformed.
std::string commit_url(const ReviewLinks& links);
// <server>/<owner>/<repo>/actions/runs/<id>, with /attempts/<n> for a re-run (n > 1), or "".
std::string run_url(const ReviewLinks& links);
// <server>/<owner>/<repo>/blob/<sha>/<path>#L<line> (path segments percent-encoded; no #L
// without a line), or "" when a piece is missing or the path is not repository-relative.
std::string line_url(const ReviewLinks& links, std::string_view path, int line);

// "[`src/a.py:12`](url)": a repository path (untrusted text: shown as code, escaped) linked to
// its line at the commit; plain code when there is no link to make; "" for an empty path.
std::string line_link(const ReviewLinks& links, std::string_view path, int line);

// Untrusted text (a test name, a path) as inline code: util::code_span, with @mentions broken by a
// zero-width space as code blocks have them (GitHub does not ping inside code, but a copy of the
// text elsewhere may).
std::string code_name(std::string_view text);

// "[`abc1234`](<server>/<repo>/commit/<sha>)" for a commit of the run's repository; the short SHA
// as code when there is no link to make; the text as code when it is not a SHA.
std::string commit_link(const ReviewLinks& links, std::string_view sha);

// One paragraph: "Commit [`abc1234`](…) · [run 42, attempt 2](…)", or "" when neither is known.
std::string review_header(const ReviewLinks& links);

} // namespace tollgate::publish
