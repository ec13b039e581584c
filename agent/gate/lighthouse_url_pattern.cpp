#include "gate/lighthouse_url_pattern.h"

#include <cctype>
#include <fmt/format.h>
#include <re2/re2.h>

namespace tollgate::gate {

namespace {

// RE2's bound on a counted repetition ({n,m}); JavaScript has none.
constexpr int k_max_re2_repeat = 1000;

// JavaScript's \s: WhiteSpace and LineTerminator (ECMA-262 CharacterClassEscape), as a class body.
constexpr const char* k_js_space =
    "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

struct Unsupported {
  std::string message;
};

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Translator {
public:
  explicit Translator(std::string_view src) : m_src(src) {
    // \k is a named backreference only where the pattern has a named group (Annex B).
    for (size_t i = 0; i + 3 < src.size(); ++i)
      if (src.compare(i, 3, "(?<") == 0 && src[i + 3] != '=' && src[i + 3] != '!') m_has_named_groups = true;
  }

  std::string run() {
    while (m_at < m_src.size()) m_in_class ? class_char() : outside_char();
    if (m_in_class) refuse_syntax("Unterminated character class");
    return m_out;
  }

private:
  [[noreturn]] void refuse(const std::string& construct, const std::string& why) {
    throw Unsupported{fmt::format("{} at character {}: {}", construct, m_at + 1, why)};
  }
  [[noreturn]] void refuse_syntax(const std::string& what) {
    throw Unsupported{fmt::format("Invalid regular expression: {}", what)};
  }

  bool ahead(std::string_view s) const { return m_src.substr(m_at, s.size()) == s; }

  void outside_char() {
    const char c = m_src[m_at];
    if (c == '\\') return escape();
    if (c == '[') return open_class();
    if (c == '(') return open_group();
    if (c == '{') return brace();
    ++m_at;
    if (c == '.') m_out += "[^\\n\\r\\x{2028}\\x{2029}]"; // JavaScript's dot stops at every line terminator
    else if (c == '}' || c == ']') m_out += std::string("\\") + c; // Annex B: literal
    else m_out += c;
  }

  void open_class() {
    ++m_at;
    if (ahead("]")) {
      ++m_at;
      m_out += "[^\\x00-\\x{10FFFF}]"; // [] matches nothing
      return;
    }
    if (ahead("^]")) {
      m_at += 2;
      m_out += "[\\x00-\\x{10FFFF}]"; // [^] matches anything
      return;
    }
    m_out += '[';
    if (ahead("^")) {
      ++m_at;
      m_out += '^';
    }
    m_in_class = true;
  }

  void class_char() {
    const char c = m_src[m_at];
    if (c == ']') {
      ++m_at;
      m_out += ']';
      m_in_class = false;
      return;
    }
    if (c == '\\') return escape();
    ++m_at;
    if (c == '[') m_out += "\\["; // RE2 would read [:alpha:] as a POSIX class
    else m_out += c;
  }

  void open_group() {
    if (ahead("(?:")) {
      m_at += 3;
      m_out += "(?:";
    } else if (ahead("(?=")) {
      refuse("lookahead (?=…)", "RE2 has no lookaround; Tollgate does not evaluate it");
    } else if (ahead("(?!")) {
      refuse("negative lookahead (?!…)", "RE2 has no lookaround; Tollgate does not evaluate it");
    } else if (ahead("(?<=")) {
      refuse("lookbehind (?<=…)", "RE2 has no lookaround; Tollgate does not evaluate it");
    } else if (ahead("(?<!")) {
      refuse("negative lookbehind (?<!…)", "RE2 has no lookaround; Tollgate does not evaluate it");
    } else if (ahead("(?<")) {
      const size_t start = m_at + 3;
      const size_t end = m_src.find('>', start);
      if (end == std::string_view::npos) refuse_syntax("Invalid capture group name");
      const std::string_view name = m_src.substr(start, end - start);
      bool ok = !name.empty() && !is_digit(name[0]);
      for (char n : name) ok = ok && (std::isalnum(static_cast<unsigned char>(n)) || n == '_');
      if (!ok) refuse(fmt::format("group name '{}'", name), "Tollgate reads group names of letters, digits and _");
      m_at = end + 1;
      m_out += fmt::format("(?P<{}>", name);
    } else if (ahead("(?")) {
      refuse_syntax("Invalid group");
    } else {
      ++m_at;
      m_out += '(';
    }
  }

  // {n}, {n,}, {n,m} repeat; any other brace is a literal (Annex B).
  void brace() {
    size_t i = m_at + 1;
    const auto number = [&](size_t& at) {
      const size_t from = at;
      while (at < m_src.size() && is_digit(m_src[at])) ++at;
      return m_src.substr(from, at - from);
    };
    const std::string_view low = number(i);
    std::string_view high = low;
    bool ok = !low.empty();
    if (ok && i < m_src.size() && m_src[i] == ',') {
      ++i;
      high = number(i);
    }
    ok = ok && i < m_src.size() && m_src[i] == '}';
    if (!ok) {
      ++m_at;
      m_out += "\\{";
      return;
    }
    for (auto n : {low, high})
      if (n.size() > 4 || (!n.empty() && std::stoi(std::string(n)) > k_max_re2_repeat))
        refuse(fmt::format("the repetition {}", m_src.substr(m_at, i + 1 - m_at)),
               fmt::format("RE2 repeats at most {} times", k_max_re2_repeat));
    m_out += m_src.substr(m_at, i + 1 - m_at);
    m_at = i + 1;
  }

  void escape() {
    if (m_at + 1 >= m_src.size()) refuse_syntax("\\ at end of pattern");
    const char e = m_src[m_at + 1];
    m_at += 2;
    switch (e) {
    case 'd': case 'D': case 'w': case 'W': m_out += std::string("\\") + e; return;
    case 'b': m_out += m_in_class ? "\\x08" : "\\b"; return; // [\b] is a backspace
    case 'B': m_out += m_in_class ? "B" : "\\B"; return;
    case 's': m_out += m_in_class ? std::string(k_js_space) : fmt::format("[{}]", k_js_space); return;
    case 'S':
      if (m_in_class) refuse("\\S inside a character class", "Tollgate does not translate it");
      m_out += fmt::format("[^{}]", k_js_space);
      return;
    case 'f': m_out += "\\f"; return;
    case 'n': m_out += "\\n"; return;
    case 'r': m_out += "\\r"; return;
    case 't': m_out += "\\t"; return;
    case 'v': m_out += "\\x0B"; return;
    case 'c':
      if (m_at < m_src.size() && std::isalpha(static_cast<unsigned char>(m_src[m_at]))) {
        m_out += fmt::format("\\x{{{:02X}}}", m_src[m_at++] % 32);
        return;
      }
      refuse("\\c without a letter", "Tollgate does not translate it");
    case 'x':
      if (m_at + 1 < m_src.size() && is_hex(m_src[m_at]) && is_hex(m_src[m_at + 1])) {
        m_out += fmt::format("\\x{{{}}}", m_src.substr(m_at, 2));
        m_at += 2;
      } else {
        m_out += 'x'; // Annex B: \x without two hex digits is the letter x
      }
      return;
    case 'u':
      if (m_at + 3 < m_src.size() && is_hex(m_src[m_at]) && is_hex(m_src[m_at + 1]) && is_hex(m_src[m_at + 2]) &&
          is_hex(m_src[m_at + 3])) {
        const std::string hex(m_src.substr(m_at, 4));
        const long unit = std::stol(hex, nullptr, 16);
        if (unit >= 0xD800 && unit <= 0xDFFF)
          refuse(fmt::format("\\u{}", hex), "a UTF-16 surrogate; RE2 matches whole characters");
        m_out += fmt::format("\\x{{{}}}", hex);
        m_at += 4;
      } else {
        m_out += 'u'; // without the u flag, \u{...} is the letter u repeated
      }
      return;
    case 'p': case 'P':
      if (m_at < m_src.size() && m_src[m_at] == '{')
        refuse(fmt::format("\\{}{{…}}", e), "lhci builds the RegExp without the u flag, so JavaScript reads it as the "
                                             "letter p and a brace, not a Unicode property; write the characters out");
      m_out += e;
      return;
    case 'k':
      if (m_has_named_groups) refuse("the named backreference \\k<…>", "RE2 has no backreferences");
      m_out += 'k';
      return;
    case '0':
      if (m_at < m_src.size() && is_digit(m_src[m_at])) refuse("an octal escape \\0…", "Tollgate does not translate it");
      m_out += "\\x00";
      return;
    default: break;
    }
    if (is_digit(e)) refuse(fmt::format("the backreference \\{}", e), "RE2 has no backreferences");
    if (std::isalpha(static_cast<unsigned char>(e)) || static_cast<unsigned char>(e) >= 0x80) {
      m_out += e; // Annex B identity escape: \a is the letter a (RE2 would read a bell)
      return;
    }
    m_out += std::string("\\") + e; // escaped punctuation is the character in both
  }

  std::string_view m_src;
  std::string m_out;
  size_t m_at = 0;
  bool m_in_class = false;
  bool m_has_named_groups = false;
};

} // namespace

util::Expected<std::string, std::string> js_regex_to_re2(std::string_view source) {
  try {
    return Translator(source).run();
  } catch (const Unsupported& u) {
    return util::unexpected(u.message);
  }
}

util::Expected<UrlPattern, std::string> UrlPattern::compile(const std::string& source) {
  auto translated = js_regex_to_re2(source);
  if (!translated)
    return util::unexpected(fmt::format("matchingUrlPattern /{}/: {}", source, translated.error()));
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(*translated, options);
  if (!re->ok())
    return util::unexpected(fmt::format("Invalid regular expression in matchingUrlPattern: /{}/: {}", source, re->error()));
  UrlPattern p;
  p.m_re = std::move(re);
  p.m_source = source;
  return p;
}

util::Expected<bool, std::string> UrlPattern::test(std::string_view url) const {
  for (char c : url)
    if (static_cast<unsigned char>(c) >= 0x80)
      return util::unexpected(fmt::format("matchingUrlPattern /{}/ against a URL with non-ASCII characters: JavaScript "
                                          "matches UTF-16 code units, which Tollgate does not reproduce",
                                          m_source));
  return RE2::PartialMatch(re2::StringPiece(url.data(), url.size()), *m_re);
}

} // namespace tollgate::gate
