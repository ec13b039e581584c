#include <doctest/doctest.h>

#include <algorithm>

#include "command/tollgate_config.h"
#include "util/error.h"
#include "util/yaml.h"

using namespace tollgate;

namespace {

std::string error_of(const std::string& text) {
  try {
    command::check_config_keys(*util::load_yaml(text), "t.yml");
  } catch (const util::InputError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_SUITE("command::tollgate_config") {
  TEST_CASE("a misspelled key names its line, column and the key it probably meant") {
    CHECK(error_of("coverage:\n  min_line: 80\n") == "t.yml:2:3: unknown key 'min_line' in coverage; did you mean min-line?");
    CHECK(error_of("coverag:\n  min-line: 80\n") == "t.yml:1:1: unknown key 'coverag' at the top level; did you mean coverage?");
    CHECK(error_of("probes:\n  - url: x\n    expect_status: 200\n") ==
          "t.yml:3:5: unknown key 'expect_status' in probes[]; did you mean expect-status?");
  }

  TEST_CASE("a key near none lists the keys of its section") {
    CHECK(error_of("tests:\n  min-tests: 1\n") ==
          "t.yml:1:1: unknown key 'tests' at the top level (the keys are: coverage, analysis, probes, lighthouse, scan)");
  }

  TEST_CASE("every key a command reads is in the schema, coverage.exclude included") {
    CHECK(error_of("coverage: {min-line: 1, min-branch: 1, min-file: {a: 1}, min-patch: 1, max-drop: 1, "
                   "path-map: a=b, exclude: [vendor/**]}\nanalysis: {interval: 1s, inconclusive: fail}\n"
                   "probes: [{url: x, headers: {A: b}, analysis: {count: 1}, failure-limit: 1}]\n"
                   "lighthouse: {anything: [goes]}\n") == "");
    const auto keys = command::config_keys("coverage");
    CHECK(std::find(keys.begin(), keys.end(), "exclude") != keys.end());
  }

  TEST_CASE("merge keys are refused in the Tollgate config with a reason") {
    CHECK(error_of("d: &d {min-line: 1}\n").find("unknown key 'd'") != std::string::npos);
    CHECK(error_of("coverage:\n  <<: {min-line: 1}\n").find("merge keys (<<) are not applied") != std::string::npos);
  }

  TEST_CASE("a section of the wrong shape is refused") {
    CHECK(error_of("coverage: [1]\n") == "t.yml:1:11: coverage: expected a mapping of keys");
    CHECK(error_of("- a\n") == "t.yml:1:1: the Tollgate config must be a mapping (coverage:, probes:, ...)");
  }

  TEST_CASE("an unknown key is shown without line breaks") {
    CHECK(error_of("\"a\\n::error::x\": 1\n") == "t.yml:1:1: unknown key 'a?::error::x' at the top level (the keys are: "
                                                     "coverage, analysis, probes, lighthouse, scan)");
  }

  TEST_CASE("suggestions stay near") {
    const std::vector<std::string_view> known = {"min-line", "min-branch"};
    CHECK(command::nearest_key("MIN_LINE", known) == "min-line");
    CHECK(command::nearest_key("exclude", known) == "");
  }
}
