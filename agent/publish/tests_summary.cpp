#include "publish/tests_summary.h"

#include <cmath>
#include <fmt/format.h>

#include "util/text.h"

namespace tollgate::publish {

namespace {

// Failures shown with their trace; the rest are listed by name only. Keeps the summary within
// the check run's 65,535 characters in the common case (the publisher truncates the rest).
constexpr size_t k_failures_with_details = 30;
constexpr size_t k_failures_listed = 200;
constexpr size_t k_trace_bytes = 1500;

std::string format_duration(double s) {
  if (s < 1) return fmt::format("{:.0f} ms", s * 1000);
  if (s < 120) return fmt::format("{:.2f} s", s);
  return fmt::format("{:.0f} min {:.0f} s", s / 60 - std::fmod(s / 60, 1.0), std::fmod(s, 60.0));
}

std::string format_number(double v) {
  if (v == static_cast<double>(static_cast<long long>(v))) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.2f}", v);
}

} // namespace

std::string test_title(const model::TestCase& test) {
  // The class names the test more precisely than the suite (pytest's suite is just "pytest").
  const std::string& group = test.classname.empty() ? test.suite : test.classname;
  // jest-junit writes the full name as the class name too: say it once.
  return group.empty() || group == test.name ? test.name : group + " › " + test.name;
}

std::string gates_table(const std::vector<model::Gate>& gates) {
  if (gates.empty()) return {};
  std::string md = "| Gate | Threshold | Actual | Result |\n|---|---:|---:|---|\n";
  for (const auto& g : gates)
    md += fmt::format("| {} | {} | {} | {} |\n", util::escape_table_cell(g.name), format_number(g.threshold),
                      g.measured ? format_number(g.actual) : "—",
                      !g.measured ? (g.passed ? "⚪ not measured (skipped)" : "❌ not measured")
                      : g.passed  ? "✅ passed"
                                  : "❌ failed");
  return md;
}

std::string skipped_files_note(const std::vector<SkippedFile>& skipped) {
  if (skipped.empty()) return {};
  std::string md = fmt::format("\n#### Skipped: {} file{} matched by a glob, not test reports\n\n",
                               skipped.size(), skipped.size() == 1 ? "" : "s");
  for (size_t i = 0; i < skipped.size() && i < k_failures_listed; ++i)
    md += fmt::format("- {} ({})\n", util::escape_markdown(skipped[i].path),
                      util::escape_markdown(skipped[i].what));
  if (skipped.size() > k_failures_listed)
    md += fmt::format("- …and {} more\n", skipped.size() - k_failures_listed);
  return md;
}

std::string empty_reports_note(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::string md = fmt::format("\n#### No test case in {} report{}\n\n", paths.size(),
                               paths.size() == 1 ? "" : "s");
  for (size_t i = 0; i < paths.size() && i < k_failures_listed; ++i)
    md += fmt::format("- {}\n", util::escape_markdown(paths[i]));
  if (paths.size() > k_failures_listed)
    md += fmt::format("- …and {} more\n", paths.size() - k_failures_listed);
  return md;
}

std::string tests_summary(const gate::TestTotals& t, const std::vector<model::Gate>& gates,
                          const std::vector<FailureView>& failures, const std::vector<const model::TestCase*>& flaky,
                          const std::vector<const model::TestCase*>& slowest) {
  std::string md = "| Tests | ✅ Passed | ❌ Failed | 💥 Errors | ⏭️ Skipped | 🔁 Flaky | ⏱️ Duration |\n"
                   "|---:|---:|---:|---:|---:|---:|---:|\n";
  md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n\n", t.tests, t.passed, t.failed, t.errors, t.skipped,
                    t.flaky, format_duration(t.duration_s));
  md += gates_table(gates);
  if (!failures.empty()) {
    md += fmt::format("\n#### Failures ({})\n\n", failures.size());
    for (size_t i = 0; i < failures.size() && i < k_failures_listed; ++i) {
      const auto& f = failures[i];
      const std::string first_line = util::truncate_utf8(f.test->message.substr(0, f.test->message.find('\n')), 300);
      const char* icon = f.test->status == model::TestStatus::errored ? "💥" : "❌";
      if (i >= k_failures_with_details) {
        // Plain Markdown, escaped as Markdown.
        md += fmt::format("- {} **{}**{}{}\n", icon, util::escape_markdown(test_title(*f.test)),
                          first_line.empty() ? "" : " — " + util::escape_markdown(first_line),
                          f.location.empty() ? "" : " at " + util::escape_markdown(f.location));
        continue;
      }
      // Inside <details> (an HTML block) nothing is Markdown: escaped as HTML.
      const std::string head = fmt::format("{} <b>{}</b>{}", icon, util::escape_html(test_title(*f.test)),
                                           first_line.empty() ? "" : " — " + util::escape_html(first_line));
      md += fmt::format("<details><summary>{}</summary>\n\n", head);
      if (!f.location.empty()) md += fmt::format("at {}\n\n", util::escape_markdown(f.location));
      const std::string& trace = f.test->details.empty() ? f.test->message : f.test->details;
      if (!trace.empty()) md += util::code_block(util::truncate_utf8(util::trim(trace), k_trace_bytes, "\n…"));
      md += "\n</details>\n";
    }
    if (failures.size() > k_failures_listed)
      md += fmt::format("\n…and {} more failures (all of them are in `--json`).\n", failures.size() - k_failures_listed);
  }
  if (!flaky.empty()) {
    md += fmt::format("\n#### Flaky ({}): failed, then passed on a rerun\n\n", flaky.size());
    for (size_t i = 0; i < flaky.size() && i < k_failures_listed; ++i)
      md += fmt::format("- 🔁 {}\n", util::escape_markdown(test_title(*flaky[i])));
  }
  if (!slowest.empty()) {
    md += "\n#### Slowest tests\n\n| Test | Duration |\n|---|---:|\n";
    for (const auto* s : slowest) md += fmt::format("| {} | {} |\n", util::escape_table_cell(test_title(*s)), format_duration(s->duration_s));
  }
  return md;
}

} // namespace tollgate::publish
