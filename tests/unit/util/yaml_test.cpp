#include <doctest/doctest.h>

#include <string>

#include "util/yaml.h"

using namespace tollgate::util;

namespace {

// Nine levels of nine aliases: 9^9 nodes once expanded.
std::string alias_bomb() {
  std::string text = "a: &a [x,x,x,x,x,x,x,x,x]\n";
  std::string prev = "a";
  for (char level = 'b'; level <= 'i'; ++level) {
    const std::string name(1, level);
    text += name + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ",*" : "*") + prev;
    text += "]\n";
    prev = name;
  }
  return text;
}

} // namespace

TEST_SUITE("util::yaml") {
  TEST_CASE("an alias bomb stops at the alias that crosses the node limit") {
    const auto problem = check_yaml(alias_bomb());
    REQUIRE(problem);
    CHECK(problem->message.find("aliases expand to more than 100000 nodes") != std::string::npos);
    CHECK(problem->line == 6); // level f: 597,871 nodes
    CHECK_FALSE(load_yaml(alias_bomb()));
  }

  TEST_CASE("aliases within the limit load and share their node") {
    const auto node = load_yaml("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n");
    REQUIRE(node);
    CHECK((*node)["use"]["x"].as<int>() == 1);
    CHECK((*node)["list"].size() == 2);
  }

  TEST_CASE("an alias of a node that contains it is a cycle") {
    const auto problem = check_yaml("a: &a\n  b: *a\n");
    REQUIRE(problem);
    CHECK(problem->message.find("cycle") != std::string::npos);
    CHECK(problem->line == 2);
    CHECK(problem->column == 6);
  }

  TEST_CASE("a key written twice in one mapping is refused with both lines") {
    const auto problem = check_yaml("a: 1\nb:\n  c: 1\n  c: 2\n");
    REQUIRE(problem);
    CHECK(problem->message == "duplicate key 'c' (first at line 3)");
    CHECK(problem->line == 4);
    CHECK_FALSE(check_yaml("a: {c: 1}\nb: {c: 1}\n")); // the same key in two mappings is fine
  }

  TEST_CASE("merge keys may repeat; a quoted << is an ordinary key") {
    CHECK_FALSE(check_yaml("x: &x {a: 1}\ny: &y {b: 1}\nz:\n  <<: *x\n  <<: *y\n"));
    CHECK(check_yaml("z:\n  '<<': 1\n  '<<': 2\n"));
  }

  TEST_CASE("nesting past the limit is refused, aliases included") {
    std::string deep;
    for (size_t i = 0; i < k_max_yaml_depth + 1; ++i) deep += "[";
    CHECK(check_yaml(deep + std::string(k_max_yaml_depth + 1, ']')));
    std::string half(k_max_yaml_depth / 2 + 1, '[');
    const std::string closing(k_max_yaml_depth / 2 + 1, ']');
    const auto problem = check_yaml("a: &a " + half + closing + "\nb: " + half + "*a" + closing + "\n");
    REQUIRE(problem);
    CHECK(problem->message.find("nest deeper") != std::string::npos);
  }

  TEST_CASE("a second document is refused rather than ignored") {
    const auto problem = check_yaml("a: 1\n---\nb: 2\n");
    REQUIRE(problem);
    CHECK(problem->line == 2);
  }

  TEST_CASE("syntax errors keep yaml-cpp's line and column") {
    const auto problem = check_yaml("a: [1, 2\nb: 3\n");
    REQUIRE(problem);
    CHECK(problem->line >= 1);
    CHECK(problem->column >= 1);
  }
}
