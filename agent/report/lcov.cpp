#include "report/lcov.h"

#include "report/coverage_numbers.h"

#include <bit>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

namespace {

bool starts_record(std::string_view line) {
  return line.compare(0, 3, "SF:") == 0 || line.compare(0, 3, "DA:") == 0 ||
         line.compare(0, 5, "BRDA:") == 0;
}

} // namespace

class LcovChunkParser::Impl {
public:
  explicit Impl(size_t base_offset) : m_offset(base_offset) {}

  // Whole lines are parsed where they lie in the chunk; only a line cut by the chunk's end is
  // copied (into m_carry, at most one record long) and finished by the next chunk.
  bool feed(std::string_view chunk) {
    if (chunk.empty()) return true;
    size_t pos = 0;
    if (m_skipping || !m_carry.empty()) {
      const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
      pos = nl ? static_cast<size_t>(static_cast<const char*>(nl) - chunk.data()) + 1 : chunk.size();
      if (m_skipping) {
        m_skipping = nl == nullptr;
      } else if (!carry(chunk.substr(0, pos))) {
        return false;
      } else if (nl) {
        const bool ok = lines(m_carry, m_carry_offset);
        m_carry.clear();
        if (!ok) return false;
      }
    }
    if (pos < chunk.size()) {
      const std::string_view rest = chunk.substr(pos);
      const size_t last_nl = rest.rfind('\n');
      const size_t whole = last_nl == std::string_view::npos ? 0 : last_nl + 1;
      if (!lines(rest.substr(0, whole), m_offset + pos)) return false;
      m_carry_offset = m_offset + pos + whole;
      if (!carry(rest.substr(whole))) return false;
    }
    m_offset += chunk.size();
    return true;
  }

  bool end() {
    if (m_skipping || m_carry.empty()) return true;
    const bool ok = lines(m_carry, m_carry_offset);
    m_carry.clear();
    return ok;
  }

  // Parses whole lines (the last may lack its newline only at the end of the input); base is
  // the offset of lines[0] in the file.
  bool lines(std::string_view lines, size_t base) {
    const char* const data = lines.data();
    const size_t size = lines.size();
    size_t pos = 0;
    while (pos < size) {
      // Nine lines in ten are a plain "DA:<line>,<hits>\n": read them in one pass without memchr.
      if (const size_t next = fast_da(data, size, pos); next != 0) {
        pos = next;
        continue;
      }
      if (const size_t next = fast_brda(data, size, pos); next != 0) {
        pos = next;
        continue;
      }
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
      std::string_view line(data + pos, end - pos);
      const size_t start = base + pos;
      pos = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() < 3) continue;
      if (line.size() > k_max_lcov_record && starts_record(line))
        return fail(start, "record longer than 1 MiB");
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
      if (!ok) return false;
    }
    return true;
  }

  LcovPart take_part() {
    m_index.clear();
    m_current = k_none;
    return std::move(m_part);
  }

  size_t error_offset() const { return m_error_offset; }
  const std::string& error() const { return m_error; }

