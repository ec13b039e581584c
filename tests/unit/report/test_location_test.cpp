// Where a failed test is annotated (report/test_location.h): a frame of the message, the trace or
// the captured output, within the first 100 frames examined.
#include <doctest/doctest.h>

#include "report/test_location.h"

#include <string>
#include <vector>

using namespace tollgate;
using report::locate_test_failure;

namespace {

report::RepoPaths repo() {
  return report::RepoPaths("/ws", std::vector<std::string>{"src/app/main.py", "src/app/util.py",
                                                           "tests/test_main.py", "tests/test_util.py"});
}

// n Python traceback frames, naming `path` from line `first` on.
std::string frames(size_t n, const std::string& path, int first = 1) {
  std::string out = "Traceback (most recent call last):\n";
  for (size_t i = 0; i < n; ++i)
    out += "  File \"" + path + "\", line " + std::to_string(first + static_cast<int>(i)) + ", in f\n";
  return out;
}

model::TestCase failed(std::string details, std::string output) {
  model::TestCase test;
  test.classname = "tests.test_main";
  test.name = "test_x";
  test.status = model::TestStatus::failed;
  test.message = "AssertionError";
  test.details = std::move(details);
  test.system_out = std::move(output);
  return test;
}

} // namespace

TEST_SUITE("report::test_location") {
  TEST_CASE("a frame in the captured output locates a failure whose trace names no repository file") {
    const auto test = failed(frames(3, "/usr/lib/python3/x.py"), frames(1, "/ws/src/app/util.py", 40));
    const auto at = locate_test_failure(test, repo());
    CHECK(at.path == "src/app/util.py");
    CHECK(at.line == 40);
  }

  TEST_CASE("the search stops at the 100th frame: the output past it is not reached") {
    const std::string output = frames(1, "/ws/src/app/util.py", 40);
    CHECK(locate_test_failure(failed(frames(99, "/usr/lib/python3/x.py"), output), repo()).line == 40);
    const auto past = locate_test_failure(failed(frames(100, "/usr/lib/python3/x.py"), output), repo());
    CHECK(past.source != std::string("frame"));
    // The test's own file wins over the first frame that resolves.
    const auto own = locate_test_failure(
        failed(frames(1, "/ws/src/app/main.py", 7) + frames(1, "/ws/tests/test_main.py", 12), ""), repo());
    CHECK(own.path == "tests/test_main.py");
    CHECK(own.line == 12);
  }
}
