// Differential tests: the streamed readers (report/xml_stream.h) against the whole-file readers
// they replace, on every report in tests/data, the corpus (../shared/corpus, when present) and
// the fuzz seeds, each whole and cut short at many points, in windows of many sizes: the same
// results, or the same error at the same line and column.
#include "report/coverage_report.h"
#include "report/coverage_xml.h"
#include "report/test_report.h"
#include "report/xml_stream.h"
#include "util/files.h"
#include "xml_stream_test_support.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tollgate;
using tollgate::testing::describe;

namespace {

const fs::path k_data = fs::path(TOLLGATE_TEST_DATA);
const fs::path k_corpus = k_data / ".." / ".." / ".." / "shared" / "corpus";
const fs::path k_seeds = k_data / ".." / "fuzz" / "seeds";
constexpr size_t k_windows[] = {1, 7, 100, report::k_xml_window_bytes};

std::vector<fs::path> inputs() {
  std::vector<fs::path> files;
  for (const fs::path& root : {k_data / "tests", k_data / "coverage", k_corpus,
                               k_seeds / "test_report", k_seeds / "coverage"}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root))
      if (entry.is_regular_file() && entry.file_size() < (size_t{8} << 20))
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Whole, and cut after each of a few dozen points (every '<' and '>' for small files).
std::vector<std::string_view> variants(std::string_view bytes) {
  std::vector<std::string_view> out{bytes};
  const size_t step = std::max<size_t>(1, bytes.size() / 40);
  for (size_t at = 0; at < bytes.size(); at += step)
    out.push_back(bytes.substr(0, at));
  if (bytes.size() < 4096)
    for (size_t at = 0; at < bytes.size(); ++at)
      if (bytes[at] == '<' || bytes[at] == '>') out.push_back(bytes.substr(0, at + 1));
  return out;
}

} // namespace

