#include "report/lcov.h"

#include "report/coverage_numbers.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

namespace {

// lcov 2.x writes BRDA block numbers as "e3" for exception branches and may write an expression
// as the branch name; both become a stable 32-bit id (FNV-1a) so the same branch merges.
uint32_t id_of(std::string_view text) {
  if (const auto n = parse_digits(text); n && *n <= UINT32_MAX) return static_cast<uint32_t>(*n);
  uint32_t h = 2166136261u;
  for (const unsigned char c : text)
    h = (h ^ c) * 16777619u;
  return h | 0x80000000u; // keeps hashed ids apart from small numeric ones
}

class LcovParser {
public:
  explicit LcovParser(std::string_view bytes) : m_bytes(bytes) {}

  util::Expected<model::CoverageReport, util::ParseError> run() {
    const char* const data = m_bytes.data();
    const size_t size = m_bytes.size();
    size_t pos = 0;
    while (pos < size) {
      // Nine lines in ten are a plain "DA:<line>,<hits>": read them in one pass without memchr.
      if (const size_t next = fast_da(data, size, pos); next != 0) {
        pos = next;
        continue;
      }
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
      std::string_view line(data + pos, end - pos);
      const size_t start = pos;
      pos = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() < 3) continue;
      bool ok = true;
      if (line[0] == 'D' && line[1] == 'A' && line[2] == ':') {
        ok = on_da(line.substr(3), start + 3);
      } else if (line.compare(0, 5, "BRDA:") == 0) {
        ok = on_brda(line.substr(5), start + 5);
      } else if (line.compare(0, 3, "SF:") == 0) {
        on_sf(line.substr(3));
      } else if (line == "end_of_record") {
        m_current = k_none;
      }
      if (!ok) return util::unexpected(util::error_at(m_bytes, m_error_offset, m_error));
    }
    for (auto& f : m_report.files)
      f.normalize();
    m_report.format = "lcov";
    return std::move(m_report);
  }

private:
  static constexpr size_t k_none = SIZE_MAX;

  bool fail(size_t offset, std::string message) {
    m_error_offset = offset;
    m_error = std::move(message);
    return false;
  }

  void on_sf(std::string_view path) {
    auto [it, inserted] = m_index.try_emplace(std::string(path), m_report.files.size());
    if (inserted) {
      m_report.files.emplace_back();
      m_report.files.back().path = it->first;
    }
    m_current = it->second;
    m_lines = &m_report.files[m_current].lines; // files only grow in on_sf, so this stays valid
  }

  // Reads up to 18 digits (no overflow possible); returns the position after them.
  static size_t digits(const char* data, size_t size, size_t pos, uint64_t& value) {
    const size_t start = pos;
    value = 0;
    while (pos < size && pos - start < 18 && static_cast<unsigned char>(data[pos] - '0') < 10)
      value = value * 10 + static_cast<uint64_t>(data[pos++] - '0');
    return pos;
  }

  // "DA:<1..k_max_line>,<hits>\n" inside a file record: appended, and the next line's offset
  // returned. 0 for anything else (checksums, CR LF, signs, errors), which the general path reads.
  size_t fast_da(const char* data, size_t size, size_t pos) {
    if (m_current == k_none || size - pos < 6 || data[pos] != 'D' || data[pos + 1] != 'A' ||
        data[pos + 2] != ':')
      return 0;
    uint64_t line = 0, hits = 0;
    size_t p = digits(data, size, pos + 3, line);
    if (p == pos + 3 || p >= size || data[p] != ',' || line == 0 || line > model::k_max_line)
      return 0;
    const size_t h = p + 1;
    p = digits(data, size, h, hits);
    if (p == h || (p < size && data[p] != '\n')) return 0;
    m_lines->push_back({static_cast<uint32_t>(line), model::saturate_hits(hits)});
    return p + 1;
  }

  bool on_da(std::string_view rest, size_t offset) {
    if (m_current == k_none)
      return fail(offset - 3, "DA record outside a file record (no SF: before it)");
    const size_t comma = rest.find(',');
    if (comma == std::string_view::npos) return fail(offset, "DA record needs <line>,<hits>");
    uint32_t line = 0;
    const LineNumber check = check_line(rest.substr(0, comma), line);
    if (check == LineNumber::zero) return true;
    if (check != LineNumber::ok) return fail(offset, line_number_problem(check));
    std::string_view hits_text = rest.substr(comma + 1);
    const size_t checksum = hits_text.find(',');
    if (checksum != std::string_view::npos) hits_text = hits_text.substr(0, checksum);
    const auto hits = parse_hit_count(hits_text);
    if (!hits) return fail(offset + comma + 1, "DA hit count is not a number");
    m_report.files[m_current].lines.push_back({line, model::saturate_hits(*hits)});
    return true;
  }

  // BRDA:<line>,<block>,<branch>,<taken>; the branch may be an expression with commas (lcov 2),
  // so line and block are read from the left and taken from the right.
  bool on_brda(std::string_view rest, size_t offset) {
    if (m_current == k_none)
      return fail(offset - 5, "BRDA record outside a file record (no SF: before it)");
    const size_t c1 = rest.find(',');
    const size_t c2 = c1 == std::string_view::npos ? c1 : rest.find(',', c1 + 1);
    const size_t c3 = rest.rfind(',');
    if (c2 == std::string_view::npos || c3 <= c2)
      return fail(offset, "BRDA record needs <line>,<block>,<branch>,<taken>");
    uint32_t line = 0;
    const LineNumber check = check_line(rest.substr(0, c1), line);
    if (check == LineNumber::zero) return true;
    if (check != LineNumber::ok) return fail(offset, line_number_problem(check));
    const std::string_view taken_text = rest.substr(c3 + 1);
    uint64_t taken = 0;
    if (taken_text != "-") {
      const auto t = parse_hit_count(taken_text);
      if (!t) return fail(offset + c3 + 1, "BRDA taken is neither a number nor '-'");
      taken = *t;
    }
    m_report.files[m_current].branches.push_back({line, id_of(rest.substr(c1 + 1, c2 - c1 - 1)),
                                                  id_of(rest.substr(c2 + 1, c3 - c2 - 1)),
                                                  model::saturate_hits(taken)});
    return true;
  }

  std::string_view m_bytes;
  model::CoverageReport m_report;
  std::unordered_map<std::string, size_t> m_index; // SF path → file, so repeated records sum
  size_t m_current = k_none;
  std::vector<model::LineHits>* m_lines = nullptr; // the current file's lines
  size_t m_error_offset = 0;
  std::string m_error;
};

} // namespace

util::Expected<model::CoverageReport, util::ParseError> parse_lcov(std::string_view bytes) {
  return LcovParser(bytes).run();
}

} // namespace tollgate::report
