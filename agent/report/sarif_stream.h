#pragma once
// A RapidJSON input stream over a ChunkSource: one chunk in memory at a time, with the line and
// column of any offset it has passed (for errors), and the non-JSON lines some tools print before
// their JSON skipped first. Internal to the SARIF reader.
#include <cstddef>
#include <string>
#include <string_view>

#include "report/sarif.h"
#include "util/json.h"
#include "util/utf8_chunks.h"

namespace tollgate::report {

class SarifChunkStream {
public:
  using Ch = char;

  explicit SarifChunkStream(const ChunkSource& source);

  // Forced inline, as JsonInput's (report/json_events.h): GCC otherwise calls them for every byte.
  [[gnu::always_inline]] Ch Peek() {
    if (m_pos == m_end && !refill()) return '\0';
    return m_buffer[m_pos];
  }
  [[gnu::always_inline]] Ch Take() {
    if (m_pos == m_end && !refill()) return '\0';
    return m_buffer[m_pos++];
  }
  // JSON's white space skipped a chunk at a time (RapidJSON's SkipWhitespace for this stream).
  [[gnu::always_inline]] void skip_blanks() {
    if (m_pos != m_end && !util::is_json_blank(m_buffer[m_pos])) return;
    skip_more_blanks();
  }
  size_t Tell() const { return m_chunk_offset + m_pos; }

  // The unread bytes of the current chunk up to the first that ends a plain run of string
  // characters (a quote, a backslash or a control character): RapidJSON's string fast path copies
  // them at once (report/sarif_reader.cpp), then skips them here.
  std::string_view plain_run() const;
  void skip(size_t bytes) { m_pos += bytes; }
  // Output side: unused (the reader does not parse in situ).
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

  // Skips a UTF-8 byte order mark, and whole lines before the first line whose first non-blank
  // character is '{', within k_sarif_max_preamble_bytes. Returns the lines skipped; `first` gets
  // the first of them. false when no such line starts within the limit.
  bool skip_preamble(size_t& lines, std::string& first);

  // 1-based line and column of an offset this stream has reached (the current chunk or earlier).
  util::ParseError error_at(size_t offset, std::string message) const;

  bool read_failed() const { return m_read_failed; }

  // With check_utf8, each chunk is checked as it is read (util::first_invalid_utf8, eight ASCII
  // bytes at a time, a sequence cut by the chunk's end completed from the next): the reader then
  // parses without RapidJSON's byte-by-byte validation of every string, and reads again with it
  // when this says a byte anywhere in the input was not UTF-8 (report/sarif_reader.cpp).
  void check_utf8() { m_check_utf8 = true; }
  bool saw_invalid_utf8() const { return m_utf8.invalid(); }

private:
  void skip_more_blanks();
  bool refill();

  const ChunkSource& m_source;
  std::string m_buffer;
  size_t m_pos = 0, m_end = 0;
  size_t m_chunk_offset = 0;      // file offset of m_buffer[0]
  size_t m_lines_before = 0;      // newlines before the chunk
  size_t m_line_start_before = 0; // file offset just after the last newline before the chunk
  bool m_eof = false;
  bool m_read_failed = false;
  bool m_check_utf8 = false;
  util::Utf8Chunks m_utf8;
};

// Found by RapidJSON's reader (argument-dependent lookup) before its own template.
[[gnu::always_inline]] inline void SkipWhitespace(SarifChunkStream& stream) { stream.skip_blanks(); }

} // namespace tollgate::report
