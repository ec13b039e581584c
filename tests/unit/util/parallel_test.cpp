#include <doctest/doctest.h>

#include "util/parallel.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

using namespace tollgate;

TEST_SUITE("util::parallel") {
  TEST_CASE("every index runs exactly once") {
    for (size_t n : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> runs(n);
      util::parallel_for(n, [&](size_t i) { ++runs[i]; });
      for (size_t i = 0; i < n; ++i)
        CHECK(runs[i].load() == 1);
    }
  }

  TEST_CASE("the failure reported is the lowest failing index, after all have run") {
    std::atomic<int> ran{0};
    try {
      util::parallel_for(200, [&](size_t i) {
        ++ran;
        if (i == 150 || i == 40 || i == 199) throw std::runtime_error(std::to_string(i));
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "40");
    }
    CHECK(ran.load() == 200);
  }
}
