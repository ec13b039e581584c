#include <doctest/doctest.h>

#include "report/pull_files.h"

using namespace tollgate::report;

TEST_SUITE("report::pull_files") {
  TEST_CASE("patch hunks with context give the added lines of the new side") {
    // As GitHub lists them: three lines of context, no file header.
    const std::vector<PullFile> files = {
        {"src/calc.py", "modified", 2, "@@ -1,4 +1,6 @@\n def add(a, b):\n+    # new\n     return a + b\n-\n+x = 1\n \n \n"},
        {"src/new.py", "added", 2, "@@ -0,0 +1,2 @@\n+a\n+b"},
        {"src/old.py", "removed", 0, "@@ -1,2 +0,0 @@\n-a\n-b"},
        {"img/logo.png", "modified", 0, std::nullopt}, // binary: no patch, nothing added
    };
    const auto c = changed_lines_from_pull_files(files);
    REQUIRE(c.lines);
    CHECK(c.lines->at("src/calc.py") == std::vector<int>{2, 4});
    CHECK(c.lines->at("src/new.py") == std::vector<int>{1, 2});
    CHECK(c.lines->count("src/old.py") == 0);
  }

  TEST_CASE("a file with added lines but no patch makes the changed lines not measured") {
    const auto c = changed_lines_from_pull_files({{"big.sql", "modified", 40000, std::nullopt}});
    CHECK_FALSE(c.lines);
    CHECK(c.not_measured.find("no diff for 1 changed file") != std::string::npos);
  }

  TEST_CASE("a listing as long as GitHub's cap may be cut short: not measured") {
    std::vector<PullFile> files(k_pull_files_listed_max, PullFile{"a.py", "modified", 1, "@@ -1 +1 @@\n-a\n+b"});
    const auto c = changed_lines_from_pull_files(files);
    CHECK_FALSE(c.lines);
    CHECK(c.not_measured.find("3000") != std::string::npos);
  }

  TEST_CASE("a file name never reaches the diff parser") {
    const auto c = changed_lines_from_pull_files({{"x\n+++ b/evil.py", "added", 1, "@@ -0,0 +1 @@\n+a"}});
    REQUIRE(c.lines);
    CHECK(c.lines->size() == 1);
    CHECK(c.lines->at("x\n+++ b/evil.py") == std::vector<int>{1});
  }
}
