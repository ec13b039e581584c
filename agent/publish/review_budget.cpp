#include "publish/review_budget.h"

#include <fmt/format.h>

#include "util/text.h"

namespace tollgate::publish {

namespace {

constexpr std::string_view k_close_details = "\n</details>\n";

// A fence line (CommonMark: three or more backticks or tildes, indented up to three spaces; list
// items indent further, so any indentation is accepted here): its character and length, or 0.
std::pair<char, size_t> fence_of(std::string_view line) {
  size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos) return {0, 0};
  const char c = line[i];
  if (c != '`' && c != '~') return {0, 0};
  size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  return n >= 3 ? std::pair{c, n} : std::pair{'\0', size_t{0}};
}

bool only_fence(std::string_view line, char c) {
  const auto rest = util::trim(line);
  return rest.find_first_not_of(c) == std::string_view::npos;
}

size_t count_of(std::string_view line, std::string_view what) {
  size_t n = 0;
  for (size_t at = line.find(what); at != std::string_view::npos; at = line.find(what, at + what.size())) ++n;
  return n;
}

} // namespace

SummaryList parse_summary_list(std::string_view text) {
  if (text == "all") return SummaryList::all;
  if (text == "none") return SummaryList::none;
  return SummaryList::failed;
}

std::string fit_summary(std::string_view md, size_t max_chars) {
  if (util::utf8_length(md) <= max_chars) return std::string(md);
  size_t total_lines = 0;
  for (const char c : md) total_lines += c == '\n';
  const std::string note_template = fmt::format(
      "\n> [!NOTE]\n> Cut to fit {} characters (`--summary-limit`): {{}} more line(s) not shown. Every finding is in "
      "the check run's annotations and the `--json` result.\n",
      max_chars);
  const size_t note_chars = util::utf8_length(note_template) + 8;
  const size_t budget = max_chars > note_chars ? max_chars - note_chars : 0;

  char fence_char = 0;
  size_t fence_len = 0;
  long depth = 0;
  size_t cut = 0, cut_depth = 0, cut_lines = 0, chars = 0, lines = 0;
  size_t start = 0;
  while (start < md.size()) {
    const size_t end = std::min(md.find('\n', start), md.size());
    const std::string_view line = md.substr(start, end - start);
    chars += util::utf8_length(line) + 1;
    ++lines;
    if (fence_char) {
      const auto [c, n] = fence_of(line);
      if (c == fence_char && n >= fence_len && only_fence(line, c)) fence_char = 0;
    } else if (const auto [c, n] = fence_of(line); c) {
      fence_char = c;
      fence_len = n;
    } else {
      depth += static_cast<long>(count_of(line, "<details")) - static_cast<long>(count_of(line, "</details>"));
      if (depth < 0) depth = 0;
    }
    if (chars + static_cast<size_t>(depth) * k_close_details.size() > budget) break;
    if (!fence_char) {
      cut = std::min(end + 1, md.size());
      cut_depth = static_cast<size_t>(depth);
      cut_lines = lines;
    }
    start = end + 1;
  }
  std::string out(md.substr(0, cut));
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (size_t i = 0; i < cut_depth; ++i) out += k_close_details;
  return out + fmt::format(fmt::runtime(note_template), total_lines + (md.back() != '\n') - cut_lines);
}

} // namespace tollgate::publish
