#include "report/sarif_stream.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "report/sarif_limits.h"
#include "util/text.h"

namespace tollgate::report {

SarifChunkStream::SarifChunkStream(const ChunkSource& source) : m_source(source) {
  m_buffer.resize(k_sarif_chunk_bytes);
}

void SarifChunkStream::skip_more_blanks() {
  do {
    while (m_pos != m_end && util::is_json_blank(m_buffer[m_pos])) ++m_pos;
  } while (m_pos == m_end && refill());
}

bool SarifChunkStream::refill() {
  if (m_eof) return false;
  // Remember where lines start before this chunk is dropped.
  const std::string_view done(m_buffer.data(), m_end);
  const size_t newlines = util::count_byte(done, '\n');
  if (newlines > 0) {
    m_lines_before += newlines;
    m_line_start_before = m_chunk_offset + done.rfind('\n') + 1;
  }
  m_chunk_offset += m_end;
  m_pos = m_end = 0;
  const long n = m_source(m_buffer.data(), m_buffer.size());
  if (n < 0) m_read_failed = true;
  if (n <= 0) {
    m_eof = true;
    m_utf8.end();
    return false;
  }
  m_end = static_cast<size_t>(n);
  if (m_check_utf8) m_utf8.add({m_buffer.data(), m_end});
  return true;
}

std::string_view SarifChunkStream::plain_run() const {
  const std::string_view unread(m_buffer.data() + m_pos, m_end - m_pos);
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time, as RapidJSON's own SSE2 path does for a whole string in memory
  // (a byte below 0x20 is one whose maximum with 0x1F is 0x1F).
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= unread.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(unread.data() + i));
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                      _mm_cmpeq_epi8(_mm_max_epu8(bytes, control), control));
    if (const int mask = _mm_movemask_epi8(stop)) return unread.substr(0, i + static_cast<size_t>(__builtin_ctz(mask)));
  }
#endif
  for (; i < unread.size(); ++i) {
    const auto c = static_cast<unsigned char>(unread[i]);
    if (c == '"' || c == '\\' || c < 0x20) break;
  }
  return unread.substr(0, i);
}

bool SarifChunkStream::skip_preamble(size_t& lines, std::string& first) {
  lines = 0;
  if (Peek() == '\xEF' && m_end - m_pos >= 3 && m_buffer.compare(m_pos, 3, "\xEF\xBB\xBF") == 0) m_pos += 3;
  for (;;) {
    // An empty file is left to the JSON reader to word; text without JSON is refused.
    if (m_pos == m_end && !refill()) return lines == 0;
    // At the start of a line: blanks, then '{' starts the JSON.
    size_t probe = m_pos;
    while (probe < m_end && (m_buffer[probe] == ' ' || m_buffer[probe] == '\t' || m_buffer[probe] == '\r')) ++probe;
    if (probe < m_end && m_buffer[probe] == '{') return true;
    if (probe == m_end) {
      m_pos = probe; // blanks up to the end of the chunk: look on in the next one
      continue;
    }
    // Not JSON: this line is skipped whole (it may span chunks), within the limit.
    std::string line;
    for (;;) {
      if (Tell() > k_sarif_max_preamble_bytes) return false;
      if (m_pos == m_end && !refill()) return false;
      const char c = m_buffer[m_pos++];
      if (c == '\n') break;
      if (line.size() < 200) line.push_back(c);
    }
    const std::string_view text = util::trim(line);
    if (text.empty()) continue;
    if (lines++ == 0) first = util::sanitize_utf8(text);
  }
}

util::ParseError SarifChunkStream::error_at(size_t offset, std::string message) const {
  size_t line = m_lines_before + 1;
  size_t line_start = m_line_start_before;
  if (offset > m_chunk_offset) {
    const size_t upto = std::min(offset - m_chunk_offset, m_end);
    for (size_t i = 0; i < upto; ++i) {
      if (m_buffer[i] == '\n') {
        ++line;
        line_start = m_chunk_offset + i + 1;
      }
    }
  }
  const size_t column = offset >= line_start ? offset - line_start + 1 : 1;
  return util::ParseError{std::move(message), line, column};
}

} // namespace tollgate::report
