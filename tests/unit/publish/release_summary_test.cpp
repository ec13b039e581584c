#include "publish/release_summary.h"
#include "publish/limits.h"
#include "util/text.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::publish;

namespace {

ReleaseEvidence forward_release() {
  ReleaseEvidence e;
  e.environment = "production";
  e.target_sha = "4444444444444444444444444444444444444444";
  e.previous = Deployment{2500000001, "1111111111111111111111111111111111111111", "main", "production",
                          "2026-11-01T10:00:00Z"};
  e.kind = gate::ReleaseKind::forward;
  e.ahead = 2;
  e.commits_total = 2;
  e.age_seconds = 2 * 86400 + 3 * 3600;
  gate::ShippedCommit a{"2222222222222222222222222222222222222222", "Add the cart", "alice", "", {12}};
  gate::ShippedCommit b{"3333333333333333333333333333333333333333", "Direct push", "bob", "", {}};
  e.commits = {a, b};
  e.pulls = {{12, "Add the cart", "alice", "https://github.example/octo/app/pull/12"}};
  return e;
}

gate::CommitCheck failed_tests() {
  gate::CommitCheck c;
  c.name = "CI / tests";
  c.status = "completed";
  c.conclusion = "failure";
  c.headline = "42 tests, 3 failed";
  c.tollgate = true;
  return c;
}

} // namespace

TEST_SUITE("publish::release_summary") {
  TEST_CASE("the title and the description lead with the verdict and say what ships") {
    auto e = forward_release();
    CHECK(release_title(e) ==
          "Ready: production ← 4444444, 2 commits, 1 pull request · no checks on the commit");
    CHECK(release_description(e) ==
          "Ready 4444444: 2 commits, 1 pull request since 1111111 (2 days 3 hours ago); no checks on the commit");
    e.checks = {failed_tests()};
    e.required = gate::evaluate_required(e.checks, {"CI / *"});
    CHECK_FALSE(release_passed(e));
    CHECK(release_title(e).starts_with("Not ready: "));
    CHECK(release_description(e).starts_with("NOT READY 4444444"));
    CHECK(release_description(e).ends_with("required checks NOT passed (0/1)"));
  }

  TEST_CASE("the description never exceeds the deployment status limit") {
    auto e = forward_release();
    for (int i = 0; i < 40; ++i) e.required.push_back({"p", gate::RequiredState::failed, {}, {}, 1});
    e.age_seconds = 999999999;
    e.kind = gate::ReleaseKind::rewritten;
    e.ahead = 123456;
    e.behind = 654321;
    const std::string d = release_description(e);
    CHECK(util::utf8_length(d) <= k_deployment_description_chars);
    CHECK(d.ends_with("…"));
  }

  TEST_CASE("a refusal comes before everything else in the summary") {
    auto e = forward_release();
    e.checks = {failed_tests()};
    e.required = gate::evaluate_required(e.checks, {"CI / *"});
    const std::string md = release_summary_markdown(e);
    CHECK(md.starts_with("> [!CAUTION]\n> **Do not approve"));
    CHECK(md.find("did not succeed: CI / tests") < md.find("#### Commits"));
    CHECK(md.find("42 tests, 3 failed") != std::string::npos);
  }

  TEST_CASE("pull requests link by number; hostile titles and names stay text") {
    auto e = forward_release();
    e.pulls[0].title = "<img src=x> [x](javascript:alert(1)) @everyone #1";
    e.commits[1].author = "@evil";
    const std::string md = release_summary_markdown(e);
    CHECK(md.find("- [#12](https://github.example/octo/app/pull/12) ") != std::string::npos);
    CHECK(md.find("<img") == std::string::npos);
    CHECK(md.find("](javascript:") == std::string::npos);
    CHECK(md.find("@everyone") == std::string::npos);
    CHECK(md.find("@evil") == std::string::npos);
  }

  TEST_CASE("a pull request URL that is not plain http(s) is not linked") {
    auto e = forward_release();
    e.pulls[0].url = "javascript:alert(1)";
    const std::string md = release_summary_markdown(e);
    CHECK(md.find("javascript") == std::string::npos);
    CHECK(md.find("- PR 12 ") != std::string::npos);
  }

  TEST_CASE("first deployments, rollbacks and a gone base say what they are") {
    ReleaseEvidence first;
    first.environment = "production";
    first.target_sha = "4444444444444444444444444444444444444444";
    CHECK(release_summary_markdown(first).find("First deployment") != std::string::npos);
    CHECK(release_title(first).find("first deployment") != std::string::npos);
    auto back = forward_release();
    back.kind = gate::ReleaseKind::rollback;
    back.ahead = 0;
    back.behind = 2;
    const std::string md = release_summary_markdown(back);
    CHECK(md.find("#### Commits that leave (2)") != std::string::npos);
    CHECK(release_title(back).find("rollback, 2 commits leave") != std::string::npos);
  }
}

TEST_SUITE("publish::release_summary") {
TEST_CASE("checks are listed failed first, then running, then passed; Tollgate's first in each") {
  auto e = forward_release();
  auto make = [](std::string name, std::string status, std::string conclusion, bool tollgate) {
    gate::CommitCheck c;
    c.name = std::move(name);
    c.status = std::move(status);
    c.conclusion = std::move(conclusion);
    c.tollgate = tollgate;
    return c;
  };
  e.checks = {make("ok-other", "completed", "success", false), make("ok-tollgate", "completed", "success", true),
              make("running", "in_progress", "", false), make("bad-other", "completed", "failure", false),
              make("bad-tollgate", "completed", "failure", true)};
  const std::string md = release_summary_markdown(e);
  const std::vector<std::string> names = {"bad-tollgate", "bad-other", "running", "ok-tollgate", "ok-other"};
  for (size_t i = 1; i < names.size(); ++i) {
    const std::string earlier = names[i - 1], later = names[i];
    CAPTURE(earlier);
    CAPTURE(later);
    CHECK(md.find("| " + earlier) < md.find("| " + later));
  }
}
}
