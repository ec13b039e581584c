#include "probe/json_expectation.h"
#include "util/json.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::probe;

namespace {

std::optional<std::string> check(std::string_view expectation, std::string_view body) {
  auto e = parse_json_expectation(expectation);
  REQUIRE_MESSAGE(e.has_value(), (e.has_value() ? "" : e.error()));
  auto doc = util::parse_json(body);
  REQUIRE(doc.has_value());
  return check_json_expectation(*e, *doc);
}

constexpr const char* k_health =
    R"({"status":"ok","version":"1.4.2","checks":{"db":{"latency_ms":12,"up":true}},"items":[1,2]})";

} // namespace

TEST_SUITE("probe::json_expectation") {
  TEST_CASE("equality with a JSON string, number, boolean, array") {
    CHECK_FALSE(check(R"(/status == "ok")", k_health));
    CHECK_FALSE(check("/checks/db/up == true", k_health));
    CHECK_FALSE(check("/checks/db/latency_ms == 12.0", k_health)); // numbers compare as numbers
    CHECK_FALSE(check("/items == [1, 2]", k_health));
    CHECK_FALSE(check("/items/1 == 2", k_health));
    CHECK(check(R"(/status == "degraded")", k_health) ==
          R"(/status is "ok", expected == "degraded")");
  }

  TEST_CASE("a bare word on the right is a string") {
    CHECK_FALSE(check("/status == ok", k_health));
    CHECK(check("/status != ok", k_health) == R"(/status is "ok", expected != "ok")");
  }

  TEST_CASE("ordering compares numbers") {
    CHECK_FALSE(check("/checks/db/latency_ms < 50", k_health));
    CHECK_FALSE(check("/checks/db/latency_ms <= 12", k_health));
    CHECK_FALSE(check("/checks/db/latency_ms>=12", k_health));
    CHECK(check("/checks/db/latency_ms < 10", k_health) ==
          "/checks/db/latency_ms is 12, expected < 10");
    CHECK(check("/status > 1", k_health) == R"(/status is a string ("ok"), not a number)");
  }

  TEST_CASE("a pointer alone asks that the member exists") {
    CHECK_FALSE(check("/version", k_health));
    CHECK(check("/checks/cache/up", k_health) == "/checks/cache/up is missing");
    CHECK(check(R"(/nope == "x")", k_health) == "/nope is missing");
  }

  TEST_CASE("pointer escapes follow RFC 6901") {
    CHECK_FALSE(check("/a~1b == 1", R"({"a/b":1})"));
    CHECK_FALSE(check("/m~0n == 2", R"({"m~n":2})"));
  }

  TEST_CASE("malformed expectations are refused with the reason") {
    CHECK(parse_json_expectation("status == ok").error() ==
          R"('status == ok': a JSON pointer starts with '/' (e.g. /status == "ok"))");
    CHECK(parse_json_expectation("/a =~ 1").error() ==
          "'/a =~ 1': expected one of == != < <= > >= after the pointer");
    CHECK(parse_json_expectation("/a ==").error() == "'/a ==': nothing to compare with");
    CHECK(parse_json_expectation("/a < fast").error() ==
          "'/a < fast': < compares numbers; 'fast' is not one");
    CHECK_FALSE(parse_json_expectation("").has_value());
  }

  TEST_CASE("long actual values are shortened in the reason") {
    const std::string body = R"({"s":")" + std::string(500, 'x') + R"("})";
    const auto why = check(R"(/s == "y")", body);
    REQUIRE(why);
    CHECK(why->size() < 150);
  }
}
