#include "probe/probe_config.h"
#include "util/error.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::probe;

namespace {

std::optional<std::string> env(const std::string& name) {
  if (name == "API_TOKEN") return std::string("s3cr3t");
  return std::nullopt;
}

std::string error_of(const YAML::Node& config, const ProbeInputs& inputs = {}) {
  try {
    build_probe_specs(config, "tollgate.yml", inputs, env);
  } catch (const util::InputError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_SUITE("probe::probe_config") {
  TEST_CASE("probes from the config's list, with headers from the environment") {
    const auto config = YAML::Load(R"(
probes:
  - name: api
    url: https://api.example/health
    headers: {Authorization: "Bearer ${API_TOKEN}"}
    expect-status: [200, 204]
    expect-json: ['/status == "ok"', '/checks/db/latency_ms < 50']
    tls-min-days: 14
  - url: http://web.example/
)");
    const auto specs = build_probe_specs(config, "tollgate.yml", {}, env);
    REQUIRE(specs.size() == 2);
    CHECK(specs[0].name == "api");
    CHECK(specs[0].headers[0].second == "Bearer s3cr3t");
    CHECK(specs[0].expect_status.contains(204));
    CHECK_FALSE(specs[0].expect_status.contains(201));
    CHECK(specs[0].expect_json.size() == 2);
    CHECK(specs[0].tls_min_days == 14);
    CHECK(specs[1].name == "http://web.example/");
  }

  TEST_CASE("precedence: defaults, config analysis, command line, then the probe's own keys") {
    const auto config = YAML::Load(R"(
analysis: {interval: 2s, count: 10, failure-limit: 3}
probes:
  - {name: a, url: "http://a/", count: 4}
  - {name: b, url: "http://b/"}
)");
    ProbeInputs inputs;
    inputs.analysis = {{"count", "6"}, {"timeout", "500ms"}};
    const auto specs = build_probe_specs(config, "tollgate.yml", inputs, env);
    CHECK(specs[0].policy.count == 4);          // the probe's own key wins
    CHECK(specs[1].policy.count == 6);          // the command line beats the config's analysis
    CHECK(specs[1].policy.interval_ms == 2000); // from the config's analysis
    CHECK(specs[1].policy.failure_limit == 3);
    CHECK(specs[1].policy.timeout_ms == 500);
    CHECK(specs[1].policy.consecutive_error_limit == 4); // the default
  }

  TEST_CASE("--url probes replace the config's list and share the command line's keys") {
    const auto config = YAML::Load("probes: [{url: 'http://from-config/'}]");
    ProbeInputs inputs;
    inputs.urls = {"http://one/", "http://two/"};
    inputs.probe = {{"expect-body", "ok"}, {"method", "HEAD"}};
    inputs.ca_file = "ca.pem";
    const auto specs = build_probe_specs(config, "tollgate.yml", inputs, env);
    REQUIRE(specs.size() == 2);
    CHECK(specs[1].url == "http://two/");
    CHECK(specs[1].method == "HEAD");
    CHECK(specs[1].expect_body == std::vector<std::string>{"ok"});
    CHECK(specs[0].ca_file == "ca.pem");
  }

  TEST_CASE("mistakes name the file, the line and the key") {
    CHECK(error_of(YAML::Load("probes:\n  - url: http://a/\n    expect-stauts: 200\n")) ==
          "tollgate.yml:3:5: probes[0]: unknown key 'expect-stauts'");
    CHECK(error_of(YAML::Load("probes:\n  - url: http://a/\n    interval: 5\n")) ==
          "tollgate.yml:3:15: probes[0]: interval: '5' needs a unit: ms, s or m");
    CHECK(error_of(YAML::Load("analysis: {cout: 3}\nprobes: [{url: 'http://a/'}]\n")) ==
          "tollgate.yml:1:12: analysis: unknown key 'cout'");
    CHECK(
        error_of(YAML::Load("probes:\n  - url: http://a/\n    headers: {X-Key: '${NOPE}'}\n")) ==
        "tollgate.yml:3:22: probes[0].headers: header X-Key: environment variable NOPE is not set");
    CHECK(error_of(YAML::Load("probes: [{name: x}]")) == "tollgate.yml:1:10: probe 'x' has no url");
    CHECK(error_of(YAML::Load("probes: [{url: 'http://a/'}, {url: 'http://a/'}]")) ==
          "probe: two probes are named 'http://a/'");
    CHECK(error_of(YAML::Node()) ==
          "probe: nothing to probe; give --url or a `probes:` list in tollgate.yml");
    ProbeInputs bad;
    bad.urls = {"http://a/"};
    bad.analysis = {{"count", "0"}};
    CHECK(error_of(YAML::Node(), bad) == "--count: '0' is not a whole number from 1 to 100000");
  }
}
