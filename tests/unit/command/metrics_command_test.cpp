#include "command/metrics_command.h"
#include "util/error.h"

#include <doctest/doctest.h>

using namespace tollgate;

TEST_SUITE("command::metrics_command") {
  TEST_CASE("a window's ends are spans back from now, dates or UTC times") {
    const int64_t now = 1791158400 + 12 * 3600; // 2026-10-05T12:00:00Z
    CHECK(command::parse_metrics_time("--since", "30d", now) == now - 30 * 86400);
    CHECK(command::parse_metrics_time("--since", "2w", now) == now - 14 * 86400);
    CHECK(command::parse_metrics_time("--since", "36h", now) == now - 36 * 3600);
    CHECK(command::parse_metrics_time("--since", "90m", now) == now - 90 * 60);
    CHECK(command::parse_metrics_time("--since", "2026-10-05", now) == 1791158400);
    CHECK(command::parse_metrics_time("--until", "2026-10-05T06:30:00Z", now) ==
          1791158400 + 6 * 3600 + 1800);
  }

  TEST_CASE("anything else is refused, naming the option") {
    for (const char* bad :
         {"30", "30x", "-3d", "2026-02-31", "2026-10-05T25:00:00Z", "2026-10-05 06:00", ""})
      CHECK_THROWS_WITH_AS(command::parse_metrics_time("--since", bad, 0),
                           doctest::Contains("--since"), util::InputError);
  }
}
