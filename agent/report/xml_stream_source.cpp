#include "report/xml_stream.h"

#include <cstring>
#include <memory>
#include <vector>

// The parts of the streaming XML reader that stand apart from its windows: sources, the
// encoding check, error positions, and pugixml's DOCTYPE grammar.
namespace tollgate::report {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool in_name(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (c >= '0' && c <= '9') || c == '-' || c == '.';
}
constexpr size_t k_read_bytes = size_t{1} << 20;

} // namespace

// pugixml's parse_doctype_group over buf from at ('<' of "<!DOCTYPE"): the offset after its
// '>', or npos when the bytes end first or pugixml would reject it there (the window then holds
// everything up to that point, and pugixml reports it). *stop says where scanning stopped.
size_t xml_doctype_end(std::string_view buf, size_t at, size_t* stop) {
  const auto c = [&](size_t i) { return i < buf.size() ? buf[i] : '\0'; };
  size_t s = at + 2, depth = 0;
  const auto scan_for = [&](std::string_view end) {
    const size_t found = buf.find(end, s);
    if (found == std::string_view::npos) return false;
    s = found + end.size();
    return true;
  };
  while (s < buf.size()) {
    if (c(s) == '<' && c(s + 1) == '!' && c(s + 2) != '-') {
      if (c(s + 2) == '[') { // ignore section, nested
        s += 3;
        size_t nested = 0;
        for (;;) {
          if (s >= buf.size()) {
            *stop = s;
            return std::string_view::npos;
          }
          if (c(s) == '<' && c(s + 1) == '!' && c(s + 2) == '[') {
            s += 3;
            ++nested;
          } else if (c(s) == ']' && c(s + 1) == ']' && c(s + 2) == '>') {
            s += 3;
            if (nested == 0) break;
            --nested;
          } else {
            ++s;
          }
        }
      } else {
        s += 2;
        ++depth;
      }
    } else if (c(s) == '"' || c(s) == '\'') {
      const char quote[2] = {c(s), '\0'};
      ++s;
      if (!scan_for(quote)) break;
    } else if (c(s) == '<' && c(s + 1) == '?') {
      s += 2;
      if (!scan_for("?>")) break;
    } else if (c(s) == '<' && c(s + 1) == '!' && c(s + 2) == '-' && c(s + 3) == '-') {
      s += 4;
      if (!scan_for("-->")) break;
    } else if (c(s) == '<') {
      *stop = s + 1; // pugixml: a tag inside a DOCTYPE is an error here
      return std::string_view::npos;
    } else if (c(s) == '>') {
      if (depth == 0) return s + 1;
      --depth;
      ++s;
    } else {
      ++s;
    }
  }
  *stop = buf.size();
  return std::string_view::npos;
}

XmlSource memory_source(std::string_view bytes) {
  XmlSource source;
  source.size = bytes.size();
  source.read_at = [bytes](char* into, size_t n, size_t offset) -> long {
    if (offset >= bytes.size()) return 0;
    n = std::min(n, bytes.size() - offset);
    std::memcpy(into, bytes.data() + offset, n);
    return static_cast<long>(n);
  };
  return source;
}

bool streams_as_utf8(const XmlSource& source) {
  char head[4096];
  const long n = source.read_at(head, sizeof head, 0);
  if (n < 4) return true; // pugixml reads fewer than 4 bytes as UTF-8
  const auto b = [&](int i) { return static_cast<unsigned char>(head[i]); };
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return true;
  // BOMs and '<' of UTF-16 and UTF-32 (pugixml's guess_buffer_encoding).
  if (b(0) == 0 || b(1) == 0 || (b(0) == 0xFF && b(1) == 0xFE) || (b(0) == 0xFE && b(1) == 0xFF))
    return false;
  const std::string_view text(head, static_cast<size_t>(n));
  if (!text.starts_with("<?xml") || text.size() < 6 || !is_space(text[5])) return true;
  // pugixml reads the declaration's encoding up to the first '?': Latin-1 is converted.
  for (size_t i = 6; i + 1 < text.size(); ++i) {
    if (text[i] == '?') return true;
    if (text[i] != 'e' || text[i + 1] != 'n') continue;
    size_t at = i;
    const auto skip_space = [&] {
      while (at < text.size() && is_space(text[at]))
        ++at;
    };
    if (text.substr(at, 8) != "encoding") return true;
    at += 8;
    skip_space();
    if (at >= text.size() || text[at] != '=') return true;
    ++at;
    skip_space();
    if (at >= text.size()) return false;
    const char quote = text[at] == '"' ? '"' : '\'';
    if (text[at] != quote) return true;
    size_t end = ++at;
    while (end < text.size() && in_name(static_cast<unsigned char>(text[end])))
      ++end;
    std::string name(text.substr(at, end - at));
    for (char& c : name)
      c = static_cast<char>(c | ' ');
    return name != "latin1" && name != "iso-8859-1" && end < text.size();
  }
  return static_cast<size_t>(n) < sizeof head;
}

util::ParseError locate(const XmlSource& source, const XmlError& error) {
  if (!error.located) return util::ParseError{error.message, 0, 0};
  size_t line = 1, line_start = 0, at = 0;
  const size_t offset = std::min(error.offset, source.size);
  // Only as large as what precedes the error, and not zeroed: most errors are in small inputs,
  // and a fresh 1 MiB per error was most of the time of reading many broken ones.
  const size_t capacity = std::min(k_read_bytes, std::max<size_t>(offset, 1));
  const std::unique_ptr<char[]> buffer(new char[capacity]);
  while (at < offset) {
    const long n = source.read_at(buffer.get(), std::min(capacity, offset - at), at);
    if (n <= 0) break;
    for (long i = 0; i < n; ++i)
      if (buffer[static_cast<size_t>(i)] == '\n') {
        ++line;
        line_start = at + static_cast<size_t>(i) + 1;
      }
    at += static_cast<size_t>(n);
  }
  return util::ParseError{error.message, line, offset - line_start + 1};
}

} // namespace tollgate::report
