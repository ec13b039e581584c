// Differential tests: the streamed JSON coverage readers (report/istanbul_stream.cpp,
// report/coverage_py_stream.cpp, with format detection: parse_json_coverage) against the
// whole-document readers they replace (parse_json_coverage_whole), on every JSON file in
// tests/data, the corpus (../shared/corpus, when present) and the fuzz seeds — whole, cut short,
// and mutated — and on hand-written edge cases: the same results, or the same error at the same
// line and column.
#include "report/coverage_json.h"
#include "report/coverage_report.h"
#include "util/files.h"
#include "xml_stream_test_support.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace tollgate;
using tollgate::testing::describe;

namespace {

const fs::path k_data = fs::path(TOLLGATE_TEST_DATA);
const fs::path k_corpus = k_data / ".." / ".." / ".." / "shared" / "corpus";
const fs::path k_seeds = k_data / ".." / "fuzz" / "seeds";
constexpr std::string_view k_forced[] = {"", "istanbul", "coveragepy"};

std::vector<fs::path> json_inputs() {
  std::vector<fs::path> files;
  for (const fs::path& root : {k_data, k_corpus, k_seeds / "coverage"}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root))
      if (entry.is_regular_file() && entry.path().extension() == ".json" &&
          entry.file_size() < (size_t{1} << 20))
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Empty when streamed and whole agree, else both.
std::string difference(std::string_view bytes, std::string_view forced) {
  const std::string whole = describe(report::parse_json_coverage_whole(bytes, forced));
  const std::string streamed = describe(report::parse_json_coverage(bytes, forced));
  if (whole == streamed) return {};
  return "--- whole\n" + whole + "\n--- streamed\n" + streamed;
}

size_t compare_all_formats(std::string_view bytes, const std::string& what) {
  size_t compared = 0;
  for (std::string_view forced : k_forced) {
    const std::string diff = difference(bytes, forced);
    if (!diff.empty()) {
      FAIL_CHECK(what << ", forced '" << forced << "': " << bytes.substr(0, 300) << "\n" << diff);
      return compared;
    }
    ++compared;
  }
  return compared;
}

// Random edits of JSON text: a byte replaced by one that matters to a JSON reader, a byte
// deleted, a span repeated (duplicate members) or a number replaced by another kind of value.
std::string mutate(std::string text, std::mt19937& rng) {
  static constexpr std::string_view k_bytes = "{}[]\",:0123456789-.eE \nnul\x80\xC3\xE2\x00";
  static constexpr std::string_view k_values[] = {"null",
                                                  "-1",
                                                  "0",
                                                  "1.5",
                                                  "1e300",
                                                  "-0",
                                                  "18446744073709551616",
                                                  "9223372036854775808",
                                                  "2147483648",
                                                  "\"7\"",
                                                  "[]",
                                                  "{}",
                                                  "true",
                                                  "[1,2,3]",
                                                  "1e+21",
                                                  "-0.0"};
  if (text.empty()) return text;
  const auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const size_t at = pick(text.size());
  switch (pick(4)) {
  case 0:
    text[at] = k_bytes[pick(k_bytes.size())];
    break;
  case 1:
    text.erase(at, 1);
    break;
  case 2: {
    const size_t n = std::min(text.size() - at, 1 + pick(80));
    text.insert(at, text.substr(at, n));
    break;
  }
  default: {
    const size_t digit = text.find_first_of("0123456789", at);
    if (digit == std::string::npos) break;
    size_t end = digit;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
      ++end;
    text.replace(digit, end - digit, k_values[pick(std::size(k_values))]);
  }
  }
  return text;
}

} // namespace

TEST_SUITE("report::json_stream") {

  TEST_CASE("every JSON file under tests/data, the corpus and the seeds reads the same, cut "
            "anywhere") {
    size_t compared = 0;
    const auto files = json_inputs();
    REQUIRE(files.size() >= 4);
    for (const fs::path& path : files) {
      auto bytes = util::read_file(path.string());
      REQUIRE(bytes.has_value());
      const std::string_view text = *bytes;
      // Every cut of the coverage reports, a few dozen of the other JSON (LHRs, test results).
      const bool coverage = path.filename().string().find("coverage") != std::string::npos;
      const size_t cuts = text.size() > (size_t{64} << 10) ? 8 : 40;
      const size_t step = coverage ? 1 : std::max<size_t>(1, text.size() / cuts);
      for (size_t at = 0; at <= text.size(); at += step)
        compared += compare_all_formats(text.substr(0, at),
                                        path.string() + " cut at " + std::to_string(at));
      compared += compare_all_formats(text, path.string());
    }
    MESSAGE(compared << " comparisons");
  }

  TEST_CASE("the coverage reports and seeds read the same after random edits") {
    std::mt19937 rng(18);
    size_t compared = 0;
    for (const fs::path& path : json_inputs()) {
      if (path.filename().string().find("coverage") == std::string::npos) continue;
      auto bytes = util::read_file(path.string());
      REQUIRE(bytes.has_value());
      for (int i = 0; i < 600; ++i) {
        std::string text = mutate(*bytes, rng);
        if (i % 3 == 0) text = mutate(text, rng);
        compared += compare_all_formats(text, path.string() + " edit " + std::to_string(i));
      }
    }
    CHECK(compared > 3000);
    MESSAGE(compared << " comparisons");
  }
}
