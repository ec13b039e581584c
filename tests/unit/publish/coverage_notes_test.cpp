#include "publish/coverage_notes.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace tollgate;

TEST_SUITE("publish::coverage_notes") {
  TEST_CASE("nothing left out writes nothing") {
    CHECK(publish::coverage_input_notes({}, 0).empty());
  }

  TEST_CASE("skipped files are named, escaped and bounded; excluded files are counted") {
    std::vector<std::string> skipped = {"a<script>|b.css"};
    for (int i = 0; i < 30; ++i)
      skipped.push_back("coverage/lcov-report/f" + std::to_string(i) + ".html");
    const std::string md = publish::coverage_input_notes(skipped, 3);
    CHECK(md.find("3 file(s) excluded") != std::string::npos);
    CHECK(md.find("31 file(s) matched by `--report` are not coverage reports") != std::string::npos);
    CHECK(md.find("<code>a&lt;script&gt;&#124;b.css</code>") != std::string::npos);
    CHECK(md.find("<script>") == std::string::npos);
    CHECK(md.find("f8.html") != std::string::npos);
    CHECK(md.find("f9.html") == std::string::npos); // ten names at most
    CHECK(md.find("…and 21 more") != std::string::npos);
  }
}
