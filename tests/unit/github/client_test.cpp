#include <doctest/doctest.h>

#include "github/client.h"
#include "github/link_header.h"
#include "support/fakes.h"
#include "util/json.h"

using namespace tollgate;
using namespace tollgate::github;
using tollgate::testing::FakeClock;
using tollgate::testing::FakeTransport;

namespace {
ClientConfig config() {
  ClientConfig c;
  c.api_url = "https://ghes.example/api/v3";
  c.token = "sekrit-token";
  c.retry.base_delay_ms = 100;
  return c;
}
std::optional<std::string> header(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}
} // namespace

TEST_SUITE("github::client") {
  TEST_CASE("requests carry the API headers and the token as a bearer") {
    FakeTransport t;
    FakeClock clock;
    t.responses.push_back(FakeTransport::reply(200, R"({"id":1})"));
    Client client(t, clock, config(), [] { return 0.0; });
    auto r = client.get("/repos/o/r");
    CHECK(r.json["id"].GetInt() == 1);
    REQUIRE(t.requests.size() == 1);
    CHECK(t.requests[0].url == "https://ghes.example/api/v3/repos/o/r");
    CHECK(header(t.requests[0], "Accept") == "application/vnd.github+json");
    CHECK(header(t.requests[0], "X-GitHub-Api-Version") == "2022-11-28");
    CHECK(header(t.requests[0], "User-Agent")->rfind("tollgate/", 0) == 0);
    CHECK(header(t.requests[0], "Authorization") == "Bearer sekrit-token");
  }

  TEST_CASE("a read is retried after server errors with growing waits") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(502, ""), FakeTransport::reply(503, ""), FakeTransport::reply(200, "[]")};
    Client client(t, clock, config(), [] { return 0.0; });
    client.get("/x");
    CHECK(t.requests.size() == 3);
    CHECK(clock.sleeps == std::vector<int64_t>{50, 100});
  }

  TEST_CASE("a create that was applied before the error is looked up, not sent again") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(502, "<html>bad gateway</html>")};
    Client client(t, clock, config(), [] { return 0.0; });
    int lookups = 0;
    auto r = client.write_once("POST", "/repos/o/r/check-runs", "{}", [&]() -> std::optional<ApiResponse> {
      ++lookups;
      ApiResponse found;
      found.status = 200;
      found.json.Parse(R"({"id":77})");
      return found;
    });
    CHECK(lookups == 1);
    CHECK(t.requests.size() == 1);
    CHECK(r.json["id"].GetInt() == 77);
  }

  TEST_CASE("a create that was not applied is sent again") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(500, ""), FakeTransport::reply(201, R"({"id":5})")};
    Client client(t, clock, config(), [] { return 0.0; });
    auto r = client.write_once("POST", "/c", "{}", [] { return std::optional<ApiResponse>(); });
    CHECK(t.requests.size() == 2);
    CHECK(r.json["id"].GetInt() == 5);
  }

  TEST_CASE("a rate-limited create is not looked up: it was not applied") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(403, R"({"message":"You have exceeded a secondary rate limit"})", {{"retry-after", "2"}}),
                   FakeTransport::reply(201, R"({"id":5})")};
    Client client(t, clock, config(), [] { return 0.0; });
    int lookups = 0;
    client.write_once("POST", "/c", "{}", [&] { ++lookups; return std::optional<ApiResponse>(); });
    CHECK(lookups == 0);
    CHECK(clock.sleeps == std::vector<int64_t>{2000});
  }

  TEST_CASE("a permission error surfaces as such without retries") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(403, R"({"message":"Resource not accessible by integration"})")};
    Client client(t, clock, config(), [] { return 0.0; });
    try {
      client.write_once("POST", "/c", "{}", [] { return std::optional<ApiResponse>(); });
      FAIL("expected ApiError");
    } catch (const ApiError& e) {
      CHECK(e.is_permission_error());
      CHECK(e.api_message() == "Resource not accessible by integration");
      CHECK(std::string(e.what()).find("sekrit") == std::string::npos);
    }
    CHECK(t.requests.size() == 1);
  }

  TEST_CASE("pagination follows rel=next on the API origin") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(200, R"({"check_runs":[{"id":1},{"id":2}]})",
                                        {{"link", R"(<https://ghes.example/api/v3/x?page=2>; rel="next", <https://ghes.example/api/v3/x?page=2>; rel="last")"}}),
                   FakeTransport::reply(200, R"({"check_runs":[{"id":3}]})")};
    Client client(t, clock, config(), [] { return 0.0; });
    auto items = client.get_all("/x", "check_runs");
    REQUIRE(items.size() == 3);
    CHECK(items[2]["id"].GetInt() == 3);
    CHECK(t.requests[1].url == "https://ghes.example/api/v3/x?page=2");
  }

  TEST_CASE("a next page on another host is refused, so the token never goes there") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(200, "[]", {{"link", R"(<https://evil.example/x?page=2>; rel="next")"}})};
    Client client(t, clock, config(), [] { return 0.0; });
    CHECK_THROWS_AS(client.get_all("/x"), ApiError);
    CHECK(t.requests.size() == 1);
  }

  TEST_CASE("a redirect to another host is not followed") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(307, "", {{"location", "https://evil.example/steal"}})};
    Client client(t, clock, config(), [] { return 0.0; });
    CHECK_THROWS_AS(client.get("/x"), ApiError);
    CHECK(t.requests.size() == 1);
  }

  TEST_CASE("a redirect on the same origin is followed with the token") {
    FakeTransport t;
    FakeClock clock;
    t.responses = {FakeTransport::reply(301, "", {{"location", "/api/v3/repos/new/name"}}), FakeTransport::reply(200, "{}")};
    Client client(t, clock, config(), [] { return 0.0; });
    client.get("/repos/old/name");
    REQUIRE(t.requests.size() == 2);
    CHECK(t.requests[1].url == "https://ghes.example:443/api/v3/repos/new/name");
    CHECK(header(t.requests[1], "Authorization").has_value());
  }
}

TEST_SUITE("github::link_header") {
  TEST_CASE("the next URL is found among several relations") {
    CHECK(next_page_url(R"(<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next")") == "https://a/x?page=3");
    CHECK(!next_page_url(R"(<https://a/x?page=1>; rel="prev")"));
    CHECK(!next_page_url(""));
    CHECK(next_page_url("<u>; rel=next") == "u");
  }
}

TEST_SUITE("github::http") {
  TEST_CASE("origins compare scheme, host and port") {
    CHECK(origin_of("https://API.example/x") == "https://api.example:443");
    CHECK(origin_of("https://api.example:443/y") == origin_of("https://api.example/z"));
    CHECK(origin_of("http://127.0.0.1:8080/a") == "http://127.0.0.1:8080");
    CHECK(origin_of("https://user@evil.example/") == "https://evil.example:443");
  }
}