TEST_SUITE("report::xml_stream") {

  TEST_CASE("every test report and seed reads the same streamed as whole, cut anywhere") {
    size_t compared = 0;
    for (const fs::path& path : inputs()) {
      auto bytes = util::read_file(path.string());
      REQUIRE(bytes.has_value());
      for (std::string_view variant : variants(*bytes)) {
        const std::string whole = describe(report::parse_test_report_whole(variant));
        for (size_t window : k_windows) {
          const std::string streamed = describe(testing::stream_test_report(variant, window));
          if (streamed != whole) {
            FAIL_CHECK(path.string() << " (" << variant.size() << " of " << bytes->size()
                                     << " bytes, window " << window << ")\n--- whole\n"
                                     << whole << "\n--- streamed\n"
                                     << streamed);
            break;
          }
          ++compared;
        }
      }
    }
    MESSAGE(compared << " comparisons");
  }

  TEST_CASE("every coverage report and seed reads the same streamed as whole, cut anywhere") {
    size_t compared = 0;
    for (const fs::path& path : inputs()) {
      auto bytes = util::read_file(path.string());
      REQUIRE(bytes.has_value());
      for (std::string_view variant : variants(*bytes)) {
        for (std::string_view forced : {"", "cobertura", "clover", "jacoco"}) {
          const std::string whole = describe(report::parse_xml_coverage_whole(variant, forced));
          for (size_t window : k_windows) {
            const std::string streamed =
                describe(testing::stream_coverage(variant, forced, window));
            if (streamed != whole) {
              FAIL_CHECK(path.string()
                         << " (" << variant.size() << " of " << bytes->size() << " bytes, forced '"
                         << forced << "', window " << window << ")\n--- whole\n"
                         << whole << "\n--- streamed\n"
                         << streamed);
              break;
            }
            ++compared;
          }
        }
      }
    }
    MESSAGE(compared << " comparisons");
  }

  TEST_CASE("Cobertura errors and odd shapes read the same streamed as whole") {
    static constexpr std::string_view k_cases[] = {
        "<coverage><packages><package><classes><class><lines/></class></classes></package></"
        "packages></coverage>",
        "<coverage><packages><package><classes><class filename='a'><lines>text\n<line number='x' "
        "hits='1'/></lines></class></classes></package></packages></coverage>",
        "<coverage><packages><package><classes><class filename='a'><lines><line number='1' "
        "hits='1' branch='true' "
        "condition-coverage='bad'/></lines></class></classes></package></packages></coverage>",
        "<coverage><sources><source> /src "
        "</source><source/></sources><sources><source>second</source></"
        "sources><packages><package><classes><class filename='a'><lines><line number='2' "
        "hits='3'/></lines><lines><line number='9' "
        "hits='9'/></lines></class></classes><classes><class "
        "filename='b'/></classes></package></packages><packages><package><classes><class "
        "filename='c'/></classes></package></packages></coverage>",
        "<coverage line-rate='1'><packages><sources><package><classes><class "
        "filename='a'/></classes></package></sources></packages></coverage>",
        "<coverage version='1'><file path='a'/></coverage>",
        "<coverage clover='4'><project/></coverage>",
        "<report name='r'><foo/></report>",
        "<report>text</report>",
        "<html><body>not xml<br></body></html>",
        "<coverage clover='3.2.0'><project><metrics/><package><file name='a.js' "
        "path='/p/a.js'><line num='1' count='2' type='stmt'/><line num='2' type='cond' "
        "truecount='1' falsecount='0'/><line num='x' type='method'/></file></package><file "
        "path='b.js'><file path='nested'/><line num='3' count='0' "
        "type='stmt'/></file></project><testproject><file name='t.js'><line num='9' type='cond' "
        "truecount='0' falsecount='2'/></file></testproject></coverage>",
        "<coverage clover='4'><project><file><line num='1' count='1' "
        "type='stmt'/></file></project></coverage>",
        "<coverage clover='4'><project><file path='a'><line num='1' count='x' "
        "type='stmt'/></file></project></coverage>",
    };
    for (std::string_view input : k_cases)
      for (std::string_view forced : {"", "cobertura", "clover", "jacoco"}) {
        const std::string whole = describe(report::parse_xml_coverage_whole(input, forced));
        for (size_t window : k_windows)
          CHECK_MESSAGE(describe(testing::stream_coverage(input, forced, window)) == whole,
                        "input: " << input << "\nforced '" << forced << "', window " << window);
      }
  }

  TEST_CASE("JaCoCo groups, repeated files and errors read the same streamed as whole") {
    // parse_jacoco walks a container's packages first, then its groups last-first: the files'
    // order and the first error follow that walk, not the document.
    static constexpr std::string_view k_cases[] = {
        "<report name='r'><group name='g1'><package name='a'><sourcefile name='A.java'><line "
        "nr='1' mi='0' ci='2' mb='1' cb='1'/></sourcefile></package><group name='g1a'><package "
        "name='b'><sourcefile name='B.java'><line nr='2' mi='1' ci='0' mb='0' "
        "cb='0'/></sourcefile></package></group><group name='g1b'><package name='c/'><sourcefile "
        "name='C.java'/></package></group></group><package name='d'><sourcefile "
        "name='D.java'><line nr='0' mi='x'/><line nr='3' mi='0' ci='1' mb='0' "
        "cb='0'/></sourcefile><sourcefile name='E.java'/></package><group name='g2'><package "
        "name='a'><sourcefile name='A.java'><line nr='1' mi='0' ci='5' mb='1' cb='1'/><line "
        "nr='4' mi='0' ci='0' mb='2' cb='0'/></sourcefile></package></group></report>",
        // Errors in two groups: the whole walk meets the later group's first.
        "<report name='r'><group name='g1'><package name='a'><sourcefile name='A.java'><line "
        "nr='x' mi='0' ci='0' mb='0' cb='0'/></sourcefile></package></group><group "
        "name='g2'><package name='b'><sourcefile><line nr='1'/></sourcefile></package></group>"
        "<package name='c'><sourcefile name='C.java'><line nr='1' mi='0' ci='1' mb='0' "
        "cb='y'/></sourcefile></package></report>",
        "<report name='r'><package name='a'><sourcefile name='A.java'><line nr='1' mi='0' "
        "ci='1' mb='4294967296' cb='0'/></sourcefile></package></report>",
        "<report name='r'><package name='a'><sourcefile name='A.java'><line nr='1' mi='0' "
        "ci='1' mb='0' cb='0' nr='7'/><line nr='-1' mi='0' ci='1' mb='0' "
        "cb='0'/></sourcefile></package></report>",
        "<report name='r'><package name='a'><sourcefile name='A.java'><group><line nr='1' mi='0' "
        "ci='1' mb='0' cb='0'/></group></sourcefile><sourcefile name='B'/></package><group><foo "
        "name='x'><package name='p'/></foo></group></report>",
        "<r:report xmlns:r='urn:x' name='r'><package name='a'><sourcefile name='A.java'><line "
        "nr='1' mi='0' ci='1' mb='0' cb='0'/></sourcefile></package></r:report>",
    };
    for (std::string_view input : k_cases)
      for (std::string_view forced : {"", "jacoco"}) {
        const std::string whole = describe(report::parse_xml_coverage_whole(input, forced));
        for (size_t window : k_windows)
          CHECK_MESSAGE(describe(testing::stream_coverage(input, forced, window)) == whole,
                        "input: " << input << "\nforced '" << forced << "', window " << window);
      }
  }

  TEST_CASE("a JaCoCo file repeated in many groups folds to the same result as whole") {
    std::string input = "<report name='r'>";
    for (int g = 0; g < 40; ++g) {
      input += "<group name='g'><package name='p'>";
      for (int f = 0; f < 3; ++f) {
        input += "<sourcefile name='F" + std::to_string((g + f) % 5) + ".java'>";
        for (int n = 3000; n > 0; n -= 7)
          input += "<line nr='" + std::to_string(n + g) + "' mi='0' ci='" + std::to_string(g % 3) +
                   "' mb='1' cb='" + std::to_string(n % 2) + "'/>";
        input += "</sourcefile>";
      }
      input += "</package></group>";
    }
    input += "</report>";
    const std::string whole = describe(report::parse_xml_coverage_whole(input, ""));
    REQUIRE(whole.find("F4.java") != std::string::npos);
    for (size_t window : {size_t{4096}, report::k_xml_window_bytes})
      CHECK(describe(testing::stream_coverage(input, "", window)) == whole);
  }

  TEST_CASE("a JaCoCo report streams: the whole-file reader is asked only for a broken one") {
    auto bytes = util::read_file((k_data / "coverage" / "jacoco.xml").string());
    REQUIRE(bytes.has_value());
    size_t asked = 0;
    const auto whole = [&]() -> util::Expected<std::string, util::ParseError> {
      ++asked;
      return std::string(*bytes);
    };
    const auto streamed = report::read_xml_coverage(report::memory_source(*bytes), "", 4096, whole);
    REQUIRE(streamed.has_value());
    CHECK(streamed->format == "jacoco");
    CHECK(asked == 0);
    CHECK(describe(streamed) == describe(report::parse_xml_coverage_whole(*bytes, "")));
    const std::string broken = "<report name='r'><package name='a'><sourcefile "
                               "name='A.java'><line nr='x'/></sourcefile></package></report>";
    const auto error = report::read_xml_coverage(
        report::memory_source(broken), "", 4096,
        [&]() -> util::Expected<std::string, util::ParseError> {
          ++asked;
          return broken;
        });
    CHECK_FALSE(error.has_value());
    CHECK(asked == 1);
  }

  TEST_CASE("hand-written edge cases read the same streamed as whole") {
    for (std::string_view input : testing::k_xml_edge_cases) {
      const std::string whole = describe(report::parse_test_report_whole(input));
      for (size_t window : k_windows)
        CHECK_MESSAGE(describe(testing::stream_test_report(input, window)) == whole,
                      "input: " << input << "\nwindow " << window);
    }
  }
}
