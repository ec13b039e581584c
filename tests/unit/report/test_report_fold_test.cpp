// Passed test cases folded while a JUnit report streams (report/test_report_fold.h, issue 18):
// on every test report and seed, what the gate and the summary take from a folded run (totals,
// suites, slowest tests, the kept failures) equals what they take from the whole-file reader's
// full list; and a report of many passing tests keeps none of them one by one.
#include "gate/tests_gate.h"
#include "report/test_report.h"
#include "report/test_report_fold.h"
#include "report/xml_stream.h"
#include "util/files.h"
#include "xml_stream_test_support.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tollgate;
using tollgate::testing::describe;

namespace {

const fs::path k_data = fs::path(TOLLGATE_TEST_DATA);
const fs::path k_corpus = k_data / ".." / ".." / ".." / "shared" / "corpus";
const fs::path k_seeds = k_data / ".." / "fuzz" / "seeds";

util::Expected<model::TestRun, util::ParseError> read_folded(std::string_view bytes,
                                                             size_t window = report::k_xml_window_bytes) {
  return report::read_test_report(
      report::memory_source(bytes), "", nullptr, window,
      [bytes]() -> util::Expected<std::string, util::ParseError> { return std::string(bytes); },
      /*fold_passed=*/true);
}

// What the gate, the summary and --json take from a run, written out.
std::string outline(const model::TestRun& run) {
  std::vector<model::TestRun> runs{run};
  const gate::TestTotals t = gate::count_tests(runs);
  std::string out = fmt::format("{} {} | {} {} {} {} {} {} {}\n", run.format, run.dialect, t.tests,
                                t.passed, t.failed, t.errors, t.skipped, t.flaky, t.duration_s);
  out += fmt::format("cases {}\n", report::case_count(run));
  for (const auto& s : report::suite_tallies(run))
    out += fmt::format("suite {} {} {} {} {}\n", s.name, s.tests, s.failed, s.skipped, s.duration_s);
  auto slowest = report::slowest_candidates(run);
  std::stable_sort(slowest.begin(), slowest.end(),
                   [](const auto* a, const auto* b) { return a->duration_s > b->duration_s; });
  slowest.resize(std::min<size_t>(slowest.size(), 10));
  for (const auto* c : slowest)
    out += fmt::format("slow {}|{}|{}|{}:{} {}\n", c->suite, c->classname, c->name, c->file,
                       c->line, c->duration_s);
  for (const auto& c : run.cases)
    if (c.status != model::TestStatus::passed || c.suite_header || c.count != 1)
      out += fmt::format("kept {}|{}|{}|{}|{}|{}|{}\n", c.suite, c.classname, c.name,
                         model::to_string(c.status), c.message, c.details, c.count);
  return out;
}

} // namespace

TEST_SUITE("report::test_report_fold") {

  TEST_CASE("a folded run gives the gate and the summary what the whole list gives") {
    size_t compared = 0, folded = 0;
    for (const fs::path& root :
         {k_data / "tests", k_corpus, k_seeds / "test_report"}) {
      if (!fs::is_directory(root)) continue;
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.file_size() >= (size_t{8} << 20)) continue;
        auto bytes = util::read_file(entry.path().string());
        REQUIRE(bytes.has_value());
        const auto whole = report::parse_test_report_whole(*bytes);
        for (size_t window : {size_t{7}, report::k_xml_window_bytes}) {
          const auto streamed = read_folded(*bytes, window);
          if (!whole || !streamed) {
            CHECK_MESSAGE(describe(streamed) == describe(whole), entry.path().string());
            continue;
          }
          CHECK_MESSAGE(outline(*streamed) == outline(*whole), entry.path().string());
          folded += streamed->passed.count;
          ++compared;
        }
      }
    }
    MESSAGE(compared << " comparisons, " << folded << " passed tests folded");
    CHECK(folded > 0);
  }

  TEST_CASE("passing tests are counted, not kept: memory follows the failures") {
    std::string xml = "<testsuites>";
    for (int s = 0; s < 20; ++s) {
      xml += fmt::format("<testsuite name=\"s{}\" tests=\"1000\">", s);
      for (int t = 0; t < 1000; ++t) {
        xml += fmt::format("<testcase classname=\"c{}\" name=\"t{}\" time=\"0.{:03d}\"", s, t, t % 997);
        xml += t == 500 ? "><failure message=\"boom\">trace</failure></testcase>"
                        : "><system-out>captured</system-out></testcase>";
      }
      xml += "</testsuite>";
    }
    xml += "</testsuites>";
    const auto run = read_folded(xml, 4096);
    REQUIRE(run.has_value());
    CHECK(run->cases.size() == 20); // the failures
    CHECK(run->passed.count == 19980);
    CHECK(run->passed.slowest.size() == model::k_slowest_folded);
    CHECK(run->passed.suites.size() == 20);
    CHECK(outline(*run) == outline(*report::parse_test_report_whole(xml)));
    // The slowest: 0.996 s (t = 996) in every suite, the earliest suites first.
    const auto slow = report::slowest_candidates(*run);
    CHECK(std::count_if(slow.begin(), slow.end(),
                        [](const auto* c) { return c->duration_s == 0.996; }) == 10);
  }

  TEST_CASE("merging retries needs every passed test: a folded run refuses") {
    auto run = read_folded("<testsuite><testcase name=\"a\"/></testsuite>");
    REQUIRE(run.has_value());
    CHECK_THROWS(report::merge_retries(*run));
  }
}
