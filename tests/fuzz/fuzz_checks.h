#pragma once
// Checks the fuzz targets apply to what they render (issue 14), mirroring the test suite's
// Python checks in C++ so that they run at libFuzzer speed:
//  - check_log: the text as the Actions runner would read it after runner::SafeLog — split at
//    "\r" and "\n", no line may start with "::" after .NET white space, none may hold "##[" (the
//    rules of tests/support/runner_log.py, from actions/runner's ActionCommand.TryParseV2/TryParse);
//  - check_escapes: each escaper's output stays on one line and holds nothing that opens a tag,
//    a comment, an entity of the text's own, a code span, a link or a table column;
//  - markdown_skeleton: a line-level outline of a document (headings, table rows, details
//    blocks, fences, list items, quotes, paragraphs; code block contents skipped). A report and
//    the same report with every text replaced by "x" must have the same outline — the C++
//    stand-in for the cmark-gfm structure comparison of tests/integration/test_hostile.py.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "runner/log_stream.h"
#include "util/text.h"

namespace tollgate::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "fuzz check failed: %s: %.*s\n", what, static_cast<int>(std::min<size_t>(text.size(), 400)),
               text.data());
  std::abort();
}

inline void check_log(std::string_view text) {
  std::ostringstream target;
  {
    runner::SafeLogBuf buf(target.rdbuf());
    std::ostream out(&buf);
    out << text;
  }
  const std::string printed = target.str();
  size_t start = 0;
  while (start <= printed.size()) {
    const size_t end = printed.find_first_of("\r\n", start);
    const std::string_view line = std::string_view(printed).substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (runner::may_start_command(line)) fail("a printed line the runner would read as a command", line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

inline void check_escapes(std::string_view untrusted) {
  const std::string html = util::escape_html(untrusted);
  if (html.find_first_of("\r\n<>`|[]") != std::string::npos) fail("escape_html left a structural character", html);
  const std::string md = util::escape_markdown(untrusted);
  if (md.find_first_of("\r\n<>") != std::string::npos) fail("escape_markdown left a line break or a tag", md);
  for (size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if ((c == '`' || c == '|' || c == '[' || c == '*') && (i == 0 || md[i - 1] != '\\'))
      fail("escape_markdown left Markdown punctuation unescaped", md);
  }
  const std::string cell = util::escape_table_cell(untrusted);
  if (cell.find_first_of("\r\n") != std::string::npos) fail("escape_table_cell left a line break", cell);
}

inline std::vector<std::string> markdown_skeleton(std::string_view md) {
  std::vector<std::string> out;
  size_t fence = 0; // length of the open backtick fence, 0 outside one
  size_t start = 0;
  while (start < md.size()) {
    const size_t end = md.find('\n', start);
    const std::string_view line = md.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? md.size() : end + 1;
    const size_t ticks = line.find_first_not_of('`');
    const size_t run = ticks == std::string_view::npos ? line.size() : ticks;
    if (fence > 0) {
      if (run >= fence && line.find_first_not_of("` ", run) == std::string_view::npos) {
        out.emplace_back("fence-close");
        fence = 0;
      }
      continue;
    }
    if (run >= 3) {
      fence = run;
      out.emplace_back("fence-open");
    } else if (line.empty()) {
      out.emplace_back("blank");
    } else if (line[0] == '#') {
      out.emplace_back("heading" + std::to_string(line.find_first_not_of('#')));
    } else if (line[0] == '|') {
      out.emplace_back("row");
    } else if (line.starts_with("<details>")) {
      out.emplace_back("details");
    } else if (line.starts_with("</details>")) {
      out.emplace_back("/details");
    } else if (line.starts_with("- ")) {
      out.emplace_back("item");
    } else if (line.starts_with(">")) {
      out.emplace_back("quote");
    } else {
      out.emplace_back("text");
    }
  }
  if (fence > 0) out.emplace_back("fence-unclosed");
  return out;
}

} // namespace tollgate::fuzz
