#include "probe/expectations.h"

#include <doctest/doctest.h>

using namespace tollgate::probe;

namespace {

const EnvLookup k_no_env = [](const std::string&) -> std::optional<std::string> {
  return std::nullopt;
};

ProbeSpec spec_with(std::initializer_list<std::pair<const char*, const char*>> keys) {
  ProbeSpec s;
  s.name = std::string("p"); // not = "p": GCC 12 -O3 warns falsely (-Wrestrict, GCC bug 105329)
  for (const auto& [k, v] : keys)
    REQUIRE_FALSE(apply_probe_key(s, k, v, k_no_env));
  return s;
}

Answer answer(int status, std::string body, double latency_ms = 5) {
  Answer a;
  a.status = status;
  a.body = std::move(body);
  a.latency_ms = latency_ms;
  return a;
}

constexpr int64_t k_now = 1'700'000'000;

} // namespace

TEST_SUITE("probe::expectations") {
  TEST_CASE("an answer meeting every expectation has no reasons") {
    const auto s = spec_with({{"expect-status", "200"},
                              {"expect-body", "ok"},
                              {"expect-regex", R"("v":\s*\d+)"},
                              {"expect-json", "/v >= 2"},
                              {"max-latency", "100ms"}});
    CHECK(check_answer(s, answer(200, R"({"status":"ok","v": 3})"), k_now).empty());
  }

  TEST_CASE("each broken expectation is one reason, in order") {
    const auto s = spec_with({{"expect-body", "ok"},
                              {"expect-regex", "^\\{"},
                              {"expect-json", R"(/status == "ok")"},
                              {"max-latency", "100ms"}});
    const auto reasons = check_answer(s, answer(503, "Service Unavailable", 250), k_now);
    CHECK(reasons ==
          std::vector<std::string>{"status 503 not in 2xx", "took 250 ms > max-latency 100 ms",
                                   "body does not contain \"ok\"", "body does not match /^\\{/",
                                   "body is not JSON (Invalid value. at line 1)"});
  }

  TEST_CASE("tls-min-days compares the certificate's expiry with now") {
    auto s = spec_with({{"url", "https://x"}, {"tls-min-days", "14"}});
    auto a = answer(200, "");
    a.cert_not_after = k_now + 3 * 86400;
    CHECK(check_answer(s, a, k_now) ==
          std::vector<std::string>{"certificate expires in 3.0 days < tls-min-days 14"});
    a.cert_not_after = k_now + 30 * 86400;
    CHECK(check_answer(s, a, k_now).empty());
    a.cert_not_after.reset();
    CHECK(check_answer(s, a, k_now) ==
          std::vector<std::string>{"the certificate's expiry could not be read"});
    CHECK(days_left(k_now - 43200, k_now) == doctest::Approx(-0.5));
  }

  TEST_CASE("percentile limits apply to the whole probe") {
    auto s = spec_with({{"max-p50", "100ms"}, {"max-p95", "200ms"}});
    CHECK_FALSE(check_percentiles(s, {90.0, 199.0, 500.0}).has_value());
    CHECK(check_percentiles(s, {120.0, 250.0, 500.0}) ==
          "p50 120 ms > max-p50 100 ms; p95 250 ms > max-p95 200 ms");
    CHECK_FALSE(check_percentiles(s, {std::nullopt, std::nullopt, std::nullopt}).has_value());
  }
}
