#include "util/text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace tollgate::util {

namespace {

constexpr std::string_view k_zero_width_space = "\xE2\x80\x8B";

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return c == 0 ? 0 : 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

// The first byte that is not valid UTF-8 (below).
size_t first_invalid(std::string_view text, bool controls_invalid, bool nul_invalid = false);

} // namespace

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view text, size_t i, std::string_view prefix) {
  if (i + prefix.size() > text.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k)
    if (lower(text[i + k]) != prefix[k]) return false;
  return true;
}

// Where GitHub would turn text into a live reference or link, the zero-width space that breaks
// it goes after text[i]: @user and #123 (after the sign), GH-123 (after "GH"), "://" of any
// URL including https://github.com/o/r/issues/1 and /pull/1 (after the colon), and www. (after
// "www") — so no one is pinged, no issue is cross-linked and no autolink is made
// (https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/autolinked-references-and-urls).
bool breaks_reference_after(std::string_view text, size_t i) {
  const char c = text[i];
  if ((c == '@' || c == '#') && i + 1 < text.size() && is_word_char(text[i + 1])) return true;
  if (lower(c) == 'h' && i > 0 && lower(text[i - 1]) == 'g' && !(i > 1 && is_word_char(text[i - 2])) &&
      i + 2 < text.size() && text[i + 1] == '-' && is_digit(text[i + 2]))
    return true;
  if (c == ':' && i + 2 < text.size() && text[i + 1] == '/' && text[i + 2] == '/') return true;
  if (lower(c) == 'w' && i >= 2 && starts_with_nocase(text, i - 2, "www.") &&
      !(i > 2 && is_word_char(text[i - 3])))
    return true;
  return false;
}

} // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    // A line break could end the HTML block (a blank line does) and let what follows open a
    // fence or a heading: the text stays on its line.
    case '\r':
      if (i + 1 >= text.size() || text[i + 1] != '\n') out.push_back(' ');
      break;
    case '\n': out.push_back(' '); break;
    // Everything Markdown would act on, as entities: the text renders literally whether the
    // context is an HTML block, inline HTML whose content Markdown still parses, or a table
    // cell ('|' would split it).
    case '[': out += "&#91;"; break;
    case ']': out += "&#93;"; break;
    case '`': out += "&#96;"; break;
    case '*': out += "&#42;"; break;
    case '_':
      // Between two letters or digits it emphasises nothing (CommonMark's flanking rules), and
      // test_names_like_this stay searchable.
      if (i > 0 && i + 1 < text.size() && is_word_char(text[i - 1]) && is_word_char(text[i + 1])) out.push_back('_');
      else out += "&#95;";
      break;
    case '~': out += "&#126;"; break;
    case '|': out += "&#124;"; break;
    case '\\': out += "&#92;"; break;
    case '!': out += "&#33;"; break;
    default: out.push_back(c);
    }
    if (breaks_reference_after(text, i)) out += k_zero_width_space;
  }
  return out;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool line_start = true; // only white space so far: a block marker here would open a block
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (line_start && (c == ' ' || c == '\t')) {
      out += "&#32;"; // never indentation (an indented code block)
      continue;
    }
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '\r':
      if (i + 1 >= text.size() || text[i + 1] != '\n') out.push_back(' ');
      break;
    case '\n': out.push_back(' '); break;
    case '\\': case '`': case '*': case '_': case '{': case '}': case '[': case ']': case '(':
    case ')': case '!': case '|': case '~': case '"': case '#':
      out.push_back('\\');
      out.push_back(c);
      break;
    case '-': case '+': case '=':
      if (line_start) out.push_back('\\'); // a list item, a thematic break, a setext heading
      out.push_back(c);
      break;
    case '.':
      // "1. x" would be an ordered list
      if (i > 0 && is_digit(text[i - 1]) && text.find_first_not_of("0123456789 \t") >= i) out.push_back('\\');
      out.push_back(c);
      break;
    default: out.push_back(c);
    }
    line_start = false;
    if (breaks_reference_after(text, i)) out += k_zero_width_space;
  }
  return out;
}

std::string escape_table_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const auto line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (start > 0) out += "<br>";
    out += escape_markdown(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string code_span(std::string_view text) {
  std::string body = sanitize_utf8(text);
  size_t longest = 0, run = 0;
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' ||
                                     (body.front() == ' ' && body.back() == ' '));
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string code_block(std::string_view text, std::string_view language) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string body;
  body.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    body.push_back(text[i]);
    if (text[i] == '@' && i + 1 < text.size() && is_word_char(text[i + 1])) body += k_zero_width_space;
  }
  std::string out = fence;
  out += language;
  out += '\n';
  out += body;
  if (!body.empty() && body.back() != '\n') out += '\n';
  out += fence;
  out += '\n';
  return out;
}

