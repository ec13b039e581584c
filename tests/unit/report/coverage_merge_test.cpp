// How reports of different formats merge (model::count_coverage, report::merge_coverage): one run
// reported in several formats counts as any one of them; separate runs add up.
#include "coverage_test_support.h"
#include "report/coverage_paths.h"
#include "report/coverage_report.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <random>

using namespace tollgate;
using namespace tollgate::testing;

namespace {

// A run of some code: per file, executable lines with hits and, on some lines, blocks of branch
// hits (an if's two outcomes, a switch's cases).
struct Block {
  uint32_t line;
  std::vector<uint32_t> hits;
};
struct RunFile {
  std::string path;
  std::vector<std::pair<uint32_t, uint32_t>> lines; // ascending line, hits
  std::vector<Block> blocks;
};
using Run = std::vector<RunFile>;

uint32_t random_hits(std::mt19937& rng) {
  const uint32_t choices[] = {0, 0, 0, 1, 2, 7, 1000};
  return choices[rng() % 7];
}

// The code's shape (lines, blocks) from shape_seed; hits from rng.
Run random_run(uint32_t shape_seed, std::mt19937& rng) {
  std::mt19937 shape(shape_seed);
  Run run;
  const size_t n_files = 1 + shape() % 4;
  for (size_t f = 0; f < n_files; ++f) {
    RunFile file;
    file.path = fmt::format("src/m{}.js", f);
    uint32_t line = 0;
    const size_t n_lines = 1 + shape() % 25;
    for (size_t i = 0; i < n_lines; ++i) {
      line += 1 + shape() % 3;
      file.lines.push_back({line, random_hits(rng)});
      for (uint32_t b = shape() % 3 == 0 ? 1 + shape() % 3 : 0; b > 0; --b) {
        Block block{line, {}};
        for (uint32_t k = 2 + shape() % 3; k > 0; --k)
          block.hits.push_back(random_hits(rng));
        file.blocks.push_back(block);
      }
    }
    run.push_back(file);
  }
  return run;
}

// Per line: the branches of all its blocks, and how many ran.
std::pair<uint64_t, uint64_t> line_branches(const RunFile& f, uint32_t line) {
  uint64_t total = 0, covered = 0;
  for (const auto& b : f.blocks)
    if (b.line == line)
      for (const uint32_t h : b.hits) {
        ++total;
        covered += h > 0;
      }
  return {total, covered};
}

std::string write_lcov(const Run& run) {
  std::string out;
  for (const auto& f : run) {
    out += "TN:\nSF:" + f.path + "\n";
    for (const auto& [line, hits] : f.lines)
      out += fmt::format("DA:{},{}\n", line, hits);
    for (size_t b = 0; b < f.blocks.size(); ++b)
      for (size_t i = 0; i < f.blocks[b].hits.size(); ++i) {
        const uint32_t h = f.blocks[b].hits[i];
        out += fmt::format("BRDA:{},{},{},{}\n", f.blocks[b].line, b, i,
                           h ? std::to_string(h) : "-");
      }
    out += "end_of_record\n";
  }
  return out;
}

std::string write_cobertura(const Run& run) {
  std::string out = "<?xml version=\"1.0\" ?>\n<coverage line-rate=\"0\"><sources/><packages>"
                    "<package name=\"p\"><classes>";
  for (const auto& f : run) {
    out += fmt::format("<class name=\"c\" filename=\"{}\"><methods/><lines>", f.path);
    for (const auto& [line, hits] : f.lines) {
      const auto [total, covered] = line_branches(f, line);
      out += fmt::format("<line number=\"{}\" hits=\"{}\"", line, hits);
      if (total)
        out += fmt::format(" branch=\"true\" condition-coverage=\"{}% ({}/{})\"",
                           100 * covered / total, covered, total);
      out += "/>";
    }
    out += "</lines></class>";
  }
  return out + "</classes></package></packages></coverage>\n";
}

// Istanbul's clover reporter (clover="3.2.0"): truecount = covered branches of the line.
std::string write_clover(const Run& run) {
  std::string out = "<coverage clover=\"3.2.0\"><project name=\"All files\"><metrics/>";
  for (const auto& f : run) {
    out += fmt::format("<file name=\"x\" path=\"{}\"><metrics/>", f.path);
    for (const auto& [line, hits] : f.lines) {
      const auto [total, covered] = line_branches(f, line);
      if (total)
        out += fmt::format(
            "<line num=\"{}\" count=\"{}\" type=\"cond\" truecount=\"{}\" falsecount=\"{}\"/>",
            line, hits, covered, total - covered);
      else
        out += fmt::format("<line num=\"{}\" count=\"{}\" type=\"stmt\"/>", line, hits);
    }
    out += "</file>";
  }
  return out + "</project></coverage>\n";
}

// coverage-final.json: one statement a line; branchMap ids are the LCOV block numbers.
std::string write_istanbul(const Run& run) {
  std::string out = "{";
  for (size_t n = 0; n < run.size(); ++n) {
    const auto& f = run[n];
    std::string statements, s, branch_map, b;
    for (size_t i = 0; i < f.lines.size(); ++i) {
      const auto [line, hits] = f.lines[i];
      statements += fmt::format("{}\"{}\":{{\"start\":{{\"line\":{},\"column\":0}},\"end\":{{"
                                "\"line\":{},\"column\":9}}}}",
                                i ? "," : "", i, line, line);
      s += fmt::format("{}\"{}\":{}", i ? "," : "", i, hits);
    }
    for (size_t i = 0; i < f.blocks.size(); ++i) {
      const auto& block = f.blocks[i];
      branch_map += fmt::format("{}\"{}\":{{\"type\":\"if\",\"line\":{},\"loc\":{{\"start\":{{"
                                "\"line\":{},\"column\":0}},\"end\":{{\"line\":{},\"column\":9}}}},"
                                "\"locations\":[]}}",
                                i ? "," : "", i, block.line, block.line, block.line);
      std::string counts;
      for (const uint32_t h : block.hits)
        counts += (counts.empty() ? "" : ",") + std::to_string(h);
      b += fmt::format("{}\"{}\":[{}]", i ? "," : "", i, counts);
    }
    out += fmt::format("{}\"{}\":{{\"path\":\"{}\",\"statementMap\":{{{}}},\"fnMap\":{{}},"
                       "\"branchMap\":{{{}}},\"s\":{{{}}},\"f\":{{}},\"b\":{{{}}}}}",
                       n ? "," : "", f.path, f.path, statements, branch_map, s, b);
  }
  return out + "}";
}

// JaCoCo has no per-branch names either: mb/cb per line; ci > 0 when the line ran.
std::string write_jacoco(const Run& run) {
  std::string out = "<report name=\"r\"><package name=\"\">";
  for (const auto& f : run) {
    out += fmt::format("<sourcefile name=\"{}\">", f.path);
    for (const auto& [line, hits] : f.lines) {
      const auto [total, covered] = line_branches(f, line);
      out += fmt::format("<line nr=\"{}\" mi=\"{}\" ci=\"{}\" mb=\"{}\" cb=\"{}\"/>", line,
                         hits ? 0 : 3, hits, total - covered, covered);
    }
    out += "</sourcefile>";
  }
  return out + "</package></report>\n";
}

// coverage.py JSON: branches are arcs from the line to a destination (distinct per line).
std::string write_coveragepy(const Run& run) {
  std::string out = "{\"meta\":{\"version\":\"6.5.0\",\"branch_coverage\":true},\"files\":{";
  for (size_t n = 0; n < run.size(); ++n) {
    const auto& f = run[n];
    std::string executed, missing, taken, not_taken;
    const auto add = [](std::string& list, const std::string& item) {
      list += (list.empty() ? "" : ",") + item;
    };
    for (const auto& [line, hits] : f.lines)
      add(hits ? executed : missing, std::to_string(line));
    std::map<uint32_t, uint32_t> next_destination;
    for (const auto& block : f.blocks)
      for (const uint32_t h : block.hits) {
        const uint32_t to = 100000 + next_destination[block.line]++;
        add(h ? taken : not_taken, fmt::format("[{},{}]", block.line, to));
      }
    out += fmt::format("{}\"{}\":{{\"executed_lines\":[{}],\"missing_lines\":[{}],"
                       "\"executed_branches\":[{}],\"missing_branches\":[{}]}}",
                       n ? "," : "", f.path, executed, missing, taken, not_taken);
  }
  return out + "}}";
}

// coverage.py 6's LCOV writer: each branch on the line it leads to, not the line it leaves.
std::string write_lcov_on_destination(const Run& run) {
  std::string out;
  for (const auto& f : run) {
    out += "SF:" + f.path + "\n";
    for (const auto& [line, hits] : f.lines)
      out += fmt::format("DA:{},{}\n", line, hits);
    for (size_t b = 0; b < f.blocks.size(); ++b)
      for (size_t i = 0; i < f.blocks[b].hits.size(); ++i)
        out += fmt::format("BRDA:{},{},{},{}\n", f.blocks[b].line + 1 + i, b, i,
                           f.blocks[b].hits[i] ? std::to_string(f.blocks[b].hits[i]) : "-");
    out += "end_of_record\n";
  }
  return out;
}

model::CoverageReport parsed(const std::string& bytes) {
  auto r = report::parse_coverage(bytes);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message) << "\n" << bytes);
  return std::move(*r);
}

