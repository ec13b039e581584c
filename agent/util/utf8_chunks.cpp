#include "util/utf8_chunks.h"

#include "util/text.h"

#include <algorithm>

namespace tollgate::util {

namespace {

// The length of the UTF-8 sequence a byte starts; 0 for a byte that starts none.
size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

} // namespace

void Utf8Chunks::add(std::string_view chunk) {
  if (m_invalid) return;
  if (!m_carry.empty()) {
    // Complete the sequence the last chunk ended in, then check it whole.
    const size_t need = sequence_length(static_cast<unsigned char>(m_carry[0]));
    const size_t take = std::min(need - m_carry.size(), chunk.size());
    m_carry.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    if (m_carry.size() < need) return; // a chunk of a byte or two: still inside the sequence
    if (first_invalid_utf8(m_carry) != std::string_view::npos) {
      m_invalid = true;
      return;
    }
    m_carry.clear();
  }
  const size_t bad = first_invalid_utf8(chunk);
  if (bad == std::string_view::npos) return;
  // Invalid, or the start of a sequence the chunk's end cut: carried into the next chunk.
  const std::string_view tail = chunk.substr(bad);
  const size_t need = sequence_length(static_cast<unsigned char>(tail[0]));
  if (need > 1 && tail.size() < need &&
      std::all_of(tail.begin() + 1, tail.end(),
                  [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; })) {
    m_carry.assign(tail);
    return;
  }
  m_invalid = true;
}

} // namespace tollgate::util
