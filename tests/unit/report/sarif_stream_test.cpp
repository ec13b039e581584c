#include <doctest/doctest.h>

#include <string>

#include "report/sarif.h"

using namespace tollgate;

namespace {

// Hands the bytes out `chunk` at a time, as a file read in small pieces would.
report::ChunkSource chunks_of(const std::string& bytes, size_t chunk, size_t& at) {
  return [&bytes, chunk, &at](char* into, size_t size) {
    const size_t n = std::min({size, chunk, bytes.size() - at});
    std::copy_n(bytes.data() + at, n, into);
    at += n;
    return static_cast<long>(n);
  };
}

const std::string k_log = "Warning: a deprecated rule\r\nsecond line of noise\n"
                          "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\n"
                          "\"results\":[{\"ruleId\":\"r\",\"message\":{\"text\":\"m\"},\"locations\":[{\"physicalLocation\":"
                          "{\"artifactLocation\":{\"uri\":\"a.c\"},\"region\":{\"startLine\":7}}}]}]}]}";

} // namespace

TEST_SUITE("report::sarif_stream") {
  TEST_CASE("the same log in chunks of any size reads the same") {
    for (const size_t chunk : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{1} << 20}) {
      CAPTURE(chunk);
      size_t at = 0;
      const auto log = report::read_sarif(chunks_of(k_log, chunk, at));
      if (!log) FAIL(log.error().message);
      CHECK(log->preamble_lines == 2);
      CHECK(log->preamble_first == "Warning: a deprecated rule");
      REQUIRE(log->findings.size() == 1);
      CHECK(log->findings[0].uri == "a.c");
      CHECK(log->findings[0].start_line == 7);
    }
  }

  TEST_CASE("an error's line and column count the skipped lines and every chunk before it") {
    const std::string bad = "noise\n{\"version\":\"2.1.0\",\n\"runs\":[\n  {\"results\": [tru]}]}";
    for (const size_t chunk : {size_t{1}, size_t{3}, size_t{1} << 20}) {
      CAPTURE(chunk);
      size_t at = 0;
      const auto log = report::read_sarif(chunks_of(bad, chunk, at));
      REQUIRE_FALSE(log);
      CHECK(log.error().line == 4);
      CHECK(log.error().column == 19); // the "]" where "tru" should go on to "true"
    }
  }

  TEST_CASE("a read error is an error, not an empty log") {
    const report::ChunkSource failing = [](char*, size_t) { return -1L; };
    const auto log = report::read_sarif(failing);
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "read error");
  }

  TEST_CASE("an empty file and text without JSON are refused") {
    CHECK_FALSE(report::parse_sarif(""));
    const auto log = report::parse_sarif(std::string(70 * 1024, 'x'));
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "not SARIF: no line starting with '{' in the first 64 KiB");
  }
}
