#include "probe/duration.h"

#include <doctest/doctest.h>

using namespace tollgate::probe;

TEST_SUITE("probe::duration") {
  TEST_CASE("ms, s and m suffixes") {
    CHECK(*parse_duration("250ms") == 250);
    CHECK(*parse_duration("2s") == 2000);
    CHECK(*parse_duration("1.5s") == 1500);
    CHECK(*parse_duration("1m") == 60000);
    CHECK(*parse_duration(" 50ms ") == 50);
    CHECK(*parse_duration("0") == 0);
    CHECK(*parse_duration("0s") == 0);
  }

  TEST_CASE("a number without a unit is refused rather than guessed") {
    auto d = parse_duration("5");
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error() == "'5' needs a unit: ms, s or m");
  }

  TEST_CASE("unknown units, negative and absurd values are refused") {
    CHECK(parse_duration("5h").error() == "'5h': unknown unit 'h' (use ms, s or m)");
    CHECK_FALSE(parse_duration("-1s").has_value());
    CHECK_FALSE(parse_duration("s").has_value());
    CHECK_FALSE(parse_duration("").has_value());
    CHECK(parse_duration("2000m").error() == "'2000m' is longer than a day");
  }

  TEST_CASE("formatting picks the shortest exact unit") {
    CHECK(format_duration(250) == "250ms");
    CHECK(format_duration(2000) == "2s");
    CHECK(format_duration(1500) == "1.5s");
    CHECK(format_duration(120000) == "2m");
    CHECK(format_duration(1001) == "1001ms");
  }
}
