#include <doctest/doctest.h>

#include "leg_result_test_support.h"
#include "report/leg_result.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "util/files.h"

#include <unistd.h>

using namespace tollgate;

namespace {

const char* k_tests_leg = R"J({"tool":"tollgate","version":"0.1.0","command":"tests","check_name":"Tests (linux, 3.11)",
  "passed":false,"conclusion":"failure","title":"2 tests, 1 failed",
  "gates":[{"name":"failed tests","threshold":0,"actual":1,"passed":false,"detail":"1 failed"}],
  "findings":[{"path":"src/a.py","start_line":3,"end_line":3,"level":"failure","title":"t › a","message":"boom","raw_details":"trace"}],
  "totals":{"tests":2,"passed":1,"failed":1,"errors":0,"skipped":0,"flaky":0,"duration_s":0.25}})J";

const char* k_coverage_leg = R"J({"tool":"tollgate","command":"coverage","check_name":"Coverage (linux)","passed":true,
  "gates":[{"name":"line coverage","threshold":60,"actual":66.7,"passed":true}],"findings":[],
  "baseline":{"line_pct":70.5},"outside_repository":["/usr/lib/x.py"],
  "coverage_data":{"version":1,"files":[{"path":"src/a.py","lines":[[3,0],[1,2],[3,1]],"branches":[[1,0,1,0],[1,0,0,4]]}]}})J";

} // namespace

TEST_SUITE("report::leg_result") {
  TEST_CASE("a tests leg: verdict, gates, findings and totals") {
    const auto leg = report::parse_leg_result(k_tests_leg);
    REQUIRE(leg);
    CHECK(leg->command == "tests");
    CHECK(leg->check_name == "Tests (linux, 3.11)");
    CHECK_FALSE(leg->passed);
    CHECK(leg->conclusion == model::Conclusion::failure);
    REQUIRE(leg->gates.size() == 1);
    CHECK(leg->gates[0].name == "failed tests");
    CHECK(leg->gates[0].actual == 1);
    REQUIRE(leg->findings.size() == 1);
    CHECK(leg->findings[0].path == "src/a.py");
    CHECK(leg->findings[0].start_line == 3);
    CHECK(leg->findings[0].raw_details == "trace");
    REQUIRE(leg->tests);
    CHECK(leg->tests->tests == 2);
    CHECK(leg->tests->failed == 1);
    CHECK(leg->tests->duration_s == doctest::Approx(0.25));
    CHECK_FALSE(leg->coverage);
  }

  TEST_CASE("a coverage leg: coverage data normalized, hits of repeated lines added") {
    const auto leg = report::parse_leg_result(k_coverage_leg);
    REQUIRE(leg);
    REQUIRE(leg->coverage);
    REQUIRE(leg->coverage->size() == 1);
    const auto& f = (*leg->coverage)[0];
    CHECK(f.path == "src/a.py");
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].line == 1);
    CHECK(f.lines[1].line == 3);
    CHECK(f.lines[1].hits == 1);
    REQUIRE(f.branches.size() == 2);
    CHECK(f.branches[0].branch == 0);
    CHECK(leg->baseline_line_pct == doctest::Approx(70.5));
    CHECK(leg->coverage_outside == std::vector<std::string>{"/usr/lib/x.py"});
  }

  TEST_CASE("a coverage result without coverage data names what to do") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message.find("coverage_data") != std::string::npos);
  }

  TEST_CASE("JSON that is not a Tollgate result is refused") {
    CHECK_FALSE(report::parse_leg_result(R"J({"command":"tests","passed":true})J"));
    CHECK_FALSE(report::parse_leg_result("[1,2]"));
    const auto broken = report::parse_leg_result("{\n  \"tool\": \"tollgate\",\n  \"command\": }");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().line == 3);
  }

  TEST_CASE("members with the wrong type are named") {
    const auto no_passed = report::parse_leg_result(R"J({"tool":"tollgate","command":"tests","passed":"yes"})J");
    REQUIRE_FALSE(no_passed);
    CHECK(no_passed.error().message == "result: \"passed\" must be true or false");
    const auto bad_level = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"x","passed":true,"findings":[{"title":"t","level":"fatal"}]})J");
    REQUIRE_FALSE(bad_level);
    CHECK(bad_level.error().message == "findings[0]: \"level\" must be notice, warning or failure");
    const auto bad_line = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[0,1]]}]}})J");
    REQUIRE_FALSE(bad_line);
    CHECK(bad_line.error().message == "coverage_data.files[0]: each of \"lines\" must be [line, hits]");
    const auto bad_version = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":2,"files":[]}})J");
    REQUIRE_FALSE(bad_version);
    CHECK(bad_version.error().message.find("version 2 is not understood") != std::string::npos);
  }

  TEST_CASE("a command that is not a command name is refused: it names the merged check") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"<img src=x>","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message == "result: \"command\" must be a tollgate command name");
  }

  TEST_CASE("a tests result without totals is an error") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"tests","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message == "a tests result needs \"totals\"");
  }

  TEST_CASE("a gate that measured nothing has a null actual and keeps measured=false") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true,
      "gates":[{"name":"patch coverage","threshold":80,"actual":null,"measured":false,"passed":true}],"findings":[],
      "coverage_data":{"version":1,"files":[]}})J");
    REQUIRE(leg);
    REQUIRE(leg->gates.size() == 1);
    CHECK_FALSE(leg->gates[0].measured);
    // A null actual on a gate that claims to be measured is still refused.
    CHECK_FALSE(report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true,
      "gates":[{"name":"patch coverage","threshold":80,"actual":null,"passed":true}],"findings":[],
      "coverage_data":{"version":1,"files":[]}})J"));
  }
}

