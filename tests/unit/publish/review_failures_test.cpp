#include <doctest/doctest.h>

#include "publish/review_failures.h"

using namespace tollgate;

namespace {
model::TestCase failing(std::string classname, std::string name, std::string message, std::string details) {
  model::TestCase t;
  t.classname = std::move(classname);
  t.name = std::move(name);
  t.message = std::move(message);
  t.details = std::move(details);
  t.status = model::TestStatus::failed;
  return t;
}
} // namespace

TEST_SUITE("publish::review_failures") {
  TEST_CASE("jest: the Expected and Received lines, not the stack and not the message again") {
    // jest-junit's failure body (tests/data/tests/jest-junit.xml), with jest's colour codes.
    const auto t = failing("divide rounds down", "divide rounds down", "",
                           "Error: \x1b[2mexpect(\x1b[22mreceived).toBe(expected) // Object.is equality\n\n"
                           "Expected: 3\nReceived: 3.5\n    at Object.toBe (/w/sample.test.js:13:26)\n"
                           "    at Promise.then.completed (/n/utils.js:298:28)\n");
    CHECK(publish::failure_headline(t) == "Error: expect(received).toBe(expected) // Object.is equality");
    CHECK(publish::failure_excerpt(t, 6) == std::vector<std::string>{"Expected: 3", "Received: 3.5"});
  }

  TEST_CASE("pytest: the statement and the E lines that explain it") {
    const auto t = failing("tests.test_sample", "test_fails", "assert 4 == 5\n +  where 4 = add(2, 2)",
                           "def test_fails():\n>       assert add(2, 2) == 5\nE       assert 4 == 5\n"
                           "E        +  where 4 = add(2, 2)\n\ntests/test_sample.py:14: AssertionError");
    CHECK(publish::failure_headline(t) == "assert 4 == 5");
    CHECK(publish::failure_excerpt(t, 6) ==
          std::vector<std::string>{">       assert add(2, 2) == 5", "E        +  where 4 = add(2, 2)"});
    CHECK(publish::failure_excerpt(t, 1).size() == 1);
  }

  TEST_CASE("the prefix a group's names share ends at a separator and leaves each a name") {
    CHECK(publish::shared_prefix({"pkg.mod.TestA › test_one", "pkg.mod.TestA › test_two"}) == "pkg.mod.TestA › ");
    CHECK(publish::shared_prefix({"pkg.mod.TestA › x", "pkg.mod.TestB › x"}) == "pkg.mod.");
    CHECK(publish::shared_prefix({"abc", "abd"}).empty());
    CHECK(publish::shared_prefix({"a.b › c"}).empty());
    CHECK(publish::shared_prefix({"a.", "a.b"}).empty()); // never the whole of a title
  }

  TEST_CASE("failures group by file, then by class; jest's suite stands for its class") {
    auto a = failing("m.T", "one", "", "");
    auto b = failing("m.T", "two", "", "");
    auto c = failing("j", "j", "", "");
    c.suite = "divide";
    auto d = failing("other.U", "three", "", "");
    const std::vector<publish::FailureView> views = {
        {&a, "src/t.py", 3, {}}, {&c, "", 0, {}}, {&b, "src/t.py", 9, {}}, {&d, "", 0, {}}};
    const auto groups = publish::group_failures(views);
    REQUIRE(groups.size() == 3);
    CHECK(groups[0].path == "src/t.py");
    CHECK(groups[0].failures.size() == 2);
    CHECK(groups[0].prefix == "m.T › ");
    CHECK(groups[1].name == "divide");
    CHECK(groups[2].name == "other.U");
  }
}
