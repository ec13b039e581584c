// libFuzzer target: test_report must never crash, hang or leak on any input; and what the tests
// summary renders from it must print no workflow command and keep the structure of the same
// report with every text replaced by a neutral one (tests/fuzz/fuzz_checks.h).
//
// The summary's layout legitimately follows some facts about the text: which failures share a
// class (one group each), whether the details say more than the headline (an excerpt), which lines
// are stack frames or pytest's "E" lines. The neutral report keeps exactly those facts — equal
// names stay equal, every line keeps its kind and equal lines stay equal — and nothing else, so a
// difference in outline can only come from text that made Markdown of its own.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "gate/tests_gate.h"
#include "publish/review_failures.h"
#include "publish/tests_summary.h"
#include "report/test_report.h"

namespace {

std::string summary_of(const tollgate::model::TestRun& run) {
  using namespace tollgate;
  publish::TestsSummaryInput input;
  input.totals = gate::count_tests({run});
  for (const auto& c : run.cases)
    if (c.status == model::TestStatus::failed || c.status == model::TestStatus::errored)
      input.failures.push_back({&c, ""});
  return publish::tests_summary(input);
}

// Equal inputs get equal placeholders, different inputs different ones.
class Neutral {
public:
  std::string name(const std::string& text) { return text.empty() ? text : placeholder(text); }

  std::string lines(std::string_view raw) {
    const std::string text = tollgate::publish::strip_ansi(raw); // as review_failures reads it
    std::string out;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view one = std::string_view(text).substr(start, end - start);
      if (one.ends_with('\r')) one.remove_suffix(1);
      out += line(one);
      if (end < text.size()) out += '\n';
      start = end + 1;
    }
    return out;
  }

private:
  // The kinds review_failures tells apart: blank, stack frame (trimmed), pytest's "E" and ">"
  // lines (untrimmed, "E   " also marking the whole text as pytest's), and any other line.
  std::string line(std::string_view raw) {
    const std::string_view t = tollgate::util::trim(raw);
    if (t.empty()) return std::string(raw);
    for (const std::string_view frame : {"at ", "File \"", "from ", "Traceback (most recent call last)"})
      if (t.starts_with(frame)) return std::string(frame) + "x";
    if (raw.starts_with("E   ")) return "E   " + placeholder(same_text_key(tollgate::util::trim(raw.substr(1))));
    if (raw.starts_with("E ")) return "E " + placeholder(same_text_key(tollgate::util::trim(raw.substr(1))));
    if (raw.starts_with(">")) return "> " + placeholder(std::string(t.substr(1)));
    return placeholder(same_text_key(t));
  }

  // What review_failures compares when it asks whether two lines say the same ("Error: boom" = "boom").
  static std::string same_text_key(std::string_view s) {
    if (const auto colon = s.find(": "); colon != std::string_view::npos && colon < 40 &&
                                         s.substr(0, colon).find(' ') == std::string_view::npos)
      if (s.substr(0, colon).ends_with("Error") || s.substr(0, colon).ends_with("Exception")) s.remove_prefix(colon + 2);
    return std::string(tollgate::util::trim(s));
  }

  std::string placeholder(const std::string& key) {
    auto [it, fresh] = seen_.try_emplace(key, "");
    if (fresh) it->second = "x" + std::to_string(seen_.size());
    return it->second;
  }

  std::map<std::string, std::string> seen_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tollgate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto run = report::parse_test_report(text);
  fuzz::check_escapes(text.substr(0, 4096));
  if (!run) return 0;
  const std::string rendered = summary_of(*run);
  fuzz::check_log(rendered);
  model::TestRun plain = *run;
  Neutral neutral;
  for (auto& c : plain.cases) {
    for (std::string* s : {&c.suite, &c.classname, &c.name}) *s = neutral.name(*s);
    for (std::string* s : {&c.message, &c.details, &c.system_out, &c.system_err}) *s = neutral.lines(*s);
    fuzz::check_escapes(c.name);
  }
  for (const auto& c : run->cases) fuzz::check_escapes(c.name);
  if (fuzz::markdown_skeleton(rendered) != fuzz::markdown_skeleton(summary_of(plain)))
    fuzz::fail("the summary's structure depends on the report's text", rendered);
  return 0;
}
