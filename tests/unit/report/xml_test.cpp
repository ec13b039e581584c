#include "report/xml.h"

#include <doctest/doctest.h>
#include <string>

using tollgate::report::k_max_xml_depth;
using tollgate::report::load_xml;

namespace {

std::string nested(size_t depth) {
  std::string xml;
  for (size_t i = 0; i < depth; ++i)
    xml += "<a>";
  for (size_t i = 0; i < depth; ++i)
    xml += "</a>";
  return xml;
}

} // namespace

TEST_SUITE("report::xml") {

  TEST_CASE("malformed XML reports a 1-based line and column") {
    pugi::xml_document doc;
    const auto root = load_xml(doc, "<testsuite>\n  <testcase name=\"a\">\n  </testsuite>\n");
    REQUIRE_FALSE(root.has_value());
    CHECK(root.error().message == "malformed XML: Start-end tags mismatch");
    CHECK(root.error().line == 3);
    CHECK(root.error().column == 5);
  }

  TEST_CASE("an unterminated CDATA section is an error at its line") {
    pugi::xml_document doc;
    const auto root = load_xml(doc, "<a>\n<b><![CDATA[never closed\n");
    REQUIRE_FALSE(root.has_value());
    CHECK(root.error().message == "malformed XML: Error parsing CDATA section");
    CHECK(root.error().line == 2);
  }

  TEST_CASE("custom entities are left unexpanded and nothing is fetched") {
    pugi::xml_document doc;
    const auto root = load_xml(doc, R"(<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY lol "lol"> ]>
<testsuite name="&xxe;&lol;&amp;"><testcase name="t">&xxe;</testcase></testsuite>)");
    REQUIRE(root.has_value());
    CHECK(std::string(root->attribute("name").value()) == "&xxe;&lol;&");
    CHECK(std::string(root->child("testcase").child_value()) == "&xxe;");
  }

  TEST_CASE("nesting up to the limit is accepted and one deeper is rejected") {
    pugi::xml_document doc;
    CHECK(load_xml(doc, nested(k_max_xml_depth)).has_value());
    const auto deep = load_xml(doc, nested(k_max_xml_depth + 1));
    REQUIRE_FALSE(deep.has_value());
    CHECK(deep.error().message == "XML nested deeper than 256 elements");
    CHECK(deep.error().line == 1);
    CHECK(deep.error().column == 3 * k_max_xml_depth + 1);
  }

  TEST_CASE("very deep nesting does not exhaust the stack") {
    pugi::xml_document doc;
    const auto deep = load_xml(doc, nested(200000));
    CHECK_FALSE(deep.has_value());
  }

  TEST_CASE("UTF-16 with a byte order mark is read") {
    const std::string utf8 = "<testsuite name=\"ü\"/>";
    std::string utf16 = "\xFF\xFE";
    for (unsigned char c : std::string("<testsuite name=\""))
      utf16 += static_cast<char>(c), utf16 += '\0';
    utf16 += "\xFC";
    utf16 += '\0';
    for (unsigned char c : std::string("\"/>"))
      utf16 += static_cast<char>(c), utf16 += '\0';
    pugi::xml_document doc;
    const auto root = load_xml(doc, utf16);
    REQUIRE(root.has_value());
    CHECK(std::string(root->attribute("name").value()) == "ü");
  }

  TEST_CASE("text helpers") {
    using namespace tollgate::report;
    CHECK(first_line("\n  \n  first  \nsecond") == "first");
    CHECK(clean_text("  a\r\nb\rc  ") == "a\nb\nc");
    CHECK(parse_seconds("1,234.5") == 1234.5);
    CHECK(parse_seconds("12,345,678") == 12345678);
    CHECK(parse_seconds("0,25") == 0.25); // a decimal comma
    CHECK(parse_seconds("1,5") == 1.5);
    CHECK(parse_seconds(" 0.25 ") == 0.25);
    CHECK(parse_seconds("nan") == 0);
    CHECK(parse_seconds("inf") == 0);
    CHECK(parse_count("42") == 42);
    CHECK(parse_count("-1") == 0);
    CHECK(parse_count("x") == 0);
  }

} // TEST_SUITE
