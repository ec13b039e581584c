#include <doctest/doctest.h>

#include "util/text.h"
#include "util/utf8_chunks.h"

#include <string>
#include <vector>

using namespace tollgate::util;

TEST_SUITE("util::utf8_chunks") {
  TEST_CASE("Utf8Chunks agrees with first_invalid_utf8 on the whole text, however it is cut") {
    // Texts valid and not, each cut into two and three chunks at every pair of offsets: a
    // sequence split across chunks is completed from the next, one left open at the end is
    // invalid, and a bad byte anywhere is found.
    const std::vector<std::string> texts = {
        "",
        "plain",
        "\xE2\x82\xAC euro \xF0\x9F\x98\x80 smile \xC3\xA9",
        "\xF0\x9F\x98\x80\xF0\x9F\x98\x80",
        "ok \xFF bad",
        "cut \xE2\x82",
        "\xF0\x9F\x98",
        "overlong \xC0\xAF",
        "surrogate \xED\xA0\x80 x",
        "past \xF4\x90\x80\x80",
        "lone continuation \x80 x",
        "\xE2\x82\xE2\x82\xAC",
    };
    for (const std::string& text : texts) {
      const bool want = first_invalid_utf8(text) != std::string_view::npos;
      const std::string_view all(text);
      for (size_t a = 0; a <= text.size(); ++a)
        for (size_t b = a; b <= text.size(); ++b) {
          Utf8Chunks chunks;
          chunks.add(all.substr(0, a));
          chunks.add(all.substr(a, b - a));
          chunks.add(all.substr(b));
          chunks.end();
          CHECK_MESSAGE(chunks.invalid() == want, text, " cut at ", a, " and ", b);
        }
      // One byte at a time.
      Utf8Chunks bytes;
      for (const char c : text) bytes.add(std::string_view(&c, 1));
      bytes.end();
      CHECK_MESSAGE(bytes.invalid() == want, text, " a byte at a time");
    }
  }
}
