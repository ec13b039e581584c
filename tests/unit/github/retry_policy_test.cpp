#include <doctest/doctest.h>

#include "github/retry_policy.h"

using namespace tollgate::github;

namespace {
HttpResponse response(int status, Headers headers = {}, std::string body = "{}") {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}
constexpr int64_t k_now = 1'700'000'000;
} // namespace

TEST_SUITE("github::retry_policy") {
  TEST_CASE("server errors back off exponentially with jitter") {
    RetryPolicy p;
    p.base_delay_ms = 1000;
    auto d1 = decide_retry(p, 1, response(502), 0, k_now, 0.0);
    auto d2 = decide_retry(p, 2, response(502), 0, k_now, 0.0);
    auto d3 = decide_retry(p, 3, response(503), 0, k_now, 0.999);
    CHECK(d1.retry);
    CHECK(d1.may_have_applied);
    CHECK(d1.wait_ms == 500);
    CHECK(d2.wait_ms == 1000);
    CHECK(d3.wait_ms >= 3990);
    CHECK(d3.wait_ms < 4000);
  }

  TEST_CASE("backoff is capped") {
    RetryPolicy p;
    p.base_delay_ms = 1000;
    p.max_delay_ms = 8000;
    p.max_attempts = 100;
    p.budget_ms = 1'000'000;
    CHECK(decide_retry(p, 30, response(500), 0, k_now, 0.0).wait_ms == 4000);
  }

  TEST_CASE("connection errors and timeouts are retried and may have been applied") {
    HttpResponse r;
    r.status = 0;
    r.timed_out = true;
    const auto d = decide_retry(RetryPolicy{}, 1, r, 0, k_now, 0.5);
    CHECK(d.retry);
    CHECK(d.may_have_applied);
    CHECK(d.reason == "timed out");
  }

  TEST_CASE("a secondary rate limit waits as retry-after says and was not applied") {
    const auto d = decide_retry(RetryPolicy{}, 1, response(403, {{"retry-after", "7"}}, R"({"message":"You have exceeded a secondary rate limit"})"), 0, k_now, 0.3);
    CHECK(d.retry);
    CHECK_FALSE(d.may_have_applied);
    CHECK(d.wait_ms == 7000);
  }

  TEST_CASE("a secondary rate limit without retry-after waits at least a minute") {
    const auto d = decide_retry(RetryPolicy{}, 1, response(403, {}, R"({"message":"You have exceeded a secondary rate limit"})"), 0, k_now, 0.0);
    CHECK(d.retry);
    CHECK(d.wait_ms == 60000);
  }

  TEST_CASE("an exhausted primary limit waits until the reset time") {
    const auto d = decide_retry(RetryPolicy{}, 1,
                                response(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", std::to_string(k_now + 12)}}),
                                0, k_now, 0.0);
    CHECK(d.retry);
    CHECK(d.wait_ms == 13000);
  }

  TEST_CASE("429 honours retry-after") {
    const auto d = decide_retry(RetryPolicy{}, 2, response(429, {{"retry-after", "3"}}), 0, k_now, 0.9);
    CHECK(d.retry);
    CHECK(d.wait_ms == 3000);
  }

  TEST_CASE("a permission error is not retried") {
    const auto d = decide_retry(RetryPolicy{}, 1, response(403, {}, R"({"message":"Resource not accessible by integration"})"), 0, k_now, 0.0);
    CHECK_FALSE(d.retry);
    CHECK_FALSE(is_rate_limited(response(403, {}, R"({"message":"Resource not accessible by integration"})")));
  }

  TEST_CASE("validation errors are not retried") {
    CHECK_FALSE(decide_retry(RetryPolicy{}, 1, response(422), 0, k_now, 0.0).retry);
    CHECK_FALSE(decide_retry(RetryPolicy{}, 1, response(404), 0, k_now, 0.0).retry);
  }

  TEST_CASE("the attempt limit and the time budget end retries") {
    RetryPolicy p;
    p.max_attempts = 3;
    CHECK_FALSE(decide_retry(p, 3, response(500), 0, k_now, 0.0).retry);
    p.max_attempts = 10;
    p.budget_ms = 10'000;
    const auto d = decide_retry(p, 1, response(403, {{"retry-after", "30"}}), 0, k_now, 0.0);
    CHECK_FALSE(d.retry);
    CHECK(d.reason.find("budget") != std::string::npos);
  }
}
