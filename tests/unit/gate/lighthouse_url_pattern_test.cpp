#include <doctest/doctest.h>

#include "gate/lighthouse_url_pattern.h"

using namespace tollgate::gate;

namespace {

// RegExp.test with the JavaScript reading, through the translation.
bool test(const std::string& pattern, const std::string& url) {
  auto p = UrlPattern::compile(pattern);
  REQUIRE_MESSAGE(p, p.error());
  auto matched = p->test(url);
  REQUIRE(matched);
  return *matched;
}

std::string refusal(const std::string& pattern) {
  auto p = UrlPattern::compile(pattern);
  return p ? std::string() : p.error();
}

} // namespace

TEST_SUITE("gate::lighthouse_url_pattern") {
  TEST_CASE("named groups read as RE2's") {
    CHECK(js_regex_to_re2("(?<page>slow)\\.html$").value() == "(?P<page>slow)\\.html$");
    CHECK(test("(?<page>slow)\\.html$", "http://h/slow.html"));
  }

  TEST_CASE("Annex B: identity escapes and lone braces are literals") {
    CHECK(test("\\a\\z", "az"));             // RE2 would read a bell and end of text
    CHECK(test("{slow}", "x{slow}"));        // not a repetition
    CHECK_FALSE(test("a{,2}", "a"));         // JavaScript: the text "a{,2}"
    CHECK(test("a{,2}", "a{,2}"));
    CHECK(test("\\u{2}", "uu"));             // without the u flag: u repeated twice
    CHECK(test("x]", "x]"));
  }

  TEST_CASE("classes read as JavaScript reads them") {
    CHECK_FALSE(test("[[:alpha:]]", "slow"));  // no POSIX class: '[' ':' a l p h, then ']'
    CHECK(test("[[:alpha:]]", "a]"));
    CHECK_FALSE(test("[]", "anything"));       // matches nothing
    CHECK(test("^[^]$", "x"));                 // matches any character
    CHECK(test("[\\b]", "\b"));
  }

  TEST_CASE("dot and \\s follow JavaScript") {
    CHECK_FALSE(test("a.b", "a\rb"));
    CHECK(test("a\\sb", "a\vb"));
    CHECK(test("a\\Sb", "axb"));
  }

  TEST_CASE("constructs RE2 cannot evaluate the same way are named") {
    CHECK(refusal("(?<=8080/)slow").find("lookbehind (?<=…) at character 1") != std::string::npos);
    CHECK(refusal("(?<!x)y").find("negative lookbehind") != std::string::npos);
    CHECK(refusal("a(?=b)").find("lookahead (?=…)") != std::string::npos);
    CHECK(refusal("(a)\\1").find("the backreference \\1") != std::string::npos);
    CHECK(refusal("(?<n>a)\\k<n>").find("named backreference") != std::string::npos);
    CHECK(refusal("\\p{L}").find("without the u flag") != std::string::npos);
    CHECK(refusal("a{1001}").find("RE2 repeats at most 1000 times") != std::string::npos);
    CHECK(refusal("[\\S]").find("\\S inside a character class") != std::string::npos);
  }

  TEST_CASE("syntax errors say so") {
    CHECK(refusal("(").find("Invalid regular expression") != std::string::npos);
    CHECK(refusal("[a").find("Unterminated character class") != std::string::npos);
    CHECK(refusal("(?P<n>a)").find("Invalid group") != std::string::npos);
  }

  TEST_CASE("a URL with non-ASCII characters is not matched silently") {
    auto p = UrlPattern::compile("slow");
    REQUIRE(p);
    CHECK_FALSE(p->test("http://h/sl\xC3\xB6w"));
  }
}
