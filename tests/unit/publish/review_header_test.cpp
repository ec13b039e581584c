#include <doctest/doctest.h>

#include "publish/review_header.h"

using namespace tollgate;

namespace {
const std::string k_sha = "0123456789abcdef0123456789abcdef01234567";
publish::ReviewLinks links() { return {"https://ghe.example.com", "octo/repo", k_sha, "42", "1"}; }
} // namespace

TEST_SUITE("publish::review_header") {
  TEST_CASE("the commit and the run, linked on the server the run is on") {
    CHECK(publish::review_header(links()) ==
          "Commit [`0123456`](https://ghe.example.com/octo/repo/commit/" + k_sha +
              ") · [run 42](https://ghe.example.com/octo/repo/actions/runs/42)\n\n");
  }

  TEST_CASE("a re-run links its own attempt") {
    auto l = links();
    l.run_attempt = "3";
    CHECK(publish::run_url(l) == "https://ghe.example.com/octo/repo/actions/runs/42/attempts/3");
    CHECK(publish::review_header(l).find("[run 42, attempt 3](") != std::string::npos);
  }

  TEST_CASE("a line of a file at the head commit, path segments encoded") {
    CHECK(publish::line_url(links(), "src/a b/x.py", 12) ==
          "https://ghe.example.com/octo/repo/blob/" + k_sha + "/src/a%20b/x.py#L12");
    CHECK(publish::line_url(links(), "src/x.py", 0) == "https://ghe.example.com/octo/repo/blob/" + k_sha + "/src/x.py");
    CHECK(publish::line_link(links(), "src/x.py", 3) ==
          "[`src/x.py:3`](https://ghe.example.com/octo/repo/blob/" + k_sha + "/src/x.py#L3)");
  }

  TEST_CASE("nothing of an unexpected shape becomes a link") {
    auto l = links();
    CHECK(publish::line_url(l, "../etc/passwd", 1).empty());
    CHECK(publish::line_url(l, "/abs/x.py", 1).empty());
    CHECK(publish::line_link(l, "a/../b.py", 1) == "`a/../b.py:1`");
    l.server_url = "javascript:alert(1)";
    CHECK(publish::commit_url(l).empty());
    CHECK(publish::review_header(l) == "Commit `0123456`\n\n");
    l = links();
    l.repository = "octo/re)po";
    CHECK(publish::run_url(l).empty());
    l = links();
    l.sha = "not-a-sha";
    l.run_id = "4 2";
    CHECK(publish::review_header(l).empty());
  }

  TEST_CASE("review_links reads the Actions context: the pull request's head, the server without a trailing slash") {
    runner::ActionsContext ctx;
    ctx.server_url = "https://ghe.example.com/";
    ctx.owner = "octo";
    ctx.repo = "repo";
    ctx.sha = std::string(40, 'b');
    ctx.event.head_sha = k_sha;
    ctx.run_id = "7";
    const auto l = publish::review_links(ctx);
    CHECK(l.server_url == "https://ghe.example.com");
    CHECK(l.repository == "octo/repo");
    CHECK(l.sha == k_sha);
    CHECK(publish::short_sha(l.sha) == "0123456");
  }
}