TEST_SUITE("report::leg_result") {
  TEST_CASE("paths from a leg result are confined to the repository") {
    CHECK(report::confined_leg_path("src/a.py") == "src/a.py");
    CHECK(report::confined_leg_path("src/./b/../a.py") == "src/a.py");
    for (const char* hostile : {"../../../etc/passwd", "/etc/passwd", "src\\a.py", "C:/x.py", "src/../../x.py",
                                "a\n::warning::x", "", "."})
      CHECK_FALSE(report::confined_leg_path(hostile));
  }

  TEST_CASE("the writer is read back; a run id that is not digits is refused") {
    auto leg = report::parse_leg_result(
        R"({"tool":"tollgate","command":"tests","passed":true,"writer":{"run_id":"1001","run_attempt":"1","job":"test","leg":"3.12"},)"
        R"("totals":{"tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"flaky":0}})");
    REQUIRE(leg);
    CHECK(leg->has_writer);
    CHECK(leg->job == "test");
    CHECK(leg->leg == "3.12");
    CHECK(leg->run_id == "1001");
    CHECK_FALSE(report::parse_leg_result(
        R"({"tool":"tollgate","command":"tests","passed":true,"writer":{"run_id":"1/../../x"},)"
        R"("totals":{"tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"flaky":0}})"));
  }
}

namespace {

// A random leg result around coverage data of every shape the reader must tell apart: members in
// any order and repeated, values of the wrong type, entries of the wrong length, numbers written
// every way JSON allows (-0, 1.0, 1e3, past 32 and 64 bits), and "files" or "coverage_data"
// where the reader must not look (a root "files" array, as `coverage --json` writes one).
class LegGenerator {
public:
  explicit LegGenerator(uint64_t seed) : m_rng(seed) {}

  std::string leg() {
    std::string out = R"({"tool":"tollgate","command":"coverage","passed":true)";
    if (chance(3)) out += R"(,"files":[{"path":"a.c","lines":4500,"branches":[]}])";
    if (chance(10)) out += ",\"coverage_data\":" + (chance(2) ? std::string("[]") : "7");
    if (!chance(20)) out += ",\"coverage_data\":" + data();
    if (chance(4)) out += ",\"coverage_data\":" + data();
    if (chance(3)) out += R"(,"x":[[1,2]],"y":{"files":[1]})";
    return out + "}";
  }

private:
  bool chance(unsigned in) { return m_rng() % in == 0; }
  template <class T>
  const T& pick(const std::vector<T>& from) {
    return from[m_rng() % from.size()];
  }

  std::string data() {
    std::vector<std::string> members;
    if (!chance(20)) members.push_back(chance(30) ? R"("version":2)" : R"("version":1)");
    if (!chance(20)) members.push_back("\"files\":" + (chance(30) ? std::string("{}") : files()));
    if (chance(5)) members.push_back("\"files\":" + files());
    if (chance(5)) members.push_back(R"("other":{"files":[{"path":"b"}]})");
    return "{" + join(shuffled(std::move(members))) + "}";
  }

  std::string files() {
    std::vector<std::string> items;
    const size_t n = m_rng() % 4;
    for (size_t i = 0; i < n; ++i)
      items.push_back(chance(25) ? pick<std::string>({"3", "\"a.c\"", "[]", "null", "[{}]"}) : file());
    return "[" + join(items) + "]";
  }