std::string sanitize_utf8(std::string_view text) {
  // Valid text (nearly all of it) is copied whole; the bytes before the first invalid one too.
  const size_t bad = first_invalid(text, false, true);
  if (bad == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 2);
  out.append(text.substr(0, bad));
  for (size_t i = bad; i < text.size();) {
    const size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

namespace {

// The first byte that is not valid UTF-8 or, with controls_invalid, a control character other
// than tab, line feed and carriage return. Runs of plain ASCII go eight bytes at a time.
// With nul_invalid, a NUL byte counts as invalid too (sanitize_utf8 replaces it).
size_t first_invalid(std::string_view text, bool controls_invalid, bool nul_invalid) {
  size_t i = 0;
  while (i < text.size()) {
    if (text.size() - i >= 8) {
      uint64_t block = 0;
      std::memcpy(&block, text.data() + i, 8);
      // No high bit; with controls_invalid, no byte below 0x20 either, and with nul_invalid no
      // zero byte (the "has less than" trick).
      const uint64_t below = controls_invalid ? (block - 0x2020202020202020u) & ~block
                             : nul_invalid    ? (block - 0x0101010101010101u) & ~block
                                              : 0;
      if (((block | below) & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (controls_invalid && c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
      if (nul_invalid && c == 0) return i;
      ++i;
      continue;
    }
    const size_t n = utf8_sequence_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

} // namespace

size_t count_byte(std::string_view text, char byte) {
  constexpr size_t k_lanes = 16;
  constexpr size_t k_rounds = 255; // a lane counts at most 255 before it is added up
  size_t total = 0;
  const char* p = text.data();
  size_t left = text.size();
  while (left >= k_lanes * k_rounds) {
    uint8_t lanes[k_lanes] = {};
    for (size_t r = 0; r < k_rounds; ++r, p += k_lanes)
      for (size_t k = 0; k < k_lanes; ++k) lanes[k] = static_cast<uint8_t>(lanes[k] + (p[k] == byte));
    for (const uint8_t n : lanes) total += n;
    left -= k_lanes * k_rounds;
  }
  return total + static_cast<size_t>(std::count(p, p + left, byte));
}

size_t first_invalid_utf8(std::string_view text) {
  return first_invalid(text, false);
}

bool is_clean_utf8(std::string_view text) {
  return first_invalid(text, false, true) == std::string_view::npos;
}

size_t first_invalid_json_text(std::string_view text) {
  return first_invalid(text, true);
}

std::string describe_invalid_json_text(std::string_view text, size_t offset) {
  if (offset < text.size() && static_cast<unsigned char>(text[offset]) < 0x20)
    return fmt::format("control character 0x{:02X} in JSON text", static_cast<unsigned char>(text[offset]));
  return "invalid UTF-8";
}

std::string truncate_utf8(std::string_view text, size_t max_bytes, std::string_view suffix) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes > suffix.size() ? max_bytes - suffix.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  if (suffix.size() <= max_bytes) out += suffix;
  return out;
}

size_t utf8_length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string truncate_chars(std::string_view text, size_t max_chars, std::string_view suffix) {
  if (utf8_length(text) <= max_chars) return std::string(text);
  const size_t keep = max_chars > utf8_length(suffix) ? max_chars - utf8_length(suffix) : 0;
  size_t chars = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == keep) break;
      ++chars;
    }
  }
  return std::string(text.substr(0, i)) + std::string(suffix);
}

std::string_view trim(std::string_view text) {
  // Loops, not find_first_not_of: libstdc++ calls memchr over the character set once per
  // character (a trim of each of 15 million test times was 6% of a 1 GB JUnit run).
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t first = 0, last = text.size();
  while (first < last && blank(text[first])) ++first;
  while (last > first && blank(text[last - 1])) --last;
  return text.substr(first, last - first);
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace tollgate::util

#include <openssl/evp.h>

namespace tollgate::util {

std::string url_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 15]);
    }
  }
  return out;
}

namespace {

// SHA-256 looked up once: with EVP_sha256(), OpenSSL 3 looks its implementation up again at every
// digest (120,000 context hashes of the SARIF bench log: 60 ms that way, 25 ms this way). Kept for
// the life of the process; fetched objects may be used from any thread.
const EVP_MD* sha256() {
  static const EVP_MD* const s_md = [] {
    const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md != nullptr ? md : EVP_sha256();
  }();
  return s_md;
}

} // namespace

std::string short_hash(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 8 && i < length; ++i) {
    out.push_back(k_hex[digest[i] >> 4]);
    out.push_back(k_hex[digest[i] & 15]);
  }
  return out;
}

} // namespace tollgate::util
