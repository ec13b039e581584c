#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "report/lhr.h"
#include "report/lhr_simd.h"
#include "support/lhr_compare.h"
#include "util/json.h"

using namespace tollgate;

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Every JSON file of the test data and the fuzz seeds that looks like an LHR.
std::vector<std::string> lhr_files() {
  std::vector<std::string> out;
  const std::filesystem::path data(TOLLGATE_TEST_DATA);
  for (const auto& root : {data, data.parent_path() / "fuzz" / "seeds" / "lhr"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        std::string bytes = read_all(entry.path());
        if (report::looks_like_lhr(bytes)) out.push_back(std::move(bytes));
      }
    }
  }
  return out;
}

// What each reader makes of the bytes: the simdjson reader, when it decides, must give the
// RapidJSON reader's run; parse_lhr (both) must give the RapidJSON reader's run or error.
struct Outcome {
  bool simd_decided = false;
  std::string difference; // empty when they agree
};

Outcome compare(std::string bytes) {
  const std::string_view view = util::pad_for_simd(bytes);
  const auto reference = report::parse_lhr_reference_padded(view);
  const auto simd = report::parse_lhr_simd(view);
  const auto both = report::parse_lhr_padded(view);
  Outcome out;
  out.simd_decided = simd.has_value();
  if (simd) {
    if (!reference) return {true, "simdjson read what RapidJSON refuses: " + reference.error().message};
    out.difference = testing::lhr_difference(*simd, *reference);
  }
  if (both.has_value() != reference.has_value()) return {out.simd_decided, "parse_lhr decides otherwise"};
  if (!both && (both.error().message != reference.error().message || both.error().line != reference.error().line ||
                both.error().column != reference.error().column))
    return {out.simd_decided, "another error: " + both.error().message};
  if (both && out.difference.empty()) out.difference = testing::lhr_difference(*both, *reference);
  return out;
}

const char* const k_small = R"({"lighthouseVersion":"12.6.1","finalUrl":"http://a/","requestedUrl":"http://a/",
"runtimeError":{"code":"NO_FCP","message":"none"},
"categories":{"performance":{"title":"Performance","score":0.5},"seo":{"score":null}},
"audits":{"first-contentful-paint":{"score":0.25,"scoreDisplayMode":"numeric","numericValue":1234.5678,"numericUnit":"millisecond","displayValue":"1.2 s","title":"FCP","description":"d"},
"resource-summary":{"score":null,"details":{"type":"table","items":[{"resourceType":"total","size":100,"transferSize":90,"requestCount":3},{"resourceType":"script","transferSize":null},7,[1]]}},
"user-timings":{"details":{"items":[{"name":"boot","duration":12.5,"startTime":1e3}]}},
"other":{"details":{"items":[1,{"a":1},[2]]}}}})";

} // namespace

TEST_SUITE("report::lhr_simd") {
  TEST_CASE("every LHR of the test data reads the same with simdjson as with RapidJSON") {
    const auto files = lhr_files();
    REQUIRE(files.size() >= 7);
    size_t decided = 0;
    for (const auto& bytes : files) {
      const Outcome o = compare(bytes);
      CHECK_MESSAGE(o.difference.empty(), o.difference);
      decided += o.simd_decided;
    }
    // Where the build has simdjson it reads the real files itself (else nothing would be compared).
    if (report::lhr_simd_available()) CHECK(decided >= files.size() - 2);
  }

  TEST_CASE("repeated keys, composites where numbers belong, rows that are not objects") {
    for (const char* text :
         {k_small,
          R"({"audits":{"a":{"score":1},"a":{"score":{"x":1},"numericValue":[1]}},"audits":{"b":{"score":true}}})",
          R"({"finalUrl":"x","finalUrl":7,"audits":{},"categories":{"p":{"score":1}},"categories":{"q":{"score":"0.5"}}})",
          R"({"finalUrl":{"nested":"x"},"audits":{"resource-summary":{"details":{"items":[{"size":{"a":1}}]},"details":{"items":[]}}}})",
          R"({"audits":{"x":{"numericValue":-0.0,"score":-0e3}},"categories":[]})",
          R"({"audits":{"x":{"numericValue":123456789012345678,"score":18446744073709551615}}})",
          R"({"audits":{"x":{"numericValue":4.9e-324,"score":1.7976931348623157e308}}})",
          R"({"audits":{"x\u0000y":{"title":"a\u0000b\ud83d\ude00"}}})", R"(  {"audits":{}}  )"}) {
      CAPTURE(text);
      const Outcome o = compare(text);
      CHECK_MESSAGE(o.difference.empty(), o.difference);
      if (report::lhr_simd_available()) CHECK(o.simd_decided);
    }
  }

  TEST_CASE("what simdjson reads otherwise is left to the RapidJSON reader") {
    // -0 (simdjson: the integer 0), numbers past a double, lone surrogates, a BOM, no audits,
    // trailing data, nesting past simdjson's limit, and bad text of every kind.
    for (const std::string& text :
         {std::string(R"({"audits":{"x":{"score":-0}}})"), std::string(R"({"audits":{"x":{"score":1e400}}})"),
          std::string(R"({"audits":{"x":{"score":123456789012345678901234567890}}})"),
          std::string(R"({"audits":{"x":{"title":"\udc00"}}})"), std::string(R"({"audits":{"x":{"title":"\ud800"}}})"),
          std::string("\xEF\xBB\xBF{\"audits\":{}}"), std::string(R"({"categories":{}})"), std::string("[1]"),
          std::string(R"({"audits":{}} x)"), std::string(R"({"audits":{}}{})"), std::string(R"({"audits":{"x":{"title":"a)") + "\x01" + "\"}}}",
          std::string(R"({"audits":{"x":{"title":"\xC3\x28"}}})"), std::string("{\"audits\":{}}\0", 14),
          std::string(R"({"audits":{"x":)") + std::string(300, '[') + std::string(300, ']') + "}}",
          std::string(R"({"audits":{"x":)") + std::string(245, '[') + std::string(245, ']') + "}}", std::string(""),
          std::string(R"({"audits":{"x":{"score":01}}})"), std::string(R"({"audits":{"x":{"score":1.}}})")}) {
      CAPTURE(text);
      const Outcome o = compare(text);
      CHECK_MESSAGE(o.difference.empty(), o.difference);
    }
    std::string minus_zero = R"({"audits":{"x":{"score":-0}}})";
    CHECK_FALSE(report::parse_lhr_simd(util::pad_for_simd(minus_zero)));
  }

  TEST_CASE("bytes changed, cut or doubled anywhere in a real LHR read the same either way") {
    std::string base = k_small;
    std::mt19937 rng(18);
    const char replacements[] = {'"', '{', '}', '[', ']', ',', ':', '\\', '0', '-', 'e', '\x01', '\x80', '\xff', ' '};
    for (int i = 0; i < 3000; ++i) {
      std::string bytes = base;
      const size_t at = rng() % bytes.size();
      switch (rng() % 3) {
      case 0: bytes[at] = replacements[rng() % sizeof replacements]; break;
      case 1: bytes.resize(at); break;
      default: bytes.insert(at, bytes.substr(at, rng() % 16)); break;
      }
      CAPTURE(bytes);
      const Outcome o = compare(bytes);
      REQUIRE_MESSAGE(o.difference.empty(), o.difference);
    }
  }
}
