#include <doctest/doctest.h>

#include "report/repo_paths.h"

using namespace tollgate::report;

namespace {
RepoPaths repo() {
  return RepoPaths("/home/runner/work/app/app",
                   std::vector<std::string>{"src/app/main.py", "tests/test_main.py", "lib/util.go", "a/util.go",
                                            "java/com/acme/FooTest.java"});
}
} // namespace

TEST_SUITE("report::repo_paths") {
  TEST_CASE("absolute paths under the workspace become relative") {
    CHECK(repo().resolve("/home/runner/work/app/app/src/app/main.py") == "src/app/main.py");
  }

  TEST_CASE("paths built elsewhere resolve by their longest unique suffix") {
    CHECK(repo().resolve("/build/agent/xyz/tests/test_main.py") == "tests/test_main.py");
    CHECK(repo().resolve("com/acme/FooTest.java") == "java/com/acme/FooTest.java");
    CHECK(repo().resolve("FooTest.java") == "java/com/acme/FooTest.java");
  }

  TEST_CASE("an ambiguous suffix resolves to nothing rather than a guess") {
    CHECK_FALSE(repo().resolve("util.go"));
    CHECK(repo().resolve("x/lib/util.go") == "lib/util.go");
  }

  TEST_CASE("paths outside the repository are never resolved") {
    CHECK_FALSE(repo().resolve("/usr/lib/python3/site-packages/pytest/main.py"));
    CHECK_FALSE(repo().resolve("../../etc/passwd"));
    CHECK_FALSE(repo().resolve("src/../../secret.py"));
    CHECK_FALSE(repo().resolve(""));
  }

  TEST_CASE("windows paths resolve by suffix") {
    CHECK(repo().resolve("C:\\agent\\_work\\src\\app\\main.py") == "src/app/main.py");
  }

  TEST_CASE("without a file list relative paths are taken as they are") {
    RepoPaths loose("/w", std::nullopt);
    CHECK(loose.resolve("./a/b.py") == "a/b.py");
    CHECK(loose.resolve("/w/a/b.py") == "a/b.py");
    CHECK_FALSE(loose.resolve("/elsewhere/b.py"));
  }

  TEST_CASE("without a file list but with an existence check only existing files resolve") {
    std::vector<std::string> asked;
    RepoPaths checked("/w", std::nullopt, [&](const std::string& relative) {
      asked.push_back(relative);
      return relative == "src/app.js";
    });
    CHECK(checked.proves_paths());
    CHECK(checked.resolve("./src/app.js") == "src/app.js");
    CHECK(checked.resolve("/w/src/app.js") == "src/app.js");
    // A library class or a framework file named by a stack frame is not a location here.
    CHECK_FALSE(checked.resolve("org/junit/Assert.java"));
    CHECK_FALSE(checked.resolve("android/os/Looper.java"));
    CHECK_FALSE(checked.resolve("/w/node_modules/x.js"));
    CHECK_FALSE(checked.resolve("../w/src/app.js"));
    CHECK(asked == std::vector<std::string>{"src/app.js", "src/app.js", "org/junit/Assert.java",
                                            "android/os/Looper.java", "node_modules/x.js"});
    CHECK_FALSE(RepoPaths("/w", std::nullopt).proves_paths());
  }

  TEST_CASE("normalisation folds dots and refuses to climb above the start") {
    CHECK(normalize_path("a/./b//c/../d") == "a/b/d");
    CHECK_FALSE(normalize_path("../a"));
    CHECK(normalize_path("a\\b") == "a/b");
  }
}
