// A large Cobertura report read in parts on several threads (report/coverage_xml.h) against the
// whole-document reader: the same results, or the same error at the same line and column,
// wherever the cut falls (the inputs are shifted byte by byte so the cut lands on every kind of
// place: between classes, inside a comment or an attribute value, in a second <packages>).
#include "report/coverage_report.h"
#include "report/coverage_xml.h"
#include "report/xml_stream.h"
#include "util/files.h"
#include "xml_stream_test_support.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using namespace tollgate;
using tollgate::testing::describe;

namespace {

const fs::path k_data = fs::path(TOLLGATE_TEST_DATA);

auto whole_of(std::string_view bytes) {
  return [bytes]() -> util::Expected<std::string, util::ParseError> { return std::string(bytes); };
}

// Read in parts of one byte or more (as many parts as cores, up to four).
util::Expected<model::CoverageReport, util::ParseError> in_parts(std::string_view bytes,
                                                                 size_t part_bytes = 1) {
  return report::read_xml_coverage(report::memory_source(bytes), "", 4096, whole_of(bytes),
                                   part_bytes);
}

// A Cobertura report of `packages` packages, each with the same few files (they merge across
// parts), branches on some lines, and `middle` written between two classes of the middle
// package; `padding` blanks before the root move the cut.
std::string cobertura(size_t packages, std::string_view middle, size_t padding,
                      std::string_view tail = "") {
  std::string out = "<?xml version=\"1.0\" ?>" + std::string(padding, ' ') +
                    "\n<coverage line-rate=\"0.5\">\n<sources><source>/src</source></sources>\n"
                    "<packages>\n";
  for (size_t p = 0; p < packages; ++p) {
    out += "<package name=\"p" + std::to_string(p) + "\"><classes>\n";
    for (size_t c = 0; c < 4; ++c) {
      out += "<class name=\"c\" filename=\"f" + std::to_string((p + c) % 5) + ".py\"><lines>\n";
      for (size_t n = 1; n < 12; ++n)
        out += "<line number=\"" + std::to_string(n + p) + "\" hits=\"" + std::to_string(n % 3) +
               (n % 4 == 0 ? "\" branch=\"true\" condition-coverage=\"50% (1/2)\"/>\n" : "\"/>\n");
      out += "</lines></class>\n";
      if (p == packages / 2 && c == 1) out += middle;
    }
    out += "</classes></package>\n";
  }
  out += "</packages>\n";
  out += tail;
  out += "</coverage>\n";
  return out;
}

} // namespace

