#pragma once
// UTF-8 checked over text that arrives in chunks (the streaming JSON readers).
#include <string>
#include <string_view>

namespace tollgate::util {

// first_invalid_utf8 over text that arrives in chunks: a sequence cut by a chunk's end is
// completed from the next chunk. A streaming JSON reader checks each chunk as it reads it and
// parses without RapidJSON's byte-by-byte validation of every string.
class Utf8Chunks {
public:
  void add(std::string_view chunk);
  // The text has ended: a sequence still open is invalid.
  void end() { m_invalid = m_invalid || !m_carry.empty(); }
  bool invalid() const { return m_invalid; }

private:
  bool m_invalid = false;
  std::string m_carry; // the start of a sequence the last chunk ended in (at most 3 bytes)
};

} // namespace tollgate::util
