// LCOV read in chunks and in parallel parts must be exactly LCOV read in one pass: same files in
// the same order, same hits, same errors at the same line and column.
#include "coverage_test_support.h"
#include "report/coverage_file.h"
#include "report/lcov.h"
#include "util/error.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace tollgate;
using namespace tollgate::testing;

namespace {

model::CoverageReport chunked(std::string_view bytes, size_t chunk) {
  report::LcovChunkParser parser;
  for (size_t at = 0; at < bytes.size(); at += chunk)
    REQUIRE(parser.feed(bytes.substr(at, chunk)));
  REQUIRE(parser.end());
  return parser.take();
}

// Records of every shape the parser reads, files repeated so parts must merge them.
std::string generated(size_t files, size_t lines, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out = "TN:\n";
  for (size_t f = 0; f < files; ++f) {
    out += "SF:src/file" + std::to_string(f % (files / 2 + 1)) + ".c\n";
    out += "FN:3,a_function_name_that_is_long_enough_to_cross_chunk_edges\n";
    for (size_t n = 1; n <= lines; ++n) {
      const uint64_t hits = rng() % 4 == 0 ? 0 : uint64_t{1} << (rng() % 60);
      out += "DA:" + std::to_string(n * (1 + rng() % 3)) + "," + std::to_string(hits);
      out += rng() % 9 == 0 ? ",c0ffee\r\n" : "\n";
    }
    out += "BRDA:4,0,0,-\nBRDA:4,0,1," + std::to_string(rng() % 3) + "\nBRDA:5,e1,x > (1, 2),7\n";
    out += "LF:" + std::to_string(lines) + "\nLH:0\nend_of_record\n";
  }
  return out;
}

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& bytes)
      : path(std::filesystem::temp_directory_path() /
             ("tollgate-lcov-" + std::to_string(::getpid()) + "-" +
              std::to_string(std::random_device{}()) + ".info")) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

} // namespace