model::CoverageCounts merged_totals(std::vector<model::CoverageReport> reports) {
  const report::RepoPaths outside_git("/nowhere", std::nullopt);
  const auto merged = report::merge_coverage(std::move(reports), outside_git, {});
  model::CoverageCounts c;
  for (const auto& f : merged.files)
    c += model::count_coverage(f);
  return c;
}

model::CoverageCounts expected_totals(const Run& run) {
  model::CoverageCounts c;
  for (const auto& f : run)
    for (const auto& [line, hits] : f.lines) {
      ++c.lines;
      c.lines_covered += hits > 0;
      const auto [total, covered] = line_branches(f, line);
      c.branches += total;
      c.branches_covered += covered;
    }
  return c;
}

void check_equal(const model::CoverageCounts& a, const model::CoverageCounts& b) {
  CHECK(a.lines == b.lines);
  CHECK(a.lines_covered == b.lines_covered);
  CHECK(a.branches == b.branches);
  CHECK(a.branches_covered == b.branches_covered);
}

using Writer = std::string (*)(const Run&);
const std::pair<const char*, Writer> k_writers[] = {{"lcov", write_lcov},
                                                    {"cobertura", write_cobertura},
                                                    {"clover", write_clover},
                                                    {"istanbul", write_istanbul},
                                                    {"jacoco", write_jacoco},
                                                    {"coveragepy", write_coveragepy}};

} // namespace

