#include "report/coverage_paths.h"

#include <doctest/doctest.h>

using namespace tollgate;
using namespace tollgate::report;

namespace {
RepoPaths repo() {
  return RepoPaths("/ws", std::vector<std::string>{
                              "src/shop/cart.py", "go/pricing/pricing.go", "pricing/calc.go",
                              "app/src/main/java/com/example/Cart.java", "lib/a.c"});
}
model::FileCoverage file(std::string path) {
  model::FileCoverage f;
  f.path = std::move(path);
  f.lines = {{1, 1}, {2, 0}};
  return f;
}
} // namespace

TEST_SUITE("report::coverage_paths") {
  TEST_CASE("absolute paths under the workspace, source roots, package paths, suffixes") {
    const auto r = repo();
    const CoveragePathOptions none;
    CHECK(resolve_coverage_path("/ws/lib/a.c", {}, r, none) == "lib/a.c");
    CHECK(resolve_coverage_path("shop/cart.py", {"/ws/src"}, r, none) == "src/shop/cart.py");
    CHECK(resolve_coverage_path("com/example/Cart.java", {}, r, none) ==
          "app/src/main/java/com/example/Cart.java");
    CHECK(resolve_coverage_path("/home/runner/build/lib/a.c", {}, r, none) == "lib/a.c");
    CHECK(resolve_coverage_path("/usr/lib/python3/dist-packages/six.py", {}, r, none) ==
          std::nullopt);
  }

  TEST_CASE("the Go module path is stripped before matching") {
    CoveragePathOptions o;
    o.go_module = "example.com/shop";
    CHECK(resolve_coverage_path("example.com/shop/pricing/calc.go", {}, repo(), o) ==
          "pricing/calc.go");
  }

  TEST_CASE("--path-map rewrites a prefix first") {
    CoveragePathOptions o;
    o.mappings.push_back(*parse_path_mapping("C:\\agent\\=lib/"));
    CHECK(resolve_coverage_path("C:\\agent\\a.c", {}, repo(), o) == "lib/a.c");
    CHECK_FALSE(parse_path_mapping("no-equals"));
  }

  TEST_CASE("go.mod's module line") {
    CHECK(go_module_of("// comment\nmodule example.com/m // the module\n\ngo 1.22\n") ==
          "example.com/m");
    CHECK(go_module_of("module \"example.com/q\"\n") == "example.com/q");
    CHECK(go_module_of("go 1.22\n") == "");
  }

  TEST_CASE("merge: files resolving to one path merge; outside paths are listed, not counted") {
    std::vector<model::CoverageReport> reports(2);
    reports[0].files.push_back(file("/ws/lib/a.c"));
    reports[0].files.push_back(file("/usr/include/stdio.h"));
    reports[1].files.push_back(file("lib/a.c"));
    reports[1].files.back().lines = {{2, 3}, {3, 0}};
    const auto m = merge_coverage(std::move(reports), repo(), {});
    REQUIRE(m.files.size() == 1);
    CHECK(m.files[0].path == "lib/a.c");
    CHECK(m.files[0].lines.size() == 3);
    CHECK(m.files[0].find_line(2)->hits == 3);
    CHECK(m.outside == std::vector<std::string>{"/usr/include/stdio.h"});
  }

  TEST_CASE("outside a git checkout every file counts") {
    std::vector<model::CoverageReport> reports(1);
    reports[0].files.push_back(file("/elsewhere/x.c"));
    reports[0].files.push_back(file("./y.c"));
    const auto m = merge_coverage(std::move(reports), RepoPaths("/ws", std::nullopt), {});
    REQUIRE(m.files.size() == 2);
    CHECK(m.files[0].path == "/elsewhere/x.c");
    CHECK(m.files[1].path == "y.c");
    CHECK(m.outside.empty());
  }
}
