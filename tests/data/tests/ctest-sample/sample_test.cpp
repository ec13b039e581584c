// A tiny doctest suite for Tollgate's ctest test data (see ../make.sh).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <string>

TEST_CASE("arithmetic") {
  CHECK(1 + 1 == 2);
}

TEST_CASE("strings") {
  const std::string name = "tollgate";
  CHECK(name.size() == 9);
}
