#include <doctest/doctest.h>

#include "util/text.h"

using namespace tollgate::util;

TEST_SUITE("util::text") {
  TEST_CASE("html escaping neutralises tags and quotes") {
    CHECK(escape_html("<script>alert('x')</script> & \"y\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  }

  TEST_CASE("markdown escaping breaks mentions and issue references") {
    const std::string zwsp = "\xE2\x80\x8B";
    CHECK(escape_markdown("ping @octocat about #123") == "ping @" + zwsp + "octocat about \\#" + zwsp + "123");
    CHECK(escape_markdown("a@") == "a@");
  }

  TEST_CASE("markdown escaping neutralises emphasis, links, code and html") {
    CHECK(escape_markdown("*bold* _it_ [x](http://e) `c` <b>") ==
          "\\*bold\\* \\_it\\_ \\[x\\]\\(http:\xE2\x80\x8B//e\\) \\`c\\` &lt;b&gt;");
  }

  TEST_CASE("markdown escaping folds newlines so text cannot start a block") {
    CHECK(escape_markdown("line\n# heading\r\n- item") == "line \\# heading - item");
  }

  TEST_CASE("markdown escaping breaks GH-123, issue and pull URLs and www. links") {
    const std::string z = "\xE2\x80\x8B";
    CHECK(escape_markdown("see GH-12 and gh-7") == "see GH" + z + "-12 and gh" + z + "-7");
    CHECK(escape_markdown("PGH-12 GH-x") == "PGH-12 GH-x");
    CHECK(escape_markdown("https://github.com/o/r/issues/1") == "https:" + z + "//github.com/o/r/issues/1");
    CHECK(escape_markdown("http://x/pull/1 www.evil.test") == "http:" + z + "//x/pull/1 www" + z + ".evil.test");
    CHECK(escape_html("GH-5 https://github.com/o/r/pull/9 a@b.c") ==
          "GH" + z + "-5 https:" + z + "//github.com/o/r/pull/9 a@" + z + "b.c");
  }

  TEST_CASE("markdown escaping leaves no block marker at the start") {
    CHECK(escape_markdown("- item") == "\\- item");
    CHECK(escape_markdown("+ item") == "\\+ item");
    CHECK(escape_markdown("===") == "\\===");
    CHECK(escape_markdown("12. item") == "12\\. item");
    CHECK(escape_markdown("    code") == "&#32;&#32;&#32;&#32;code");
    CHECK(escape_markdown("a - b 1. c") == "a - b 1. c");
  }

  TEST_CASE("html escaping keeps the text on one line and every Markdown character inert") {
    CHECK(escape_html("a\n\n```\n<!-- x") == "a  &#96;&#96;&#96; &lt;&#33;-- x");
    CHECK(escape_html("*b* _i_ ~s~ |c| \\ ![x]") == "&#42;b&#42; &#95;i&#95; &#126;s&#126; &#124;c&#124; &#92; &#33;&#91;x&#93;");
    CHECK(escape_html("test_names_like_this") == "test_names_like_this");
  }

  TEST_CASE("table cells escape pipes and keep line breaks as br") {
    CHECK(escape_table_cell("a|b\nc") == "a\\|b<br>c");
  }

  TEST_CASE("code blocks choose a fence longer than any backtick run inside") {
    CHECK(code_block("x ``` y") == "````\nx ``` y\n````\n");
    CHECK(code_block("plain") == "```\nplain\n```\n");
  }

  TEST_CASE("code spans choose a fence longer than any backtick run, fold line breaks, escape nothing") {
    using tollgate::util::code_span;
    CHECK(code_span("plain_name*") == "`plain_name*`");
    CHECK(code_span("a`b") == "``a`b``");
    CHECK(code_span("`x``") == "``` `x`` ```");
    CHECK(code_span("a\n\nb") == "`a  b`");
    CHECK(code_span(" x ") == "`  x  `");
  }

  TEST_CASE("invalid utf-8 and NUL bytes become replacement characters") {
    CHECK(sanitize_utf8(std::string("a\xFF" "b\0c", 5)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    CHECK(sanitize_utf8("h\xC3\xA9llo") == "h\xC3\xA9llo");
    CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
    // Inside the eight-byte blocks valid text is checked in, and past the first bad byte.
    CHECK(sanitize_utf8(std::string("abcdefg\0hijklmnopq", 18)) == "abcdefg\xEF\xBF\xBDhijklmnopq");
    CHECK(sanitize_utf8(std::string("0123456789abcdef\xFFxyz\0", 21)) ==
          "0123456789abcdef\xEF\xBF\xBDxyz\xEF\xBF\xBD");
  }

  TEST_CASE("clean text is exactly the text sanitize_utf8 leaves as it is") {
    using tollgate::util::is_clean_utf8;
    for (const std::string& text :
         {std::string("plain ascii text, longer than one block"), std::string("h\xC3\xA9llo w\xC3\xB6rld"),
          std::string("abcdefg\0hijklmnop", 17), std::string("0123456789abcdef\xFF"), std::string("\xC0\xAF"),
          std::string("\xED\xA0\x80 surrogate"), std::string()}) {
      CAPTURE(text);
      CHECK(is_clean_utf8(text) == (sanitize_utf8(text) == text));
    }
    CHECK_FALSE(is_clean_utf8(std::string("abcdefg\0", 8)));
    CHECK(is_clean_utf8("\xF0\x9F\x98\x80 ok"));
  }

  TEST_CASE("truncation never splits a code point") {
    const std::string s = "\xC3\xA9\xC3\xA9\xC3\xA9"; // 3 × é, 6 bytes
    CHECK(truncate_utf8(s, 5, "") == "\xC3\xA9\xC3\xA9");
    CHECK(truncate_utf8(s, 6, "") == s);
    CHECK(truncate_chars("abcdef", 4, "…") == "abc…");
    CHECK(utf8_length(truncate_chars(std::string(200, 'x'), 140)) == 140);
  }

  TEST_CASE("url encoding keeps unreserved characters only") {
    CHECK(url_encode("Tests (ubuntu, 20)") == "Tests%20%28ubuntu%2C%2020%29");
  }
}

TEST_CASE("util::text html escaping also breaks mentions inside html blocks") {
  const std::string zwsp = "\xE2\x80\x8B";
  CHECK(tollgate::util::escape_html("<b>@team</b> #9") == "&lt;b&gt;@" + zwsp + "team&lt;/b&gt; #" + zwsp + "9");
}

TEST_SUITE("util::text") {
  TEST_CASE("first_invalid_utf8 finds the first bad byte past ASCII runs of any length") {
    CHECK(first_invalid_utf8("") == std::string_view::npos);
    CHECK(first_invalid_utf8("plain ascii, longer than eight bytes") == std::string_view::npos);
    CHECK(first_invalid_utf8(std::string("nul\0inside", 10)) == std::string_view::npos);
    CHECK(first_invalid_utf8("\xE2\x82\xAC euro \xF0\x9F\x98\x80") == std::string_view::npos);
    for (size_t prefix = 0; prefix < 20; ++prefix) {
      const std::string ascii(prefix, 'a');
      CHECK(first_invalid_utf8(ascii + "\xFF" + ascii) == prefix);
      CHECK(first_invalid_utf8(ascii + "\xC0\xAF") == prefix);         // overlong '/'
      CHECK(first_invalid_utf8(ascii + "\xED\xA0\x80") == prefix);     // surrogate
      CHECK(first_invalid_utf8(ascii + "\xF4\x90\x80\x80") == prefix); // past U+10FFFF
      CHECK(first_invalid_utf8(ascii + "\xE2\x82") == prefix);         // cut short
    }
  }

  TEST_CASE("count_byte counts every occurrence, across its lane rounds and the tail after them") {
    CHECK(count_byte("", '\n') == 0);
    CHECK(count_byte("a\nb\n\n", '\n') == 3);
    // Lengths around the 16 × 255-byte round, with the byte at each end, in the middle, and in
    // every position of a long run (a lane counting past 255 would wrap).
    for (const size_t size : {size_t{4079}, size_t{4080}, size_t{4081}, size_t{8160}, size_t{100003}}) {
      std::string text(size, 'x');
      text.front() = text.back() = text[size / 2] = '\n';
      CHECK(count_byte(text, '\n') == 3);
      CHECK(count_byte(std::string(size, '\n'), '\n') == size);
      std::string every_third(size, 'y');
      size_t want = 0;
      for (size_t i = 0; i < size; i += 3, ++want) every_third[i] = '\xFF';
      CHECK(count_byte(every_third, '\xFF') == want);
      CHECK(count_byte(every_third, '\n') == 0);
    }
  }

  TEST_CASE("first_invalid_json_text: bad UTF-8 and control characters, except tab, LF and CR") {
    CHECK(first_invalid_json_text("{\"a\": \"b\"}\n\t\r\n plain text past eight bytes") == std::string_view::npos);
    CHECK(first_invalid_json_text("\xE2\x82\xAC and more text") == std::string_view::npos);
    for (size_t prefix = 0; prefix < 20; ++prefix) {
      const std::string ascii(prefix, 'a');
      CHECK(first_invalid_json_text(ascii + std::string(1, '\0') + ascii) == prefix);
      CHECK(first_invalid_json_text(ascii + "\x1F" + ascii) == prefix);
      CHECK(first_invalid_json_text(ascii + "\x7F" + ascii) == std::string_view::npos);
      CHECK(first_invalid_json_text(ascii + "\xC0\xAF") == prefix);
    }
    CHECK(describe_invalid_json_text("a\x1F" "b", 1) == "control character 0x1F in JSON text");
    CHECK(describe_invalid_json_text("a\xFF" "b", 1) == "invalid UTF-8");
  }

  TEST_CASE("short_hash is the first 8 bytes of SHA-256, in hex") {
    // FIPS 180-2 test vectors: SHA-256("abc") and SHA-256("").
    CHECK(short_hash("abc") == "ba7816bf8f01cfea");
    CHECK(short_hash("") == "e3b0c44298fc1c14");
    CHECK(short_hash("abc") == short_hash(std::string("ab") + "c")); // again, from the fetched implementation
  }

  TEST_CASE("trim drops spaces, tabs and line ends at both ends only") {
    CHECK(trim("") == "");
    CHECK(trim(" \t\r\n") == "");
    CHECK(trim("x") == "x");
    CHECK(trim(" \t a b\r\n") == "a b");
    CHECK(trim("a \n b") == "a \n b");
    CHECK(trim("\v x \f") == "\v x \f"); // only the four blanks
  }
}
