#include "report/git_diff.h"

#include <algorithm>
#include <charconv>

namespace tollgate::report {

namespace {

// git quotes paths with special characters as C strings: "b/dir/x\tb.txt".
std::string unquote(std::string_view p) {
  if (p.size() < 2 || p.front() != '"' || p.back() != '"') return std::string(p);
  std::string out;
  for (size_t i = 1; i + 1 < p.size(); ++i) {
    if (p[i] != '\\' || i + 2 >= p.size()) {
      out.push_back(p[i]);
      continue;
    }
    const char c = p[++i];
    switch (c) {
    case 'n': out.push_back('\n'); break;
    case 't': out.push_back('\t'); break;
    case '"': out.push_back('"'); break;
    case '\\': out.push_back('\\'); break;
    default:
      if (c >= '0' && c <= '7' && i + 2 < p.size()) {
        out.push_back(static_cast<char>(((c - '0') << 6) | ((p[i + 1] - '0') << 3) | (p[i + 2] - '0')));
        i += 2;
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

bool parse_int(std::string_view s, int& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

} // namespace

util::Expected<ChangedLines, util::ParseError> parse_git_diff(std::string_view diff) {
  ChangedLines changed;
  std::vector<int>* current = nullptr;
  int next_line = 0; // the new-side line number of the next '+' or ' ' line
  size_t pos = 0;
  while (pos < diff.size()) {
    const size_t eol = diff.find('\n', pos);
    const std::string_view line = diff.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    const size_t line_start = pos;
    pos = eol == std::string_view::npos ? diff.size() : eol + 1;

    if (line.substr(0, 4) == "+++ ") {
      auto path = line.substr(4);
      if (path == "/dev/null") {
        current = nullptr;
      } else {
        std::string p = unquote(path);
        if (p.substr(0, 2) == "b/") p = p.substr(2);
        current = &changed[p];
      }
      continue;
    }
    if (line.substr(0, 4) == "--- " || line.substr(0, 5) == "diff " || line.substr(0, 6) == "index ") continue;
    if (line.substr(0, 3) == "@@ ") {
      // @@ -a,b +c,d @@
      const auto plus = line.find(" +");
      if (plus == std::string_view::npos) return util::unexpected(util::error_at(diff, line_start, "malformed hunk header"));
      auto range = line.substr(plus + 2);
      range = range.substr(0, range.find(' '));
      const auto comma = range.find(',');
      if (!parse_int(range.substr(0, comma), next_line) || next_line < 0)
        return util::unexpected(util::error_at(diff, line_start, "malformed hunk header"));
      continue;
    }
    if (!current) continue;
    if (!line.empty() && line[0] == '+') {
      current->push_back(next_line++);
    } else if (!line.empty() && line[0] == ' ') {
      ++next_line;
    }
  }
  for (auto it = changed.begin(); it != changed.end();) {
    std::sort(it->second.begin(), it->second.end());
    it = it->second.empty() ? changed.erase(it) : std::next(it);
  }
  return changed;
}

bool is_changed(const ChangedLines& changed, std::string_view path, int line) {
  const auto it = changed.find(path);
  return it != changed.end() && std::binary_search(it->second.begin(), it->second.end(), line);
}

} // namespace tollgate::report
