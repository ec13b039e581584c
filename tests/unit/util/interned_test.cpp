#include <doctest/doctest.h>

#include <fmt/format.h>
#include <string>
#include <unordered_set>

#include "util/interned.h"

using tollgate::util::Interned;

TEST_SUITE("util::interned") {
  TEST_CASE("equal texts are one stored text; different texts are not") {
    const std::string built = std::string("src/") + "a.js";
    const Interned a("src/a.js"), b(built), c("src/b.js");
    CHECK(a == b);
    CHECK(a.data() == b.data()); // the same storage, not a copy
    CHECK_FALSE(a == c);
    CHECK(a.view() == "src/a.js");
    CHECK(a == "src/a.js");
    CHECK(a == built);
    CHECK(a < c);
  }

  TEST_CASE("the empty text, cleared and default, is one value") {
    Interned a("x");
    a.clear();
    CHECK(a.empty());
    CHECK(a == Interned());
    CHECK(a == Interned(""));
    CHECK(a.size() == 0);
  }

  TEST_CASE("a text with a NUL or bytes past ASCII is kept whole") {
    const std::string odd("a\0b\xff", 4);
    const Interned t(odd);
    CHECK(t.size() == 4);
    CHECK(t.str() == odd);
    CHECK_FALSE(t == Interned("a"));
  }

  TEST_CASE("hashing and formatting see the text") {
    std::unordered_set<Interned> set{Interned("r1"), Interned(std::string("r") + "1"), Interned("r2")};
    CHECK(set.size() == 2);
    CHECK(fmt::format("[{}]", Interned("rule/x")) == "[rule/x]");
  }
}
