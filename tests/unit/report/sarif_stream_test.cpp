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

  TEST_CASE("a NUL byte in the log is an error where it stands, at a chunk's end or inside it") {
    // RapidJSON reads a NUL as the end of the input: a NUL in the log must be refused alike
    // wherever the chunks happen to be cut (before it, after it, or far away).
    const std::string good = "{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"message\":{\"text\":\"ab\"}}]}]}";
    for (const size_t nul_at : {size_t{1}, good.find("ab") + 1, good.size() - 2}) {
      std::string bad = good;
      bad[nul_at] = '\0';
      const auto whole = report::parse_sarif(bad);
      REQUIRE_FALSE(whole);
      for (const size_t chunk : {size_t{1}, nul_at, nul_at + 1, size_t{1} << 20}) {
        CAPTURE(nul_at);
        CAPTURE(chunk);
        size_t at = 0;
        const auto log = report::read_sarif(chunks_of(bad, chunk, at));
        REQUIRE_FALSE(log);
        CHECK(log.error().message == whole.error().message);
        CHECK(log.error().column == whole.error().column);
      }
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

namespace {

// The log read twice: with a rewind (parsed unvalidated, the chunks checked for UTF-8 as they
// are read) and without one (RapidJSON validating every string), `chunk` bytes at a time.
void check_same_either_way(const std::string& bytes, size_t chunk) {
  size_t at = 0;
  const auto checked = report::read_sarif(chunks_of(bytes, chunk, at), 0, [&at] {
    at = 0;
    return true;
  });
  size_t at2 = 0;
  const auto validated = report::read_sarif(chunks_of(bytes, chunk, at2));
  REQUIRE(checked.has_value() == validated.has_value());
  if (!validated) {
    CHECK(checked.error().message == validated.error().message);
    CHECK(checked.error().line == validated.error().line);
    CHECK(checked.error().column == validated.error().column);
    return;
  }
  REQUIRE(checked->findings.size() == validated->findings.size());
  for (size_t i = 0; i < validated->findings.size(); ++i)
    CHECK(checked->findings[i].message == validated->findings[i].message);
  CHECK(checked->notes == validated->notes);
}

} // namespace

TEST_SUITE("report::sarif_stream") {
  TEST_CASE("UTF-8 checked per chunk: every byte sequence reads as RapidJSON's validation reads it") {
    // Sequences that are valid, overlong, surrogates, past U+10FFFF, cut short, or stray
    // continuation bytes, in a message, in a key, and outside any string; chunks of 1 to 4 bytes
    // cut sequences at every place.
    const std::vector<std::string> sequences = {
        "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xC0\x80", "\xC1\xBF",
        "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xED\x9F\xBF", "\xF0\x80\x80\x80", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xFF", "\x80", "\xBF\xBF", "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xC3\x28", "\xE2\x28\xA1"};
    for (const auto& s : sequences) {
      for (const std::string& log :
           {"{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[{\"ruleId\":\"r\","
            "\"message\":{\"text\":\"x" + s + "y\"}}]}]}",
            "{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"k" + s + "\":1}]}]}",
            "{\"version\":\"2.1.0\",\"runs\":[]}" + s,
            "{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"message\":{\"text\":\"" + s + "\"}}]}]}"}) {
        for (const size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{4}, size_t{1} << 20}) {
          CAPTURE(log);
          CAPTURE(chunk);
          check_same_either_way(log, chunk);
        }
      }
    }
  }

  TEST_CASE("strings copied a plain run at a time read as character by character, wherever the run stops") {
    // The unvalidated read copies each plain run of a chunk at once (sixteen bytes at a time),
    // the validating one a character at a time: an escape, a control character or the closing
    // quote at every offset of a 40-byte message, across 16-byte steps and chunk ends.
    for (const std::string& stop : {std::string("\\\""), std::string("\\u00e9"), std::string("\\n"), std::string("\t"),
                                   std::string(1, '\0'), std::string("\"")}) {
      for (size_t at = 0; at <= 40; ++at) {
        std::string message(40, 'x');
        message.insert(at, stop);
        const std::string log = "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},"
                                "\"results\":[{\"message\":{\"text\":\"" + message + "\"}}]}]}";
        for (const size_t chunk : {size_t{1}, size_t{17}, size_t{90}, size_t{1} << 20}) {
          CAPTURE(at);
          CAPTURE(chunk);
          check_same_either_way(log, chunk);
        }
      }
    }
    size_t at = 0;
    const std::string plain(100, 'p');
    const auto log = report::read_sarif(
        chunks_of("{\"version\":\"2.1.0\",\"runs\":[{\"results\":[{\"message\":{\"text\":\"" + plain + "\\\"" + plain + "\"}}]}]}", 7, at),
        0, [&at] {
          at = 0;
          return true;
        });
    if (!log) FAIL(log.error().message);
    REQUIRE(log->findings.size() == 1);
    CHECK(log->findings[0].message == plain + "\"" + plain);
  }

  TEST_CASE("a log that is not UTF-8 is refused with rewind as without: RapidJSON's words, line and column") {
    const std::string bad = "{\"version\":\"2.1.0\",\n\"runs\":[{\"results\":[{\"message\":{\"text\":\"ok \xFF\"}}]}]}";
    size_t at = 0;
    const auto log = report::read_sarif(chunks_of(bad, 5, at), 0, [&at] {
      at = 0;
      return true;
    });
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "not JSON: Invalid encoding in string.");
    CHECK(log.error().line == 2);
    CHECK(log.error().column == 44);
    // A source that cannot start again is a read error, never a log read in part.
    size_t at2 = 0;
    const auto once = report::read_sarif(chunks_of(bad, 5, at2), 0, [] { return false; });
    REQUIRE_FALSE(once);
    CHECK(once.error().message == "read error");
  }
}