TEST_SUITE("report::coverage_xml") {

  TEST_CASE("a large Cobertura report is cut at a <class> and read in parts, with the same result") {
    const std::string input = cobertura(40, "", 0);
    std::mutex mutex;
    std::set<size_t> offsets; // where the source was read from
    report::XmlSource source = report::memory_source(input);
    const auto read_at = source.read_at;
    source.read_at = [&](char* into, size_t n, size_t offset) {
      {
        const std::lock_guard lock(mutex);
        offsets.insert(offset);
      }
      return read_at(into, n, offset);
    };
    const auto read_from_a_class = [&] {
      return std::any_of(offsets.begin(), offsets.end(), [&](size_t at) {
        return at > 0 && std::string_view(input).substr(at, 7) == "<class ";
      });
    };
    const auto parts = report::read_xml_coverage(source, "", 4096, whole_of(input), 1);
    const std::string whole = describe(report::parse_xml_coverage_whole(input, ""));
    REQUIRE(whole.find("f4.py") != std::string::npos);
    CHECK(describe(parts) == whole);
    // A part after the first starts at a cut (on a machine of one core there is one part).
    if (std::thread::hardware_concurrency() >= 2) CHECK(read_from_a_class());
    // The default part size keeps a small report in one piece.
    offsets.clear();
    CHECK(describe(report::read_xml_coverage(source, "", 4096, whole_of(input))) == whole);
    CHECK_FALSE(read_from_a_class());
  }

  TEST_CASE("the reports in tests/data read the same in parts as whole") {
    for (const char* name : {"c8-cobertura.xml", "coveragepy-cobertura.xml", "gcovr-cobertura.xml",
                             "c8-clover.xml", "jacoco.xml", "istanbul-0.4-clover.xml"}) {
      auto bytes = util::read_file((k_data / "coverage" / name).string());
      REQUIRE(bytes.has_value());
      const std::string whole = describe(report::parse_xml_coverage_whole(*bytes, ""));
      for (size_t part_bytes : {size_t{1}, size_t{100}, size_t{1000}})
        CHECK_MESSAGE(describe(in_parts(*bytes, part_bytes)) == whole,
                      name << ", parts of " << part_bytes);
    }
  }

  TEST_CASE("the fuzz seeds read the same in parts as whole, cut short at many points") {
    const fs::path seeds = k_data / ".." / "fuzz" / "seeds";
    size_t compared = 0;
    for (const char* dir : {"coverage", "xml_chunks"}) {
      for (const auto& entry : fs::directory_iterator(seeds / dir)) {
        auto bytes = util::read_file(entry.path().string());
        REQUIRE(bytes.has_value());
        // xml_chunks seeds start with the fuzzer's two bytes (window, reader).
        const std::string_view input =
            std::string_view(*bytes).substr(std::string_view(dir) == "xml_chunks" ? 2 : 0);
        const size_t step = std::max<size_t>(1, input.size() / 20);
        for (size_t at = step; at <= input.size() + step; at += step) {
          const std::string_view variant = input.substr(0, std::min(at, input.size()));
          const std::string whole = describe(report::parse_xml_coverage_whole(variant, ""));
          CHECK_MESSAGE(describe(in_parts(variant)) == whole,
                        entry.path().string() << ", first " << variant.size() << " bytes");
          ++compared;
        }
      }
    }
    MESSAGE(compared << " comparisons");
  }

  TEST_CASE("whatever stands where the cut falls, results and errors are the whole reader's") {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"", ""},
        {"<!-- <class filename=\"x.py\"> -->\n", ""},
        {"<![CDATA[ <class ]]>\n", ""},
        {"<class filename=\"g.py\" note=\"<class \"><lines/></class>\n", ""},
        {"<class name=\"no filename\"><lines><line number=\"1\" hits=\"1\"/></lines></class>\n", ""},
        {"<class filename=\"g.py\"><lines><line number=\"x\" hits=\"1\"/></lines></class>\n", ""},
        {"<class filename=\"g.py\"><lines><line number=\"2\" hits=\"1\" branch=\"true\" "
         "condition-coverage=\"1% (1/99999999999)\"/></lines></class>\n",
         ""},
        {"<class filename=\"g.py\"><lines></class>\n", ""},
        {"</classes><classes><class filename=\"second-classes.py\"/>\n", ""},
        {"", "<packages><package><classes><class filename=\"second-packages.py\"><lines><line "
             "number=\"1\" hits=\"1\"/></lines></class></classes></package></packages>\n"},
        {"", "<sources><source>/late</source></sources>\n"},
        {"", "<project/>\n"},
    };
    size_t compared = 0;
    for (const auto& [middle, tail] : cases) {
      for (size_t padding = 0; padding < 160; padding += 3) {
        for (size_t packages : {size_t{1}, size_t{3}}) {
          const std::string input = cobertura(packages, middle, padding, tail);
          const std::string whole = describe(report::parse_xml_coverage_whole(input, ""));
          const std::string parts = describe(in_parts(input));
          if (parts != whole) {
            FAIL_CHECK("middle: " << middle << " tail: " << tail << " padding " << padding
                                  << "\n--- whole\n"
                                  << whole << "\n--- parts\n"
                                  << parts);
            break;
          }
          ++compared;
        }
      }
    }
    MESSAGE(compared << " comparisons");
  }
}