  std::string file() {
    std::vector<std::string> members;
    if (!chance(15))
      members.push_back("\"path\":" + (chance(15) ? pick<std::string>({"\"\"", "1", "null", "[\"a\"]", "{\"p\":1}"})
                                                   : pick<std::string>({"\"src/a.c\"", "\"b.py\"", "\"c\\u00e9.js\""})));
    if (chance(8)) members.push_back(R"("path":"second.c")");
    if (!chance(6)) members.push_back("\"lines\":" + list(2));
    if (chance(8)) members.push_back("\"lines\":" + list(2));
    if (chance(2)) members.push_back("\"branches\":" + list(4));
    if (chance(8)) members.push_back("\"branches\":" + list(4));
    if (chance(4)) members.push_back(R"("extra":{"lines":[[0]],"path":7})");
    return "{" + join(shuffled(std::move(members))) + "}";
  }

  std::string list(size_t size) {
    if (chance(15)) return pick<std::string>({"{}", "3", "null", "\"[]\"", "{\"a\":[1,2]}"});
    std::vector<std::string> entries;
    const size_t n = m_rng() % 5;
    for (size_t i = 0; i < n; ++i) {
      if (chance(20)) {
        entries.push_back(pick<std::string>({"5", "null", "{}", "[]", "\"x\""}));
        continue;
      }
      std::vector<std::string> numbers;
      const size_t count = chance(12) ? size + (chance(2) ? 1 : size_t{0}) - (chance(2) ? 1 : 0) : size;
      for (size_t k = 0; k < count; ++k) numbers.push_back(number(k == 0));
      entries.push_back("[" + join(numbers) + "]");
    }
    return "[" + join(entries) + "]";
  }

  std::string number(bool line) {
    if (chance(10))
      return pick<std::string>({"0", "-0", "-1", "1.0", "2.5", "1e3", "-0.0", "4294967296", "2147483647",
                                "2147483648", "18446744073709551615", "18446744073709551616", "1e30", "true",
                                "null", "\"3\"", "[1]", "{}"});
    return std::to_string(line ? 1 + m_rng() % 6 : m_rng() % 4);
  }

  std::vector<std::string> shuffled(std::vector<std::string> items) {
    std::shuffle(items.begin(), items.end(), m_rng);
    return items;
  }
  // The items with commas between them, now and then with blanks around a comma (the chunked
  // read skips blanks a buffer at a time).
  std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : chance(8) ? " \n,\t " : ",") + item;
    return out;
  }

  std::mt19937_64 m_rng;
};

} // namespace

