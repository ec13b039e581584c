#include <doctest/doctest.h>

#include "util/files.h"

using tollgate::util::glob_match;

TEST_SUITE("util::files") {
  TEST_CASE("a single star stays within one directory") {
    CHECK(glob_match("*.xml", "a.xml"));
    CHECK_FALSE(glob_match("*.xml", "d/a.xml"));
    CHECK(glob_match("d/*.xml", "d/a.xml"));
  }

  TEST_CASE("a double star spans directories, including none") {
    CHECK(glob_match("**/*.xml", "a.xml"));
    CHECK(glob_match("**/*.xml", "x/y/a.xml"));
    CHECK(glob_match("results/**/*.json", "results/leg-1/out.json"));
    CHECK(glob_match("results/**/*.json", "results/out.json"));
    CHECK_FALSE(glob_match("results/**/*.json", "other/out.json"));
  }

  TEST_CASE("a question mark matches one character but not a slash") {
    CHECK(glob_match("a?c", "abc"));
    CHECK_FALSE(glob_match("a?c", "a/c"));
  }
}
