#include "publish/rollback.h"
#include "support/fakes.h"
#include "util/json.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::publish;
using tollgate::testing::FakeClock;
using tollgate::testing::FakeTransport;
using tollgate::testing::fake_client_config;

namespace {

DeploymentStatus status(int64_t id, std::string description, std::string created_at) {
  DeploymentStatus s;
  s.id = id;
  s.state = "failure";
  s.description = std::move(description);
  s.created_at = std::move(created_at);
  return s;
}

size_t count(const std::vector<github::HttpRequest>& requests, const std::string& method,
             const std::string& part) {
  size_t n = 0;
  for (const auto& r : requests)
    n += r.method == method && r.url.find(part) != std::string::npos;
  return n;
}

constexpr const char* k_runs_with_key =
    R"j({"total_count":1,"workflow_runs":[{"id":77,"display_title":"Rollback production to abc (tollgate-rb-5)","html_url":"https://github.example/o/r/actions/runs/77"}]})j";

} // namespace

TEST_SUITE("publish::rollback") {
  TEST_CASE("the claim token is read back from a status description") {
    CHECK(claim_token_of("Probes failed: api; rollback claim 1001.1.ab12cd34") ==
          "1001.1.ab12cd34");
    CHECK(claim_token_of("Probes failed: api") == "");
    CHECK(claim_token_of("rollback claim x.y) trailing") == "x.y");
  }

  TEST_CASE("the earliest recent claim wins; claims long before ours are stale") {
    // Newest first, as GitHub lists them.
    const std::vector<DeploymentStatus> statuses = {
        status(14, "Probes failed; rollback claim mine", "2024-05-01T12:00:03Z"),
        status(13, "Probes failed", "2024-05-01T12:00:02Z"),
        status(12, "Probes failed; rollback claim other", "2024-05-01T12:00:01Z"),
        status(5, "Probes failed; rollback claim dead", "2024-05-01T11:00:00Z"),
    };
    CHECK(claim_token_of(winning_claim(statuses, "mine", 600)->description) == "other");
    CHECK(claim_token_of(winning_claim(statuses, "mine", 7200)->description) == "dead");
    CHECK(claim_token_of(winning_claim(statuses, "other", 600)->description) == "other");
    CHECK_FALSE(winning_claim(statuses, "absent", 600).has_value());
  }

  TEST_CASE("a server that refuses return_run_details gets the dispatch again without it, and the "
            "run is found by key") {
    FakeTransport t;
    FakeClock clock;
    std::vector<std::string> bodies;
    t.handler = [&](const github::HttpRequest& r) {
      if (r.method == "POST") {
        bodies.push_back(r.body);
        if (r.body.find("return_run_details") != std::string::npos)
          return FakeTransport::reply(
              422,
              R"({"message":"Invalid request.\n\n\"return_run_details\" is not a permitted key."})");
        return FakeTransport::reply(204, "");
      }
      return FakeTransport::reply(200, k_runs_with_key);
    };
    github::Client client(t, clock, fake_client_config(), [] { return 0.0; });
    DispatchRequest request{"rollback.yml",
                            "main",
                            {{"environment", "production"}, {"dedupe_key", "tollgate-rb-5"}},
                            "tollgate-rb-5"};
    const auto result = dispatch_workflow(client, clock, "/repos/o/r", request, {});
    CHECK(result.dispatched);
    CHECK(result.legacy);
    CHECK(result.run.id == 77);
    CHECK(result.run.html_url == "https://github.example/o/r/actions/runs/77");
    REQUIRE(bodies.size() == 2);
    CHECK(
        bodies[0] ==
        R"({"ref":"main","inputs":{"environment":"production","dedupe_key":"tollgate-rb-5"},"return_run_details":true})");
    CHECK(bodies[1] ==
          R"({"ref":"main","inputs":{"environment":"production","dedupe_key":"tollgate-rb-5"}})");
    CHECK(count(t.requests, "GET",
                "/actions/workflows/rollback.yml/runs?event=workflow_dispatch&created=%3E%3D") ==
          1);
  }

  TEST_CASE("other refusals are not retried") {
    FakeTransport t;
    FakeClock clock;
    t.handler = [](const github::HttpRequest&) {
      return FakeTransport::reply(422, R"({"message":"Unexpected inputs provided: [\"to_ref\"]"})");
    };
    github::Client client(t, clock, fake_client_config(), [] { return 0.0; });
    CHECK_THROWS_AS(
        dispatch_workflow(client, clock, "/repos/o/r", {"rollback.yml", "main", {}, "k"}, {}),
        github::ApiError);
    CHECK(t.requests.size() == 1);
  }

  TEST_CASE("a dispatch applied before a 502 is found by its key, not sent again") {
    FakeTransport t;
    FakeClock clock;
    t.handler = [](const github::HttpRequest& r) {
      if (r.method == "POST") return FakeTransport::reply(502, "<html>bad gateway</html>");
      return FakeTransport::reply(200, k_runs_with_key);
    };
    github::Client client(t, clock, fake_client_config(), [] { return 0.0; });
    const auto result = dispatch_workflow(client, clock, "/repos/o/r",
                                          {"rollback.yml", "main", {}, "tollgate-rb-5"}, {});
    CHECK(result.run.id == 77);
    CHECK(count(t.requests, "POST", "/dispatches") == 1);
  }

  TEST_CASE(
      "without a dedupe key, a dispatch applied before a 502 is found as the run that was not "
      "there before it") {
    for (const bool applied : {true, false}) {
      CAPTURE(applied);
      FakeTransport t;
      FakeClock clock;
      int posts = 0;
      t.handler = [&](const github::HttpRequest& r) {
        if (r.method == "POST") {
          ++posts;
          return posts == 1 ? FakeTransport::reply(502, "<html>bad gateway</html>")
                            : FakeTransport::reply(204, "");
        }
        const bool after = posts > 0 && applied;
        return FakeTransport::reply(
            200,
            after
                ? R"({"total_count":2,"workflow_runs":[{"id":78,"html_url":"https://github.example/o/r/actions/runs/78"},{"id":70}]})"
                : R"({"total_count":1,"workflow_runs":[{"id":70}]})");
      };
      github::Client client(t, clock, fake_client_config(), [] { return 0.0; });
      const auto result =
          dispatch_workflow(client, clock, "/repos/o/r", {"rollback.yml", "main", {}, ""}, {});
      CHECK(result.dispatched);
      // Applied: found, not sent again. Not applied: no new run, so it is sent again.
      CHECK(count(t.requests, "POST", "/dispatches") == (applied ? 1 : 2));
      CHECK(result.run.id == (applied ? 78 : 0));
    }
  }

  TEST_CASE("the run details returned by the server are used as they are") {
    FakeTransport t;
    FakeClock clock;
    t.handler = [](const github::HttpRequest&) {
      return FakeTransport::reply(
          200,
          R"({"workflow_run_id":91,"run_url":"https://api.example/repos/o/r/actions/runs/91","html_url":"https://github.example/o/r/actions/runs/91"})");
    };
    github::Client client(t, clock, fake_client_config(), [] { return 0.0; });
    const auto result =
        dispatch_workflow(client, clock, "/repos/o/r", {"rollback.yml", "main", {}, "k"}, {});
    CHECK_FALSE(result.legacy);
    CHECK(result.run.id == 91);
    CHECK(t.requests.size() == 1);
  }
}
