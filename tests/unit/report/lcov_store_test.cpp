// What the LCOV parser appends to (report/lcov_store): arrays that keep every entry as they move
// from malloc into a mapping of their own, parts that assemble into one pass's files, and the
// point of it all: a large file read on huge pages, not page by page.
#include "report/coverage_file.h"
#include "report/lcov.h"
#include "report/lcov_store.h"

#include <doctest/doctest.h>

#include "support/own_allocator.h"
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/resource.h>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <unistd.h>

using namespace tollgate;

namespace {

report::LcovPart part_of(std::string_view text) {
  report::LcovChunkParser parser;
  REQUIRE(parser.feed(text));
  REQUIRE(parser.end());
  return parser.take_part();
}

bool huge_pages_offered() {
#if defined(TOLLGATE_OWN_ALLOCATOR) || !defined(__GLIBC__)
  return false; // a sanitizer's allocator or another C library: not glibc's heap
#else
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  return !modes.empty() && modes.find("[never]") == std::string::npos;
#endif
}

} // namespace

TEST_SUITE("report::lcov_store") {
  TEST_CASE("an array keeps every entry as it grows from malloc into a mapping and past it") {
    report::LcovArray<model::LineHits> array;
    constexpr uint32_t n = 3'000'000; // 24 MB: malloc, then a mapping grown four times
    for (uint32_t i = 0; i < n; ++i)
      array.push_back({i, i * 7});
    REQUIRE(array.size() == n);
    bool all = true;
    for (uint32_t i = 0; i < n; ++i)
      all = all && array.data()[i] == model::LineHits{i, i * 7};
    CHECK(all);
    // Handing back the pages before an entry leaves that entry and the ones after it.
    array.release_before(n / 2);
    for (uint32_t i = n / 2; i < n; ++i)
      all = all && array.data()[i] == model::LineHits{i, i * 7};
    CHECK(all);
    report::LcovArray<model::LineHits> moved(std::move(array));
    CHECK(moved.size() == n);
    CHECK(array.size() == 0);
    CHECK(moved.data()[n - 1] == model::LineHits{n - 1, (n - 1) * 7});
  }

  TEST_CASE("parts assemble into files in order of first appearance, hits summed across parts") {
    std::vector<report::LcovPart> parts;
    parts.push_back(part_of("SF:a.c\nDA:1,1\nDA:2,0\nend_of_record\nSF:b.c\nDA:5,3\n"
                            "BRDA:5,0,0,1\nend_of_record\n"));
    parts.push_back(part_of("SF:b.c\nDA:5,2\nDA:4,1\nBRDA:5,0,0,-\nBRDA:5,0,1,2\nend_of_record\n"
                            "SF:c.c\nend_of_record\nSF:a.c\nDA:2,7\nend_of_record\n"));
    const model::CoverageReport report = report::assemble_lcov(parts);
    CHECK(report.format == "lcov");
    REQUIRE(report.files.size() == 3);
    CHECK(report.files[0].path == "a.c");
    CHECK(report.files[0].lines == std::vector<model::LineHits>{{1, 1}, {2, 7}});
    CHECK(report.files[1].path == "b.c");
    CHECK(report.files[1].lines == std::vector<model::LineHits>{{4, 1}, {5, 5}});
    CHECK(report.files[1].branches == std::vector<model::BranchHits>{{5, 0, 0, 1}, {5, 0, 1, 2}});
    CHECK(report.files[2].path == "c.c");
    CHECK(report.files[2].lines.empty());
  }

  // Run by the test below in a process of its own (a fresh heap): prints the page faults that
  // reading the file named by TOLLGATE_LCOV_FAULTS_FILE cost.
  TEST_CASE("child: the page faults of reading one LCOV file") {
    const char* path = std::getenv("TOLLGATE_LCOV_FAULTS_FILE");
    if (!path) return;
    // Warmed up first on a small file: the second thread's stack and arena are not the model's.
    const std::string small = std::string(path) + ".small";
    [[maybe_unused]] const auto warm = report::read_lcov_file(small, 64);
    rusage before{}, after{};
    ::getrusage(RUSAGE_SELF, &before);
    const auto report = report::read_lcov_file(path, size_t{8} << 20);
    ::getrusage(RUSAGE_SELF, &after);
    REQUIRE(report);
    std::printf("faults=%ld files=%zu\n", after.ru_minflt - before.ru_minflt, report->files.size());
  }

  TEST_CASE("a large file is read on huge pages: a small fraction of a page fault per 4 KiB of model") {
    if (!huge_pages_offered() || std::getenv("TOLLGATE_LCOV_FAULTS_FILE")) return;
    // 2.4 million DA lines in 400 files (about 19 MB of model, 4,687 pages of 4 KiB): the parser
    // before, a 4 KiB page at a time, took 5,600 faults for it.
    std::string text;
    text.reserve(size_t{32} << 20);
    std::mt19937 rng(4);
    for (int f = 0; f < 400; ++f) {
      text += "SF:src/f" + std::to_string(f) + ".c\n";
      for (int n = 1; n <= 6000; ++n)
        text += "DA:" + std::to_string(n) + "," + std::to_string(rng() % 3) + "\n";
      text += "end_of_record\n";
    }
    const auto path = std::filesystem::temp_directory_path() /
                      ("tollgate-lcov-faults-" + std::to_string(::getpid()) + ".info");
    const auto small = std::filesystem::path(path.string() + ".small");
    std::ofstream(path, std::ios::binary) << text;
    std::ofstream(small, std::ios::binary) << "SF:a.c\nDA:1,1\nend_of_record\nSF:b.c\nDA:1,1\nend_of_record\n";
    const auto out = std::filesystem::path(path.string() + ".out");
    const std::string command = "TOLLGATE_LCOV_FAULTS_FILE='" + path.string() +
                                "' '" + std::filesystem::read_symlink("/proc/self/exe").string() + "' -ts='report::lcov_store' -tc='child: *' >'" +
                                out.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    const std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& p : {path, small, out})
      std::filesystem::remove(p);
    REQUIRE_MESSAGE(status == 0, printed);
    long faults = -1;
    size_t files = 0;
    const size_t at = printed.find("faults=");
    REQUIRE_MESSAGE(at != std::string::npos, printed);
    REQUIRE(std::sscanf(printed.c_str() + at, "faults=%ld files=%zu", &faults, &files) == 2);
    CHECK(files == 400);
    constexpr long model_pages = 2'400'000L * 8 / 4096;
    // Measured here: 490-980 (up to 511 more when the heap's first 2 MiB holds earlier data).
    CHECK_MESSAGE(faults < model_pages / 3, faults << " page faults for " << model_pages << " pages of model");
  }
}
