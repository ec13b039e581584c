#include "publish/review_failures.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "publish/tests_summary.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool is_frame(std::string_view line) {
  const auto t = util::trim(line);
  return util::starts_with(t, "at ") || util::starts_with(t, "File \"") || util::starts_with(t, "from ") ||
         util::starts_with(t, "Traceback (most recent call last)");
}

// "Error: boom" and "boom" say the same.
bool same_text(std::string_view a, std::string_view b) {
  a = util::trim(a);
  b = util::trim(b);
  for (std::string_view* s : {&a, &b})
    if (const auto colon = s->find(": "); colon != std::string_view::npos && colon < 40 &&
                                          s->substr(0, colon).find(' ') == std::string_view::npos)
      if (s->substr(0, colon).ends_with("Error") || s->substr(0, colon).ends_with("Exception")) s->remove_prefix(colon + 2);
  return a == b;
}

bool is_separator_end(std::string_view text, size_t n) {
  const std::string_view head = text.substr(0, n);
  return head.ends_with(" › ") || head.ends_with(".") || head.ends_with("::") || head.ends_with("/") ||
         head.ends_with("#") || head.ends_with(" ");
}

} // namespace

std::string strip_ansi(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
    }
  }
  return out;
}

std::string failure_headline(const model::TestCase& test) { return failure_headline(test.message, test.details); }

std::vector<std::string> failure_excerpt(const model::TestCase& test, size_t max_lines) {
  return failure_excerpt(test.message, test.details, max_lines);
}

std::string failure_headline(std::string_view raw_message, std::string_view raw_details) {
  const std::string message = strip_ansi(raw_message);
  for (const auto line : split_lines(message))
    if (!util::trim(line).empty()) return std::string(util::trim(line));
  const std::string details = strip_ansi(raw_details);
  for (const auto line : split_lines(details))
    if (!util::trim(line).empty() && !is_frame(line)) return std::string(util::trim(line));
  return {};
}

std::vector<std::string> failure_excerpt(std::string_view message, std::string_view details, size_t max_lines) {
  const std::string body = strip_ansi(details.empty() ? message : details);
  const std::string headline = failure_headline(message, details);
  const auto lines = split_lines(body);
  std::vector<std::string> out;
  // pytest: the ">" line is the statement, the "E" lines the assertion's explanation.
  const bool pytest = std::any_of(lines.begin(), lines.end(), [](auto l) { return util::starts_with(l, "E   "); });
  for (size_t i = 0; i < lines.size() && out.size() < max_lines; ++i) {
    const std::string_view line = lines[i];
    if (util::trim(line).empty() || is_frame(line)) continue;
    if (pytest && !util::starts_with(line, "E ") && !util::starts_with(line, ">")) continue;
    if (out.empty() && same_text(line, headline)) continue;
    if (pytest && util::starts_with(line, "E ") && same_text(util::trim(line.substr(1)), headline)) continue;
    out.emplace_back(util::truncate_utf8(line, 300));
  }
  return out;
}

std::string shared_prefix(const std::vector<std::string_view>& titles) {
  if (titles.size() < 2) return {};
  size_t n = titles.front().size();
  for (const auto t : titles) {
    size_t i = 0;
    while (i < n && i < t.size() && t[i] == titles.front()[i]) ++i;
    n = i;
  }
  // Back to a separator, and never the whole of a title: each keeps a name of its own.
  for (const auto t : titles) n = std::min(n, t.size() - 1);
  while (n > 0 && !is_separator_end(titles.front(), n)) --n;
  // Not inside a UTF-8 sequence (separators are ASCII, so this only guards the loop's start).
  return std::string(titles.front().substr(0, n));
}

std::vector<FailureGroup> group_failures(const std::vector<FailureView>& failures) {
  std::vector<FailureGroup> groups;
  // A group by its path, or (no path) by its name: looked up, not searched (a report of 150,000
  // failures in 15,000 classes spent a third of its time comparing names here).
  std::unordered_map<std::string_view, size_t> by_path, by_name;
  for (const auto& f : failures) {
    // jest-junit writes the test's full name as its class name: its suite (the file) groups it.
    const auto& t = *f.test;
    const std::string& name = t.classname.empty() || t.classname == t.name ? t.suite : t.classname;
    auto [it, added] = f.path.empty() ? by_name.try_emplace(name, groups.size())
                                      : by_path.try_emplace(f.path, groups.size());
    if (added) groups.push_back({f.path, f.path.empty() ? name : "", "", {}});
    groups[it->second].failures.push_back(&f);
  }
  for (auto& g : groups) {
    std::vector<std::string> titles;
    for (const auto* f : g.failures) titles.push_back(test_title(*f->test));
    std::vector<std::string_view> views(titles.begin(), titles.end());
    g.prefix = shared_prefix(views);
  }
  return groups;
}

} // namespace tollgate::publish
