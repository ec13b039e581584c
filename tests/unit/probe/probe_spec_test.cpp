#include "probe/probe_spec.h"

#include <doctest/doctest.h>
#include <map>

using namespace tollgate::probe;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

} // namespace

TEST_SUITE("probe::probe_spec") {
  TEST_CASE("status sets: codes, ranges and classes") {
    auto s = parse_status_set("200, 204,3xx");
    REQUIRE(s.has_value());
    CHECK(s->contains(200));
    CHECK(s->contains(204));
    CHECK(s->contains(302));
    CHECK_FALSE(s->contains(201));
    CHECK_FALSE(s->contains(404));
    auto r = parse_status_set("200-299");
    CHECK(r->contains(250));
    CHECK_FALSE(r->contains(300));
    CHECK(StatusSet{}.contains(299)); // default: 2xx
    CHECK_FALSE(StatusSet{}.contains(301));
    CHECK(parse_status_set("20").error() ==
          "expect-status: '20' is not a status code, range (200-299) or class (2xx)");
    CHECK_FALSE(parse_status_set("299-200").has_value());
    CHECK_FALSE(parse_status_set("").has_value());
  }

  TEST_CASE("${NAME} takes an environment variable; $$ is a dollar; unset is an error naming it") {
    const auto env = env_of({{"API_TOKEN", "s3cr3t"}, {"HOST", "api.example"}});
    CHECK(*expand_env("Bearer ${API_TOKEN}", env) == "Bearer s3cr3t");
    CHECK(*expand_env("https://${HOST}/x?p=$$5&q=$HOST", env) ==
          "https://api.example/x?p=$5&q=$HOST");
    CHECK(expand_env("${MISSING}", env).error() == "environment variable MISSING is not set");
    CHECK(expand_env("${1X}", env).error() == "'${1X}' is not an environment variable name");
    CHECK(expand_env("${OPEN", env).error() == "an unterminated ${ reference");
  }

  TEST_CASE("the URL is expanded but shown as written") {
    ProbeSpec s;
    REQUIRE_FALSE(
        apply_probe_key(s, "url", "https://${HOST}/health", env_of({{"HOST", "api.example"}})));
    CHECK(s.url == "https://api.example/health");
    CHECK(s.shown_url == "https://${HOST}/health");
    CHECK(s.name == "https://${HOST}/health");
  }

  TEST_CASE("headers are 'Name: value' with the value expanded, and never split a line") {
    ProbeSpec s;
    const auto env = env_of({{"T", "abc"}, {"NL", "a\r\nX-Evil: 1"}});
    REQUIRE_FALSE(apply_probe_key(s, "header", "Authorization: Bearer ${T}", env));
    REQUIRE(s.headers.size() == 1);
    CHECK(s.headers[0] == std::pair<std::string, std::string>{"Authorization", "Bearer abc"});
    CHECK(apply_probe_key(s, "header", "no colon", env) == "header: write it as 'Name: value'");
    CHECK(apply_probe_key(s, "header", "X-A: ${NL}", env) ==
          "header X-A: the value has a line break");
    CHECK(apply_probe_key(s, "header", "X-B: ${NOPE}", env) ==
          "header X-B: environment variable NOPE is not set");
  }

  TEST_CASE("every analysis key parses its kind of value") {
    AnalysisPolicy p;
    CHECK_FALSE(apply_analysis_key(p, "initial-delay", "2s"));
    CHECK_FALSE(apply_analysis_key(p, "interval", "50ms"));
    CHECK_FALSE(apply_analysis_key(p, "count", "7"));
    CHECK_FALSE(apply_analysis_key(p, "timeout", "1m"));
    CHECK_FALSE(apply_analysis_key(p, "failure-limit", "2"));
    CHECK_FALSE(apply_analysis_key(p, "consecutive-error-limit", "0"));
    CHECK_FALSE(apply_analysis_key(p, "consecutive-success-limit", "3"));
    CHECK_FALSE(apply_analysis_key(p, "inconclusive", "pass"));
    CHECK(p.initial_delay_ms == 2000);
    CHECK(p.interval_ms == 50);
    CHECK(p.count == 7);
    CHECK(p.timeout_ms == 60000);
    CHECK(p.failure_limit == 2);
    CHECK(p.consecutive_error_limit == 0);
    CHECK(p.consecutive_success_limit == 3);
    CHECK(p.inconclusive_passes);
    CHECK(apply_analysis_key(p, "count", "many") ==
          "count: 'many' is not a whole number from 1 to 100000");
    CHECK(apply_analysis_key(p, "interval", "5") == "interval: '5' needs a unit: ms, s or m");
    CHECK(apply_analysis_key(p, "inconclusive", "maybe") ==
          "inconclusive: 'maybe' is neither fail nor pass");
    CHECK(apply_analysis_key(p, "countt", "1") == "unknown analysis key 'countt'");
  }

  TEST_CASE("probe keys: method, expectations, limits, regexes checked when given") {
    ProbeSpec s;
    const auto env = env_of({});
    CHECK_FALSE(apply_probe_key(s, "method", "post", env));
    CHECK(s.method == "POST");
    CHECK_FALSE(apply_probe_key(s, "expect-regex", R"("version":\s*"\d+)", env));
    CHECK(apply_probe_key(s, "expect-regex", "(unclosed", env)
              ->rfind("expect-regex: '(unclosed': missing ", 0) == 0);
    CHECK_FALSE(apply_probe_key(s, "max-p95", "300ms", env));
    CHECK(s.max_p95_ms == 300);
    CHECK_FALSE(apply_probe_key(s, "tls-min-days", "14", env));
    CHECK(apply_probe_key(s, "tls-min-days", "-1", env) ==
          "tls-min-days: '-1' is not a whole number from 0 to 3650");
    CHECK(apply_probe_key(s, "method", "GET X", env) == "method: 'GET X' is not an HTTP method");
  }

  TEST_CASE("validation: a URL, http or https only, tls-min-days only over https") {
    ProbeSpec s;
    s.name = std::string("p"); // not = "p": GCC 12 -O3 warns falsely (-Wrestrict, GCC bug 105329)
    CHECK(validate(s) == "probe 'p' has no url");
    s.url = "ftp://x";
    CHECK(validate(s) == "probe 'p': only http:// and https:// URLs can be probed");
    s.url = "http://x";
    s.tls_min_days = 3;
    CHECK(validate(s) == "probe 'p': tls-min-days needs an https:// URL");
    s.url = "https://x";
    CHECK_FALSE(validate(s).has_value());
  }
}