TEST_SUITE("report::lcov") {
  TEST_CASE("numbers of every length, at every distance from the end of the buffer") {
    for (int digits = 1; digits <= 18; ++digits) {
      const std::string hits(static_cast<size_t>(digits), '7');
      const std::string text = "SF:a.c\nDA:1234567," + hits + "\nDA:" + std::to_string(digits) + ",0";
      for (size_t cut = 0; cut <= text.size(); ++cut) {
        const auto r = chunked(text, std::max<size_t>(cut, 1));
        REQUIRE(r.files.size() == 1);
        REQUIRE(r.files[0].lines.size() == 2);
      }
      const auto r = report::parse_lcov(text);
      REQUIRE(r);
      const auto expect = std::stoull(hits);
      CHECK(hits_at(r->files[0], 1234567) == model::saturate_hits(expect));
    }
    // Eight-byte loads across digits and the bytes after them, including non-ASCII.
    const auto r = report::parse_lcov("SF:a.c\nDA:7,12\xFF\xFF\xFF\xFF\xFF\nDA:8,99\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
  }

  TEST_CASE("the fast paths read DA and BRDA exactly as the general path does") {
    // CR LF line ends send every record down the general path; LF takes the fast ones.
    std::string lf = generated(8, 60, 3);
    lf += "SF:edge.c\nDA:4294967295,1\nDA:2147483647,18446744073709551615\nBRDA:7,4294967295,0,-\n"
          "BRDA:7,4294967296,1,3\nBRDA:8,0,0,-4\nBRDA:0,0,0,1\nDA:0,5\nend_of_record\n";
    std::string crlf;
    for (const char c : lf) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    const auto fast = report::parse_lcov(lf);
    const auto general = report::parse_lcov(crlf);
    REQUIRE_FALSE(fast); // DA:4294967295 is past the largest line number
    REQUIRE_FALSE(general);
    CHECK(fast.error().line == general.error().line);
    const size_t cut = lf.find("SF:edge.c\nDA:4294967295,1\n");
    lf.erase(cut + 10, 15);
    crlf = {};
    for (const char c : lf) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    const auto fast_ok = report::parse_lcov(lf);
    const auto general_ok = report::parse_lcov(crlf);
    REQUIRE(fast_ok);
    REQUIRE(general_ok);
    CHECK(fast_ok->files == general_ok->files);
    const auto& edge = file_named(*fast_ok, "edge.c");
    CHECK(hits_at(edge, 2147483647) == model::k_max_hits);
    CHECK(edge.branches.size() == 3);
  }

  TEST_CASE("any chunk size gives the one-pass result") {
    const std::string text = generated(6, 40, 1) + "SF:last.c\nDA:1,1"; // no final newline
    const auto whole = report::parse_lcov(text);
    REQUIRE(whole);
    for (size_t chunk : {1, 2, 3, 7, 64, 1000, 4096})
      CHECK_MESSAGE(chunked(text, chunk).files == whole->files, "chunk " << chunk);
  }

  TEST_CASE("a record longer than 1 MiB is an error on its line; other long lines are skipped") {
    std::string text = "SF:a.c\nDA:1,1\nFN:1," + std::string(3 << 20, 'f') + "\nDA:2,0\n";
    const auto skipped = report::parse_lcov(text);
    REQUIRE(skipped);
    CHECK(skipped->files[0].lines.size() == 2);
    CHECK(chunked(text, 4096).files == skipped->files);

    text += "SF:" + std::string(2 << 20, 'p') + "\nDA:3,1\n";
    const auto refused = report::parse_lcov(text);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().line == 5);
    CHECK(refused.error().message == "record longer than 1 MiB");
    report::LcovChunkParser parser;
    bool ok = true;
    for (size_t at = 0; ok && at < text.size(); at += 65536)
      ok = parser.feed(std::string_view(text).substr(at, 65536));
    CHECK_FALSE(ok);
    CHECK(util::error_at(text, parser.error_offset(), "").line == 5);
  }

  TEST_CASE("record boundaries: after a whole end_of_record line only") {
    CHECK(report::lcov_record_boundary("DA:1,1\nend_of_record\nSF:b") == 21);
    CHECK(report::lcov_record_boundary("x\nend_of_record\r\nSF:b") == 17);
    CHECK(report::lcov_record_boundary("x\nend_of_records\nend_of_record") ==
          std::string_view::npos);
    CHECK(report::lcov_record_boundary("end_of_record\n") == std::string_view::npos);
  }

  TEST_CASE("a file read in parallel parts equals the one-pass parse, errors included") {
    const std::string text = generated(400, 300, 2);
    const auto whole = report::parse_lcov(text);
    REQUIRE(whole);
    const TempFile file(text);
    for (size_t part : {size_t{1}, size_t{4096}, text.size() / 3, text.size() * 2}) {
      const auto parts = report::read_lcov_file(file.path.string(), part);
      REQUIRE_MESSAGE(parts, parts.error());
      CHECK_MESSAGE(parts->files == whole->files, "part size " << part);
    }

    // An error late in the file: same line and column as one pass, named with the path.
    std::string bad = text;
    const size_t at = bad.rfind("DA:");
    bad.insert(at + 3, "-");
    const auto one_pass = report::parse_lcov(bad);
    REQUIRE_FALSE(one_pass);
    const TempFile bad_file(bad);
    const auto parts = report::read_lcov_file(bad_file.path.string(), 4096);
    REQUIRE_FALSE(parts);
    CHECK(parts.error() == util::describe(bad_file.path.string(), one_pass.error()));
  }

  TEST_CASE("read_coverage_file streams LCOV and reads other formats whole") {
    const TempFile lcov("\n\nTN:\nSF:x.c\nDA:1,1\nend_of_record\n");
    const auto r = report::read_coverage_file(lcov.path.string());
    REQUIRE(r);
    CHECK(r->format == "lcov");
    const TempFile go("mode: set\nexample.com/m/a.go:1.1,2.2 1 1\n");
    const auto g = report::read_coverage_file(go.path.string());
    REQUIRE(g);
    CHECK(g->format == "go");
    const auto missing = report::read_coverage_file("/nonexistent/tollgate.info");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().find("/nonexistent/tollgate.info") != std::string::npos);
  }

  TEST_CASE("streamed LCOV words errors as parse_coverage does: a BOM, a blank file") {
    const std::string with_bom = "\xEF\xBB\xBF" "DA:1,1\n";
    const auto one_pass = report::parse_coverage(with_bom, "lcov");
    REQUIRE_FALSE(one_pass);
    const TempFile bom(with_bom);
    const auto streamed = report::read_coverage_file(bom.path.string(), "lcov");
    REQUIRE_FALSE(streamed);
    CHECK(streamed.error() == util::describe(bom.path.string(), one_pass.error()));
    CHECK(streamed.error().find(":1:1: DA record outside") != std::string::npos);

    const TempFile blank("\xEF\xBB\xBF  \n\t\r\n");
    const auto empty = report::read_coverage_file(blank.path.string(), "lcov");
    REQUIRE_FALSE(empty);
    CHECK(empty.error() == blank.path.string() + ": empty report");
    const TempFile records_only("TN:\n");
    CHECK(report::read_coverage_file(records_only.path.string(), "lcov"));
  }
}
