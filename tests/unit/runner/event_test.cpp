#include <doctest/doctest.h>

#include "runner/environment.h"
#include "runner/matrix.h"

using namespace tollgate::runner;

TEST_SUITE("runner::event") {
  TEST_CASE("a pull_request payload gives the head commit, base and number") {
    const auto e = parse_event(R"({"action":"synchronize","number":7,"pull_request":{"number":7,
      "head":{"sha":"aaa111","repo":{"full_name":"fork/repo"}},
      "base":{"sha":"bbb222","ref":"main","repo":{"full_name":"owner/repo"}}}})",
                               "pull_request");
    REQUIRE(e);
    CHECK(e->pull_request == 7);
    CHECK(e->head_sha == "aaa111");
    CHECK(e->base_sha == "bbb222");
    CHECK(e->base_ref == "main");
    CHECK(e->from_fork);
  }

  TEST_CASE("a push payload gives the previous commit as base, none for a new branch") {
    auto e = parse_event(R"({"ref":"refs/heads/main","before":"ccc333","after":"ddd444"})", "push");
    REQUIRE(e);
    CHECK(e->pull_request == 0);
    CHECK(e->head_sha.empty());
    CHECK(e->base_sha == "ccc333");
    e = parse_event(R"({"before":"0000000000000000000000000000000000000000"})", "push");
    REQUIRE(e);
    CHECK(e->base_sha.empty());
  }

  TEST_CASE("a workflow_dispatch payload gives its ref") {
    const auto e = parse_event(R"({"ref":"refs/heads/release","inputs":{"environment":"production"}})", "workflow_dispatch");
    REQUIRE(e);
    CHECK(e->dispatch_ref == "refs/heads/release");
    CHECK(e->pull_request == 0);
  }

  TEST_CASE("malformed payloads report line and column") {
    const auto e = parse_event("{\n  \"number\": ,\n}", "pull_request");
    REQUIRE_FALSE(e);
    CHECK(e.error().line == 2);
    CHECK(e.error().column == 13);
  }

  TEST_CASE("check runs go on the pull request head, not the merge commit") {
    ActionsContext ctx;
    ctx.sha = "merge";
    ctx.event.head_sha = "head";
    CHECK(ctx.target_sha() == "head");
    ctx.event.head_sha.clear();
    CHECK(ctx.target_sha() == "merge");
  }

  TEST_CASE("the context is read from the Actions variables and the event file") {
    MapEnvironment env({{"GITHUB_ACTIONS", "true"}, {"GITHUB_REPOSITORY", "octo/hello"}, {"GITHUB_SHA", "abc"},
                        {"GITHUB_API_URL", "http://127.0.0.1:9/api/v3/"}, {"GITHUB_RUN_ID", "42"},
                        {"GITHUB_SERVER_URL", "https://ghes.example"}});
    const auto ctx = read_actions_context(env);
    CHECK(ctx.in_actions);
    CHECK(ctx.owner == "octo");
    CHECK(ctx.repo == "hello");
    CHECK(ctx.api_url == "http://127.0.0.1:9/api/v3");
    CHECK(ctx.run_url() == "https://ghes.example/octo/hello/actions/runs/42");
  }
}

TEST_SUITE("runner::matrix") {
  TEST_CASE("the leg label joins the values in order") {
    CHECK(*matrix_leg(R"({"os":"ubuntu-latest","node":20})") == "ubuntu-latest, 20");
    CHECK(*matrix_leg("null") == "");
    CHECK(with_leg("Tests", "ubuntu-latest, 20") == "Tests (ubuntu-latest, 20)");
    CHECK(with_leg("Tests", "") == "Tests");
  }

  TEST_CASE("a matrix that is not an object is an error") {
    CHECK_FALSE(matrix_leg("[1,2]"));
    CHECK_FALSE(matrix_leg("{"));
  }
}

TEST_SUITE("runner::event") {
  TEST_CASE("a workflow_run payload reports on the pull request that produced the artifacts") {
    const auto e = parse_event(R"({"workflow_run":{"head_sha":"eee555","event":"pull_request",
      "head_repository":{"full_name":"fork/app"},"repository":{"full_name":"octo/app"},
      "pull_requests":[{"number":12,"head":{"sha":"eee555"},"base":{"sha":"fff666","ref":"main"}}]}})",
                               "workflow_run");
    REQUIRE(e);
    CHECK(e->head_sha == "eee555");
    CHECK(e->pull_request == 12);
    CHECK(e->base_sha == "fff666");
    CHECK(e->from_fork);
  }

  TEST_CASE("a merge_group payload gives the group's head and base") {
    const auto e = parse_event(R"({"action":"checks_requested","merge_group":{"head_sha":"hhh","base_sha":"bbb",
      "head_ref":"refs/heads/gh-readonly-queue/main/pr-1-bbb","base_ref":"refs/heads/main"}})",
                               "merge_group");
    REQUIRE(e);
    CHECK(e->head_sha == "hhh");
    CHECK(e->base_sha == "bbb");
    CHECK(e->base_ref == "refs/heads/main");
    CHECK(e->pull_request == 0);
  }

  TEST_CASE("a fork's workflow_run names no pull request, but its head owner and branch") {
    const auto e = parse_event(R"({"workflow_run":{"head_sha":"aaa","head_branch":"fix","pull_requests":[],
      "head_repository":{"full_name":"forker/app","owner":{"login":"forker"}},"repository":{"full_name":"octo/app"}}})",
                               "workflow_run");
    REQUIRE(e);
    CHECK(e->pull_request == 0);
    CHECK(e->head_owner == "forker");
    CHECK(e->head_branch == "fix");
    CHECK(e->from_fork);
  }
}
