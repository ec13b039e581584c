#include "runner/log_stream.h"

#include <iostream>

namespace tollgate::runner {

namespace {

// One white-space character as .NET's Char.IsWhiteSpace sees it, in UTF-8: its length, or 0.
size_t whitespace_at(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  if ((c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20)) return 1;
  if (c == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2; // U+0085, U+00A0
  if (c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;    // U+1680
  if (c == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8A && b(2) >= 0x80)) return 3; // U+2000..U+200A
  if (c == 0xE2 && b(1) == 0x80 && (b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF)) return 3; // U+2028/9, U+202F
  if (c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;    // U+205F
  if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;    // U+3000
  return 0;
}

SafeLogBuf* adopt(std::ostream& stream, std::unique_ptr<SafeLogBuf>& owned) {
  if (auto* existing = dynamic_cast<SafeLogBuf*>(stream.rdbuf())) return existing;
  owned = std::make_unique<SafeLogBuf>(stream.rdbuf());
  return owned.get();
}

} // namespace

size_t runner_whitespace_prefix(std::string_view line) {
  size_t i = 0;
  while (const size_t n = whitespace_at(line, i)) i += n;
  return i;
}

bool may_start_command(std::string_view line) {
  return line.substr(runner_whitespace_prefix(line)).starts_with("::") || line.find("##[") != std::string_view::npos;
}

std::string show_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out.push_back('^');
      out.push_back(static_cast<char>(c + 0x40));
    } else if (c == 0x7F) {
      out += "^?";
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += "\xEF\xBF\xBD"; // U+FFFD for a C1 control
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string neutralise_line(std::string_view raw) {
  const std::string shown = show_controls(raw);
  const std::string_view line = shown;
  std::string out;
  out.reserve(line.size() + 2);
  const size_t lead = runner_whitespace_prefix(line);
  const bool v2 = line.substr(lead).starts_with("::");
  for (size_t i = 0; i < line.size(); ++i) {
    if (v2 && i == lead) out.push_back('\\');
    if (line[i] == '[' && out.ends_with("##")) out.insert(out.size() - 1, 1, '\\');
    out.push_back(line[i]);
  }
  return out;
}

SafeLogBuf::~SafeLogBuf() {
  std::lock_guard lock(m_mutex);
  if (!m_line.empty()) finish_line("");
  m_target->pubsync();
}

SafeLogBuf::int_type SafeLogBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  put(std::string_view(&ch, 1));
  return c;
}

std::streamsize SafeLogBuf::xsputn(const char* s, std::streamsize n) {
  put(std::string_view(s, static_cast<size_t>(n)));
  return n;
}

int SafeLogBuf::sync() {
  std::lock_guard lock(m_mutex);
  return m_target->pubsync();
}

void SafeLogBuf::put(std::string_view text) {
  std::lock_guard lock(m_mutex);
  while (!text.empty()) {
    const size_t end = text.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      m_line += text;
      return;
    }
    m_line += text.substr(0, end);
    finish_line(text.substr(end, 1));
    text.remove_prefix(end + 1);
  }
}

void SafeLogBuf::finish_line(std::string_view terminator) {
  const std::string safe = neutralise_line(m_line);
  m_target->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
  m_target->sputn(terminator.data(), static_cast<std::streamsize>(terminator.size()));
  m_line.clear();
}

void SafeLogBuf::write_command(const Command& command) {
  std::lock_guard lock(m_mutex);
  if (!m_line.empty()) finish_line("\n");
  const std::string_view text = command.text();
  m_target->sputn(text.data(), static_cast<std::streamsize>(text.size()));
  m_target->pubsync();
}

SafeLog::SafeLog(std::ostream& out, std::ostream& err)
    : m_out_buf(adopt(out, m_owned_out)), m_err_buf(adopt(err, m_owned_err)), m_out_target(out), m_err_target(err),
      m_saved{out.rdbuf(), err.rdbuf(), std::cout.rdbuf(), std::cerr.rdbuf(), std::clog.rdbuf()}, m_out(m_out_buf),
      m_err(m_err_buf), m_commands(*m_out_buf) {
  out.rdbuf(m_out_buf);
  err.rdbuf(m_err_buf);
  std::cout.rdbuf(m_out_buf);
  std::cerr.rdbuf(m_err_buf);
  std::clog.rdbuf(m_err_buf);
}

SafeLog::~SafeLog() {
  m_out.flush();
  m_err.flush();
  std::clog.rdbuf(m_saved[4]);
  std::cerr.rdbuf(m_saved[3]);
  std::cout.rdbuf(m_saved[2]);
  m_err_target.rdbuf(m_saved[1]);
  m_out_target.rdbuf(m_saved[0]);
}

} // namespace tollgate::runner
