#include "probe/percentile.h"

#include <doctest/doctest.h>
#include <numeric>
#include <vector>

using namespace tollgate::probe;

TEST_SUITE("probe::percentile") {
  TEST_CASE("nearest rank: the smallest value with at least p% at or below it") {
    const std::vector<double> v{40, 10, 30, 20};
    CHECK(*percentile(v, 50) == 20);
    CHECK(*percentile(v, 75) == 30);
    CHECK(*percentile(v, 76) == 40);
    CHECK(*percentile(v, 100) == 40);
    CHECK(*percentile(v, 1) == 10);
  }

  TEST_CASE("p95 and p99 of 1..100 and of 20 samples") {
    std::vector<double> hundred(100);
    std::iota(hundred.begin(), hundred.end(), 1.0);
    const auto p = latency_percentiles(hundred);
    CHECK(*p.p50 == 50);
    CHECK(*p.p95 == 95);
    CHECK(*p.p99 == 99);
    std::vector<double> twenty(20);
    std::iota(twenty.begin(), twenty.end(), 1.0);
    CHECK(*percentile(twenty, 95) == 19); // exactly 95% of 20, not one rank more
    CHECK(*percentile(twenty, 99) == 20);
  }

  TEST_CASE("one value is every percentile; none gives nothing") {
    CHECK(*percentile({7.5}, 50) == 7.5);
    CHECK(*percentile({7.5}, 99) == 7.5);
    CHECK_FALSE(percentile({}, 50).has_value());
    CHECK_FALSE(percentile({1, 2}, 0).has_value());
  }
}
