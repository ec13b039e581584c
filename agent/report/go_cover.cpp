#include "report/go_cover.h"

#include "report/coverage_numbers.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

namespace {

struct Block {
  uint32_t start_line, start_col, end_line, end_col;
  uint32_t statements;
  uint64_t count;
};

// "10.13" → line 10, column 13.
bool parse_position(std::string_view text, uint32_t& line, uint32_t& col, LineNumber& check) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return false;
  check = check_line(text.substr(0, dot), line);
  const auto c = parse_digits(text.substr(dot + 1));
  if (!c || *c > UINT32_MAX) return false;
  col = static_cast<uint32_t>(*c);
  return true;
}

// Lines a profile's blocks may span in total: a block line of ~40 bytes spanning a few hundred
// lines is real (long functions, table literals); more than 64 lines per input byte is not.
constexpr uint64_t k_lines_per_byte = 64;

} // namespace

util::Expected<model::CoverageReport, util::ParseError> parse_go_cover(std::string_view bytes) {
  std::vector<std::pair<std::string, std::vector<Block>>> files;
  std::unordered_map<std::string, size_t> index;
  bool set_mode = false;
  bool seen_mode = false;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const void* nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
    const size_t end =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
    std::string_view line = bytes.substr(pos, end - pos);
    const size_t start = pos;
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.compare(0, 5, "mode:") == 0) {
      std::string_view mode = line.substr(5);
      while (!mode.empty() && mode.front() == ' ')
        mode.remove_prefix(1);
      if (mode != "set" && mode != "count" && mode != "atomic")
        return util::unexpected(util::error_at(bytes, start, "mode must be set, count or atomic"));
      set_mode = mode == "set";
      seen_mode = true;
      continue;
    }
    if (!seen_mode)
      return util::unexpected(
          util::error_at(bytes, start, "a Go cover profile starts with \"mode: …\""));
    const auto bad = [&](const char* what) {
      return util::unexpected(util::error_at(bytes, start, what));
    };
    const size_t sp2 = line.rfind(' ');
    const size_t sp1 = sp2 == std::string_view::npos || sp2 == 0 ? std::string_view::npos
                                                                 : line.rfind(' ', sp2 - 1);
    const size_t colon = sp1 == std::string_view::npos ? sp1 : line.rfind(':', sp1);
    if (colon == std::string_view::npos || colon == 0)
      return bad("expected \"file.go:startLine.startCol,endLine.endCol statements count\"");
    const std::string_view range = line.substr(colon + 1, sp1 - colon - 1);
    const size_t comma = range.find(',');
    Block b{};
    LineNumber c1 = LineNumber::invalid, c2 = LineNumber::invalid;
    if (comma == std::string_view::npos ||
        !parse_position(range.substr(0, comma), b.start_line, b.start_col, c1) ||
        !parse_position(range.substr(comma + 1), b.end_line, b.end_col, c2))
      return bad("malformed block range (expected startLine.startCol,endLine.endCol)");
    if (c1 != LineNumber::ok || c2 != LineNumber::ok) {
      if (c1 == LineNumber::zero || c2 == LineNumber::zero) continue; // no source line to show
      return util::unexpected(util::error_at(bytes, start + colon + 1,
                                             line_number_problem(c1 != LineNumber::ok ? c1 : c2)));
    }
    if (b.end_line < b.start_line) return bad("block ends before it starts");
    const auto statements = parse_digits(line.substr(sp1 + 1, sp2 - sp1 - 1));
    const auto count = parse_digits(line.substr(sp2 + 1));
    if (!statements || *statements > UINT32_MAX || !count)
      return bad("statement count and hit count must be numbers");
    b.statements = static_cast<uint32_t>(*statements);
    b.count = *count;
    auto [it, inserted] = index.try_emplace(std::string(line.substr(0, colon)), files.size());
    if (inserted) files.emplace_back(it->first, std::vector<Block>{});
    files[it->second].second.push_back(b);
  }

  model::CoverageReport report;
  report.format = "go";
  ExpansionBudget budget(bytes.size(), k_lines_per_byte);
  for (auto& [path, blocks] : files) {
    const auto key = [](const Block& b) {
      return std::tie(b.start_line, b.start_col, b.end_line, b.end_col);
    };
    std::stable_sort(blocks.begin(), blocks.end(),
                     [&](const Block& a, const Block& b) { return key(a) < key(b); });
    // Duplicate blocks merge: OR in set mode, sum otherwise.
    size_t out = 0;
    for (size_t i = 1; i < blocks.size(); ++i) {
      if (key(blocks[out]) == key(blocks[i])) {
        Block& into = blocks[out];
        into.count =
            set_mode ? (into.count | blocks[i].count)
                     : (into.count > UINT64_MAX - blocks[i].count ? UINT64_MAX
                                                                  : into.count + blocks[i].count);
        into.statements = std::max(into.statements, blocks[i].statements);
      } else {
        blocks[++out] = blocks[i];
      }
    }
    if (!blocks.empty()) blocks.resize(out + 1);
    model::FileCoverage file;
    file.path = path;
    for (const Block& b : blocks) {
      if (b.statements == 0) continue;
      if (!budget.take(uint64_t{b.end_line} - b.start_line + 1))
        return util::unexpected(util::ParseError{"blocks span more lines than a profile of this "
                                                 "size can describe (hostile or corrupt input)",
                                                 0, 0});
      for (uint32_t l = b.start_line; l <= b.end_line; ++l)
        file.lines.push_back({l, model::saturate_hits(b.count)});
    }
    // A line's hits are the largest count of the blocks covering it, not their sum.
    std::stable_sort(file.lines.begin(), file.lines.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    size_t kept = 0;
    for (size_t i = 0; i < file.lines.size(); ++i) {
      if (kept && file.lines[kept - 1].line == file.lines[i].line) {
        file.lines[kept - 1].hits = std::max(file.lines[kept - 1].hits, file.lines[i].hits);
      } else {
        file.lines[kept++] = file.lines[i];
      }
    }
    file.lines.resize(kept);
    report.files.push_back(std::move(file));
  }
  return report;
}

} // namespace tollgate::report