TEST_SUITE("report::coverage_merge") {
  TEST_CASE("property: one run reported in any formats, once or several times, has the totals of "
            "one report") {
    for (uint32_t seed = 1; seed <= 150; ++seed) {
      std::mt19937 rng(seed * 7919);
      const Run run = random_run(seed, rng);
      const auto expected = expected_totals(run);
      std::vector<model::CoverageReport> every;
      for (const auto& writer : k_writers) {
        // Named copies, not structured bindings: clang 14 cannot capture a binding in CAPTURE's lambda.
        const char* const name = writer.first;
        const Writer& write = writer.second;
        CAPTURE(seed);
        CAPTURE(name);
        const auto alone = parsed(write(run));
        check_equal(merged_totals({alone}), expected);
        for (const auto& other : k_writers) {
          const char* const other_name = other.first;
          CAPTURE(other_name);
          check_equal(merged_totals({alone, parsed(other.second(run))}), expected);
        }
        every.push_back(alone);
        every.push_back(alone); // the same file matched twice
      }
      CAPTURE(seed);
      check_equal(merged_totals(every), expected);
    }
  }

  TEST_CASE("property: separate runs of the same code in a format that names branches add up "
            "branch by branch") {
    for (uint32_t seed = 1; seed <= 60; ++seed) {
      std::mt19937 rng(seed);
      const Run a = random_run(seed, rng);
      const Run b = random_run(seed, rng); // same shape, other hits: another matrix leg
      model::CoverageCounts union_counts;
      for (size_t f = 0; f < a.size(); ++f) {
        for (size_t i = 0; i < a[f].lines.size(); ++i) {
          ++union_counts.lines;
          union_counts.lines_covered += a[f].lines[i].second + b[f].lines[i].second > 0;
        }
        for (size_t k = 0; k < a[f].blocks.size(); ++k)
          for (size_t i = 0; i < a[f].blocks[k].hits.size(); ++i) {
            ++union_counts.branches;
            union_counts.branches_covered +=
                a[f].blocks[k].hits[i] + b[f].blocks[k].hits[i] > 0;
          }
      }
      CAPTURE(seed);
      check_equal(merged_totals({parsed(write_lcov(a)), parsed(write_lcov(b))}), union_counts);
      // Leg one wrote LCOV, Clover and Cobertura (Jest), leg two Istanbul JSON: the named
      // branches add up, and leg one's counted ones describe no more than it named.
      check_equal(merged_totals({parsed(write_lcov(a)), parsed(write_clover(a)),
                                 parsed(write_cobertura(a)), parsed(write_istanbul(b))}),
                  union_counts);
    }
  }

  TEST_CASE("property: formats that place a run's branches on different lines still count it once") {
    for (uint32_t seed = 1; seed <= 100; ++seed) {
      std::mt19937 rng(seed);
      const Run run = random_run(seed, rng);
      CAPTURE(seed);
      check_equal(merged_totals({parsed(write_lcov_on_destination(run)),
                                 parsed(write_coveragepy(run)), parsed(write_cobertura(run))}),
                  expected_totals(run));
    }
  }

  TEST_CASE("coverage.py 6.5's LCOV, JSON and Cobertura of one run count as one") {
    // Its LCOV puts branches on their destination lines, its JSON and XML on the source lines.
    std::vector<model::CoverageReport> all;
    for (const char* name : {"coveragepy.lcov", "coveragepy.json", "coveragepy-cobertura.xml"}) {
      CAPTURE(name);
      auto r = parsed(coverage_data(name));
      const auto t = totals_of(r);
      CHECK(t.branches == 8);
      CHECK(t.branches_covered == 6);
      all.push_back(std::move(r));
    }
    const auto t = merged_totals(all);
    CHECK(t.branches == 8);
    CHECK(t.branches_covered == 6);
    CHECK(t.lines_covered == 12);
  }

  TEST_CASE("a line both schemes describe counts the larger total and the larger covered") {
    // LCOV names 2 branches (1 ran); Cobertura counts 4 on the same line (3 ran): at least 3 of
    // at most 4 ran, whichever run each report is of.
    const auto lcov = parsed("SF:a.c\nDA:3,1\nBRDA:3,1,0,1\nBRDA:3,1,1,-\nend_of_record\n");
    const auto cobertura =
        parsed("<coverage><packages><package><classes><class filename='a.c'><lines>"
               "<line number='3' hits='1' branch='true' condition-coverage='75% (3/4)'/>"
               "</lines></class></classes></package></packages></coverage>");
    const auto t = merged_totals({lcov, cobertura});
    CHECK(t.branches == 4);
    CHECK(t.branches_covered == 3);
  }

  TEST_CASE("Jest's four reports of one run merge to the totals of each") {
    const char* names[] = {"lcov.info", "coverage-final.json", "clover.xml",
                           "cobertura-coverage.xml"};
    std::vector<model::CoverageReport> all;
    for (const char* name : names) {
      CAPTURE(name);
      auto r = parsed(coverage_data(std::string("jest-sample/coverage/") + name));
      for (auto& f : r.files) // Jest's LCOV names cart.js relative, the others absolute
        f.path = "cart.js";
      const auto t = totals_of(r);
      CHECK(t.lines == 10);
      CHECK(t.lines_covered == 8);
      CHECK(t.branches == 8);
      CHECK(t.branches_covered == 7);
      all.push_back(std::move(r));
    }
    const auto t = merged_totals(all);
    CHECK(t.lines == 10);
    CHECK(t.lines_covered == 8);
    CHECK(t.branches == 8);
    CHECK(t.branches_covered == 7);
  }

  TEST_CASE("c8's four reports of one run merge to the totals of each") {
    const char* names[] = {"c8-lcov.info", "c8-coverage-final.json", "c8-clover.xml",
                           "c8-cobertura.xml"};
    std::vector<model::CoverageReport> all;
    model::CoverageCounts first;
    for (const char* name : names) {
      CAPTURE(name);
      auto r = parsed(coverage_data(name));
      for (auto& f : r.files) // absolute in three, relative to the sample in c8's cobertura
        f.path = f.path.substr(f.path.rfind('/') + 1);
      if (all.empty()) first = totals_of(r);
      check_equal(totals_of(r), first);
      all.push_back(std::move(r));
    }
    CHECK(first.branches > 0);
    check_equal(merged_totals(all), first);
  }
}
