// The JSON coverage formats read from files in chunks (report/json_stream_file.h) against
// parse_coverage on the same bytes: a report only when parse_coverage gives the same one, and
// through read_coverage_file the same result or the same error, named the same way.
#include "report/coverage_file.h"
#include "report/coverage_report.h"
#include "report/json_stream_file.h"
#include "util/error.h"
#include "util/files.h"
#include "xml_stream_test_support.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace tollgate;
using tollgate::testing::describe;

namespace {

const fs::path k_data = fs::path(TOLLGATE_TEST_DATA);

struct TempJson {
  fs::path path =
      fs::temp_directory_path() / ("tollgate-json-file-" + std::to_string(::getpid()) + ".json");
  explicit TempJson(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  ~TempJson() { fs::remove(path); }
};

// Both ways; returns whether the chunked reader gave the report itself.
bool check_same(const std::string& bytes, std::string_view forced) {
  const TempJson file(bytes);
  const auto whole = report::parse_coverage(bytes, forced);
  const auto streamed = report::read_json_coverage_file(file.path.string(), forced);
  INFO("forced '" << forced << "': " << bytes.substr(0, 200));
  if (streamed) {
    REQUIRE(whole);
    CHECK(describe(whole) ==
          describe(util::Expected<model::CoverageReport, util::ParseError>(*streamed)));
  }
  const auto read = report::read_coverage_file(file.path.string(), forced);
  if (whole)
    CHECK(describe(whole) ==
          describe(util::Expected<model::CoverageReport, util::ParseError>(*read)));
  else {
    REQUIRE_FALSE(read);
    CHECK(read.error() == util::describe(file.path.string(), whole.error()));
  }
  return streamed.has_value();
}

// An Istanbul report of `files` entries, several read buffers long, with non-ASCII paths so
// multi-byte sequences and tokens fall across the buffer's ends.
std::string big_istanbul(int files) {
  std::string out = "{";
  for (int f = 0; f < files; ++f) {
    const std::string path = "src/caf\xC3\xA9/\xE2\x82\xAC" + std::to_string(f) + ".js";
    out += (f ? ",\"" : "\"") + path + "\":{\"path\":\"" + path + "\",\"statementMap\":{";
    for (int i = 0; i < 200; ++i)
      out += (i ? ",\"" : "\"") + std::to_string(i) +
             "\":{\"start\":{\"line\":" + std::to_string(1 + i / 2) +
             ",\"column\":0},\"end\":{\"line\":9,\"column\":1}}";
    out += "},\"s\":{";
    for (int i = 0; i < 200; ++i)
      out += (i ? ",\"" : "\"") + std::to_string(i) + "\":" + std::to_string((i * f) % 7);
    out += "},\"branchMap\":{\"0\":{\"loc\":{\"start\":{\"line\":3}}}},\"b\":{\"0\":[1,0]}}";
  }
  return out + "}";
}

} // namespace

TEST_SUITE("report::json_stream_file") {
  TEST_CASE("the coverage reports read in chunks as parse_coverage reads them") {
    for (const char* name : {"c8-coverage-final.json", "coveragepy.json",
                             "jest-sample/coverage/coverage-final.json"}) {
      auto bytes = util::read_file((k_data / "coverage" / name).string());
      REQUIRE(bytes);
      CHECK(check_same(*bytes, ""));
      CHECK(check_same("\xEF\xBB\xBF \n" + *bytes + "\n", ""));
      check_same(*bytes, "istanbul");
      check_same(*bytes, "coveragepy");
      for (size_t cut : {size_t{1}, bytes->size() / 3, bytes->size() / 2})
        CHECK_FALSE(check_same(bytes->substr(0, cut), ""));
    }
  }

  TEST_CASE("a report many buffers long reads the same, and so does its broken end") {
    const std::string big = big_istanbul(300);
    REQUIRE(big.size() > (size_t{2} << 20));
    CHECK(check_same(big, ""));
    CHECK(check_same(big, "istanbul"));
    CHECK_FALSE(check_same(big.substr(0, big.size() - 3), ""));
    CHECK_FALSE(check_same(big + " x", ""));
    std::string bad = big;
    bad[bad.size() / 2 + 1] = '\xFF';
    CHECK_FALSE(check_same(bad, ""));
  }

  TEST_CASE("escapes, a sequence cut by a buffer's end and bytes that are no UTF-8 read as read whole") {
    const std::string big = big_istanbul(300);
    constexpr size_t k_buffer = size_t{256} << 10; // json_stream_file.cpp's k_json_read_bytes
    // Escapes in every path: \" and \u00e9.
    std::string escaped = big;
    for (size_t at = 0; (at = escaped.find("src/caf\xC3\xA9/", at)) != std::string::npos;)
      escaped.replace(at, 10, "src/q\\\"t\\u00e9/");
    CHECK(check_same(escaped, ""));
    // A three-byte sequence cut by the first buffer's end, whole and then broken after the cut.
    const size_t euro = big.rfind('\xE2', k_buffer - 2);
    REQUIRE(euro != std::string::npos);
    const std::string shifted = std::string(k_buffer - 1 - euro, ' ') + big; // its lead byte last
    REQUIRE(shifted.substr(k_buffer - 1, 3) == "\xE2\x82\xAC");
    CHECK(check_same(shifted, ""));
    std::string cut = shifted;
    cut[k_buffer + 1] = 'x';
    CHECK_FALSE(check_same(cut, ""));
    // A byte that is no UTF-8 inside a string, at the buffer's last byte, its first and further
    // on: the whole-file reader's error, line and column.
    for (const size_t at : {k_buffer - 1, k_buffer, k_buffer + 1, big.size() / 2, big.size() - 40}) {
      size_t inside = at;
      while (std::count(big.begin(), big.begin() + static_cast<std::ptrdiff_t>(inside), '"') % 2 == 0 ||
             big[inside] == '"' || static_cast<unsigned char>(big[inside]) >= 0x80)
        ++inside;
      CAPTURE(inside);
      std::string bad = big;
      bad[inside] = '\xFF';
      CHECK_FALSE(check_same(bad, ""));
    }
  }

  TEST_CASE("what the chunked reader leaves to the whole-file reader still reads the same") {
    CHECK_FALSE(check_same("{\"files\":{\"statementMap\":{}}}", "")); // the DOM decides
    CHECK_FALSE(check_same("{\"meta\":{}}", ""));
    CHECK_FALSE(check_same("  \n", ""));
    CHECK_FALSE(check_same("  \n", "istanbul"));
    CHECK_FALSE(check_same("[1]", "istanbul"));
    CHECK_FALSE(check_same("{\"a.js\":7}", ""));
    CHECK(check_same("{}", ""));
    CHECK(check_same("{\"meta\":{},\"files\":{}}", ""));
  }
}
