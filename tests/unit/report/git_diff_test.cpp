#include <doctest/doctest.h>

#include "report/git_diff.h"

using namespace tollgate::report;

TEST_SUITE("report::git_diff") {
  TEST_CASE("added lines are collected per new path") {
    const auto c = parse_git_diff("diff --git a/src/a.py b/src/a.py\nindex 1..2 100644\n--- a/src/a.py\n+++ b/src/a.py\n"
                                  "@@ -3,0 +4,2 @@\n+x\n+y\n@@ -10 +12 @@\n-old\n+new\n");
    REQUIRE(c);
    CHECK(c->at("src/a.py") == std::vector<int>{4, 5, 12});
  }

  TEST_CASE("deleted files add nothing; new files add every line") {
    const auto c = parse_git_diff("--- a/gone.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"
                                  "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    REQUIRE(c);
    CHECK(c->count("gone.txt") == 0);
    CHECK(c->at("new.txt") == std::vector<int>{1, 2});
  }

  TEST_CASE("quoted paths are unquoted") {
    const auto c = parse_git_diff("+++ \"b/dir/x\\ty.txt\"\n@@ -0,0 +1 @@\n+a\n");
    REQUIRE(c);
    CHECK(c->count("dir/x\ty.txt") == 1);
  }

  TEST_CASE("a malformed hunk header names its line") {
    const auto c = parse_git_diff("+++ b/a\n@@ garbage\n");
    REQUIRE_FALSE(c);
    CHECK(c.error().line == 2);
  }

  TEST_CASE("is_changed looks up one line") {
    const auto c = parse_git_diff("+++ b/a\n@@ -1 +1,2 @@\n+x\n+y\n");
    CHECK(is_changed(*c, "a", 2));
    CHECK_FALSE(is_changed(*c, "a", 3));
    CHECK_FALSE(is_changed(*c, "b", 1));
  }
}