TEST_SUITE("report::leg_result") {
  TEST_CASE("coverage data read on its way from the parser reads as the document's tree reads it") {
    std::string why;
    for (const char* bytes :
         {k_coverage_leg, k_tests_leg,
          // The first "coverage_data" and its first "files" count, wherever they stand.
          R"({"tool":"tollgate","command":"coverage","passed":true,"files":[{"path":"x"}],"coverage_data":{"files":[{"path":"a","lines":[[1,2]]}],"version":1},"z":[]})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a"}],"files":[{"path":"b"}]},"coverage_data":{"version":1,"files":[]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":{}},"coverage_data":{"version":1,"files":[]}})",
          // A file's checks in their order: "path" before the lists' types before their entries.
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"lines":[[0,1]],"branches":7,"path":""}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"lines":[[0,1]],"branches":7,"path":"a"}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"branches":[[1,1]],"lines":[[0,1]],"path":"a"}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[1,-0],[2,1.0],[3,1e30],[4,4294967296]]}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[1,"2"]]}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[1,[2]]]}]}})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a"},3,{"path":""}]}})",
          // A broken document is the parser's error, wherever it breaks.
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[1,2]})",
          R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[1,2]]}]}} x)"}) {
      CAPTURE(bytes);
      CHECK_MESSAGE(testing::leg_coverage_agrees(bytes, why), why);
    }
  }

  TEST_CASE("coverage data of random shapes reads as the tree reads it (differential)") {
    LegGenerator generate(20261205);
    size_t read = 0, refused = 0, disagreements = 0;
    for (int i = 0; i < 20000; ++i) {
      const std::string bytes = generate.leg();
      std::string why;
      if (!testing::leg_coverage_agrees(bytes, why) && ++disagreements <= 5) FAIL_CHECK(bytes << "\n" << why);
      (report::parse_leg_result(bytes) ? read : refused) += 1;
    }
    CHECK(disagreements == 0);
    // Both ways out are exercised, not just one.
    CHECK(read > 2000);
    CHECK(refused > 2000);
  }

  TEST_CASE("a leg read from a file in chunks is the leg read whole; every refusal is left to the whole read") {
    // A coverage leg several buffers long, its paths not ASCII, so that tokens and multi-byte
    // sequences fall across the buffers' ends.
    std::string big = R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[)";
    for (int f = 0; f < 40; ++f) {
      big += (f ? ",{" : "{") + fmt::format("\"path\":\"src/caf\\u00e9/\xE2\x82\xAC{}.c\",\"lines\":[", f);
      for (int line = 1; line <= 60; ++line) big += fmt::format("{}[{},{}]", line > 1 ? "," : "", line, (line * f) % 5);
      big += R"(],"branches":[[3,0,1,2]]})";
    }
    big += R"(]},"gates":[{"name":"line coverage","threshold":1,"actual":2,"passed":true}]})";
    // Bytes that are not UTF-8 inside a path (the parser does not check strings as it reads them):
    // a sequence cut short, a lone continuation byte.
    const auto not_utf8 = [&](std::string_view bad) {
      std::string out = big;
      return out.replace(out.find("\xE2\x82\xAC" "20"), 3, bad);
    };
    REQUIRE(report::parse_leg_result(big));
    std::vector<std::string> cases = {k_coverage_leg, k_tests_leg, big, big + "\n\t ", " \r\n" + big,
                                      // Refused, each a different way: the whole read words it.
                                      big + " x", big.substr(0, big.size() / 2), "\xEF\xBB\xBF" + big,
                                      not_utf8("\xE2\x82("), not_utf8("\x80"), big + '\0',
                                      std::string(300, '[') + std::string(300, ']'),
                                      R"({"tool":"tollgate","command":"coverage","passed":"yes"})",
                                      R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":""}]}})",
                                      R"({"tool":"tollgate","command":"lighthouse","passed":true,"title":"a\u0000b"})", "", "{}"};
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(TOLLGATE_TEST_DATA) / ".." / "fuzz" / "seeds" / "leg_result"))
      cases.push_back(*util::read_file(entry.path().string()));
    const std::vector<size_t> chunks = {1, 2, 3, 7, 64, 4096, 1 << 20};
    size_t read = 0, read_whole = 0;
    for (const auto& bytes : cases) {
      read_whole += report::parse_leg_result(bytes).has_value();
      for (const size_t chunk : chunks) {
        std::string why;
        CHECK_MESSAGE(testing::leg_file_agrees(bytes, chunk, why), bytes.substr(0, 120) << "\n" << why);
        read += report::read_leg_result_file(testing::MemoryFile(bytes).path(), chunk).has_value();
      }
    }
    // The two legs above, the big one three ways and the NUL escape (and the seeds that are
    // legs): at every size.
    CHECK(read_whole >= 7);
    CHECK(read == read_whole * chunks.size());
    // A pipe is not read in chunks, nor even opened: the whole read reads all of it.
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    const std::string leg = k_coverage_leg;
    REQUIRE(::write(ends[1], leg.data(), leg.size()) == static_cast<ssize_t>(leg.size()));
    ::close(ends[1]);
    const std::string pipe_path = "/proc/self/fd/" + std::to_string(ends[0]);
    CHECK_FALSE(report::read_leg_result_file(pipe_path));
    const auto whole = util::read_file(pipe_path);
    REQUIRE(whole);
    CHECK(*whole == leg);
    ::close(ends[0]);
    CHECK_FALSE(report::read_leg_result_file("/nonexistent/leg.json"));
  }

  TEST_CASE("legs of random shapes read in random chunks are the legs read whole (differential)") {
    LegGenerator generate(20261206);
    std::mt19937_64 rng(6);
    size_t read = 0, refused = 0, disagreements = 0;
    for (int i = 0; i < 5000; ++i) {
      const std::string bytes = generate.leg();
      const size_t chunk = 1 + rng() % 96;
      std::string why;
      if (!testing::leg_file_agrees(bytes, chunk, why) && ++disagreements <= 5) FAIL_CHECK(bytes << "\n" << why);
      (report::parse_leg_result(bytes) ? read : refused) += 1;
    }
    CHECK(disagreements == 0);
    CHECK(read > 500);
    CHECK(refused > 500);
  }

  TEST_CASE("a coverage leg keeps no tree of its coverage data: the files come from the reader") {
    const auto leg = report::parse_leg_result(
        R"({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a.c","lines":[[2,1],[1,0],[2,4]],"branches":[[1,0,1,3]]},{"path":"b.c"}]}})");
    REQUIRE(leg);
    REQUIRE(leg->coverage);
    REQUIRE(leg->coverage->size() == 2);
    CHECK((*leg->coverage)[0].lines.size() == 2);
    CHECK((*leg->coverage)[0].lines[1].hits == 5);
    CHECK((*leg->coverage)[0].branches.size() == 1);
    CHECK((*leg->coverage)[1].path == "b.c");
    CHECK((*leg->coverage)[1].lines.empty());
  }
}