private:
  static constexpr uint32_t k_none = UINT32_MAX;

  // Appends part of a line cut by a chunk's end. A record that outgrows the limit is an error;
  // any other line that long is skipped up to its newline, unbuffered.
  bool carry(std::string_view part) {
    if (m_carry.size() + part.size() <= k_max_lcov_record + 2) {
      m_carry.append(part);
      return true;
    }
    std::string head = m_carry.substr(0, 5);
    head.append(part.substr(0, 5 - head.size()));
    if (starts_record(head)) return fail(m_carry_offset, "record longer than 1 MiB");
    m_skipping = part.empty() || part.back() != '\n';
    m_carry.clear();
    return true;
  }

  bool fail(size_t offset, std::string message) {
    m_error_offset = offset;
    m_error = std::move(message);
    return false;
  }

  // Each SF record is a segment of the part's arrays; a path met again gets its file's index.
  void on_sf(std::string_view path) {
    auto [it, inserted] = m_index.try_emplace(std::string(path), static_cast<uint32_t>(m_part.paths.size()));
    if (inserted) m_part.paths.push_back(it->first);
    m_current = it->second;
    m_part.segments.push_back({m_current, m_part.lines.size(), m_part.branches.size()});
  }

  // Reads up to 18 digits (no overflow possible); returns the position after them. Eight bytes
  // at a time where the buffer allows (SWAR: find the first non-digit, then convert the digits
  // before it in three multiplications), a byte at a time near the end.
  static size_t digits(const char* data, size_t size, size_t pos, uint64_t& value) {
    if (size - pos >= 8) {
      uint64_t v = 0;
      std::memcpy(&v, data + pos, 8);
      if constexpr (std::endian::native == std::endian::little) {
        // A byte is a digit iff its high nibble is 3 and adding 6 keeps it 3. A carry out of a
        // non-ASCII byte can only disturb later bytes, never the first non-digit.
        const uint64_t high = (v & 0xF0F0F0F0F0F0F0F0u) ^ 0x3030303030303030u;
        const uint64_t plus6 = ((v + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) ^ 0x3030303030303030u;
        const uint64_t non_digit = high | plus6;
        if (non_digit != 0) {
          const int n = std::countr_zero(non_digit) / 8; // digits before the first non-digit
          if (n == 0) {
            value = 0;
            return pos;
          }
          v = (v & 0x0F0F0F0F0F0F0F0Fu) << (8 * (8 - n)); // leading zeros fill the top
          v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFu;
          v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFu;
          value = (v * 10000 + (v >> 32)) & 0xFFFFFFFFu;
          return pos + static_cast<size_t>(n);
        }
      }
    }
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
    m_part.lines.push_back({static_cast<uint32_t>(line), model::saturate_hits(hits)});
    return p + 1;
  }

  // "BRDA:<line>,<block>,<branch>,<taken or ->\n" with plain numbers (what gcov, c8 and
  // coverage.py write): appended, and the next line's offset returned; 0 sends anything else
  // (lcov 2's e-blocks and expressions, CR LF, errors) to on_brda.
  size_t fast_brda(const char* data, size_t size, size_t pos) {
    if (m_current == k_none || size - pos < 13 || std::memcmp(data + pos, "BRDA:", 5) != 0) return 0;
    uint64_t n[3] = {};
    size_t p = pos + 5;
    for (uint64_t& value : n) {
      const size_t start = p;
      p = digits(data, size, p, value);
      if (p == start || p >= size || data[p] != ',') return 0;
      ++p;
    }
    if (n[0] == 0 || n[0] > model::k_max_line || n[1] >= model::k_first_reserved_block || n[2] > UINT32_MAX) return 0;
    uint64_t taken = 0;
    if (p < size && data[p] == '-') {
      ++p;
    } else {
      const size_t start = p;
      p = digits(data, size, p, taken);
      if (p == start) return 0;
    }
    if (p < size && data[p] != '\n') return 0;
    m_part.branches.push_back(
        {static_cast<uint32_t>(n[0]), static_cast<uint32_t>(n[1]), static_cast<uint32_t>(n[2]),
         model::saturate_hits(taken)});
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
    m_part.lines.push_back({line, model::saturate_hits(*hits)});
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
    // Istanbul's LCOV writer joins a null counter as nothing ("BRDA:6,0,0,"); lcov 1.16 reads no
    // branch from such a line (its BRDA pattern needs a number or '-'), and neither does this.
    if (taken_text.empty()) return true;
    uint64_t taken = 0;
    if (taken_text != "-") {
      const auto t = parse_hit_count(taken_text);
      if (!t) return fail(offset + c3 + 1, "BRDA taken is neither a number nor '-'");
      taken = *t;
    }
    // lcov 2.x writes BRDA block numbers as "e3" for exception branches and may write an
    // expression as the branch name; both become stable ids (branch_id) so the same branch merges.
    m_part.branches.push_back({line, named_block_id(rest.substr(c1 + 1, c2 - c1 - 1)),
                               branch_id(rest.substr(c2 + 1, c3 - c2 - 1)), model::saturate_hits(taken)});
    return true;
  }

  LcovPart m_part;
  std::unordered_map<std::string, uint32_t> m_index; // SF path → file, so repeated records sum
  uint32_t m_current = k_none;
  size_t m_offset;       // of the next chunk in the file
  std::string m_carry;   // the start of a line the last chunk cut
  size_t m_carry_offset = 0;
  bool m_skipping = false; // inside an over-long line that is not a record
  size_t m_error_offset = 0;
  std::string m_error;
};

LcovChunkParser::LcovChunkParser(size_t base_offset)
    : m_impl(std::make_unique<Impl>(base_offset)) {}
LcovChunkParser::~LcovChunkParser() = default;
LcovChunkParser::LcovChunkParser(LcovChunkParser&&) noexcept = default;
LcovChunkParser& LcovChunkParser::operator=(LcovChunkParser&&) noexcept = default;

bool LcovChunkParser::feed(std::string_view chunk) {
  return m_impl->feed(chunk);
}
bool LcovChunkParser::end() {
  return m_impl->end();
}
LcovPart LcovChunkParser::take_part() {
  return m_impl->take_part();
}
model::CoverageReport LcovChunkParser::take() {
  std::vector<LcovPart> parts;
  parts.push_back(m_impl->take_part());
  return assemble_lcov(parts);
}
size_t LcovChunkParser::error_offset() const {
  return m_impl->error_offset();
}
const std::string& LcovChunkParser::error() const {
  return m_impl->error();
}

size_t lcov_record_boundary(std::string_view window) {
  static constexpr std::string_view k_end = "\nend_of_record";
  for (size_t at = window.find(k_end); at != std::string_view::npos;
       at = window.find(k_end, at + 1)) {
    size_t after = at + k_end.size();
    if (after < window.size() && window[after] == '\r') ++after;
    if (after < window.size() && window[after] == '\n') return after + 1;
  }
  return std::string_view::npos;
}

util::Expected<model::CoverageReport, util::ParseError> parse_lcov(std::string_view bytes) {
  LcovChunkParser parser;
  if (!parser.feed(bytes) || !parser.end())
    return util::unexpected(util::error_at(bytes, parser.error_offset(), parser.error()));
  return parser.take();
}

} // namespace tollgate::report
