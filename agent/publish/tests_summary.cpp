#include "publish/tests_summary.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <fmt/format.h>

#include "util/text.h"

namespace tollgate::publish {

namespace {

// Failures listed by name, with their message and line; the rest are counted (every one is an
// annotation and in --json). The first few also show the lines that explain them, so that the
// first screen answers "what broke"; the full output of the first k_failures_with_details is
// further down, collapsed.
constexpr size_t k_failures_listed = 200;
constexpr size_t k_failures_with_excerpt = 5;
constexpr size_t k_excerpt_lines = 6;
constexpr size_t k_failures_with_details = 30;
constexpr size_t k_trace_bytes = 1500;
constexpr size_t k_names_listed = 200;

std::string format_number(double v) {
  if (v == static_cast<double>(static_cast<long long>(v))) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.2f}", v);
}

std::string signed_count(long long d) {
  return d == 0 ? "±0" : fmt::format("{}{}", d > 0 ? "+" : "−", d > 0 ? d : -d);
}

// Two spaces before every line: a block that continues a list item.
std::string indent(std::string_view block) {
  std::string out;
  size_t start = 0;
  while (start < block.size()) {
    const size_t end = std::min(block.find('\n', start), block.size());
    if (end > start) out += "  ";
    out += block.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

// The title without the start its group shows once.
std::string short_name(const FailureGroup& g, const model::TestCase& test) {
  std::string title = test_title(test);
  if (!g.prefix.empty() && util::starts_with(title, g.prefix)) return title.substr(g.prefix.size());
  const std::string by_class = g.name + " › ";
  if (g.path.empty() && !g.name.empty() && util::starts_with(title, by_class)) return title.substr(by_class.size());
  return title;
}

std::string group_label(const FailureGroup& g, const ReviewLinks& links) {
  std::string label = g.path.empty() ? code_name(util::truncate_utf8(g.name.empty() ? "(no class)" : g.name, 200))
                                     : line_link(links, g.path, 0);
  if (!g.prefix.empty() && !(g.path.empty() && util::starts_with(g.prefix, g.name)))
    label += " · " + code_name(util::truncate_utf8(g.prefix, 200)) + "…";
  return label;
}

std::string failure_item(const FailureGroup& g, const FailureView& f, const ReviewLinks& links, bool excerpt) {
  const auto& test = *f.test;
  std::string item = fmt::format("- {}{}", test.status == model::TestStatus::errored ? "error: " : "",
                                 code_name(util::truncate_utf8(short_name(g, test), 300)));
  const std::string headline = failure_headline(test);
  if (!headline.empty()) item += " — " + util::escape_markdown(util::truncate_utf8(headline, 300));
  if (f.line > 0 && !f.path.empty()) {
    const std::string url = line_url(links, f.path, f.line);
    if (f.path != g.path) item += " · " + line_link(links, f.path, f.line);
    else item += url.empty() ? fmt::format(" · line {}", f.line) : fmt::format(" · [line {}]({})", f.line, url);
  }
  if (f.change == FailureChange::new_failure) item += " · *new*";
  if (f.change == FailureChange::already_failing) item += " · *already failing on the base*";
  item += "\n";
  if (excerpt) {
    std::string lines;
    for (const auto& l : failure_excerpt(test, k_excerpt_lines)) lines += l + "\n";
    if (!lines.empty()) item += indent(util::code_block(lines));
  }
  return item;
}

std::string failures_lead(const std::vector<FailureView>& failures, const ReviewLinks& links) {
  std::string md = fmt::format("#### Failing tests ({})\n\n", failures.size());
  size_t listed = 0;
  for (const auto& g : group_failures(failures)) {
    if (listed == k_failures_listed) break;
    md += group_label(g, links) + "\n\n";
    for (const auto* f : g.failures) {
      if (listed == k_failures_listed) break;
      md += failure_item(g, *f, links, listed < k_failures_with_excerpt);
      ++listed;
    }
    md += "\n";
  }
  if (failures.size() > listed)
    md += fmt::format("…and {} more failing tests (each one is annotated and in `--json`).\n\n", failures.size() - listed);
  return md;
}

std::string failure_details(const std::vector<FailureView>& failures) {
  std::string md = fmt::format("<details><summary>Output of the failing tests ({}{})</summary>\n\n", 
                               std::min(failures.size(), k_failures_with_details),
                               failures.size() > k_failures_with_details ? fmt::format(" of {}", failures.size()) : "");
  for (size_t i = 0; i < failures.size() && i < k_failures_with_details; ++i) {
    const auto& test = *failures[i].test;
    md += fmt::format("{}\n\n", code_name(util::truncate_utf8(test_title(test), 300)));
    const std::string body = strip_ansi(test.details.empty() ? test.message : test.details);
    if (!util::trim(body).empty()) md += util::code_block(util::truncate_utf8(util::trim(body), k_trace_bytes, "\n…")) + "\n";
  }
  return md + "</details>\n\n";
}

std::string suites_list(const std::vector<SuiteCount>& suites) {
  std::string md = fmt::format("<details><summary>Suites ({})</summary>\n\n", suites.size());
  for (size_t i = 0; i < suites.size() && i < k_names_listed; ++i) {
    const auto& s = suites[i];
    md += fmt::format("- {} — {} test{}{}{} · {}\n", code_name(util::truncate_utf8(s.name, 200)), s.tests,
                      s.tests == 1 ? "" : "s", s.failed ? fmt::format(", {} failed", s.failed) : "",
                      s.skipped ? fmt::format(", {} skipped", s.skipped) : "", format_duration(s.duration_s));
  }
  if (suites.size() > k_names_listed) md += fmt::format("- …and {} more\n", suites.size() - k_names_listed);
  return md + "\n</details>\n\n";
}

} // namespace

std::string format_duration(double s) {
  if (s < 1) return fmt::format("{:.0f} ms", s * 1000);
  if (s < 120) return fmt::format("{:.2f} s", s);
  return fmt::format("{:.0f} min {:.0f} s", s / 60 - std::fmod(s / 60, 1.0), std::fmod(s, 60.0));
}

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

std::string totals_table(const gate::TestTotals& t) {
  return fmt::format("| Tests | Passed | Failed | Errors | Skipped | Flaky | Duration |\n"
                     "|---:|---:|---:|---:|---:|---:|---:|\n"
                     "| {} | {} | {} | {} | {} | {} | {} |\n",
                     t.tests, t.passed, t.failed, t.errors, t.skipped, t.flaky, format_duration(t.duration_s));
}

std::string tests_change_line(const gate::TestTotals& t, const std::vector<FailureView>& failures,
                              const report::TestsBaseline& base) {
  size_t fresh = 0, already = 0;
  std::set<std::string> failing_now;
  for (const auto& f : failures) {
    fresh += f.change == FailureChange::new_failure;
    already += f.change == FailureChange::already_failing;
    failing_now.insert(test_title(*f.test));
  }
  size_t fixed = 0;
  for (const auto& name : base.failing) fixed += !failing_now.contains(name);
  std::string line = fresh ? fmt::format("**{} newly failing**", fresh) : "No newly failing test";
  if (already) line += fmt::format(" · {} already failing on the base", already);
  if (fixed) line += fmt::format(" · {} no longer failing", fixed);
  const auto delta = [](size_t now, uint64_t before) { return static_cast<long long>(now) - static_cast<long long>(before); };
  line += fmt::format(" · {} tests ({} vs the base), {} passed ({})", t.tests, signed_count(delta(t.tests, base.tests)),
                      t.passed, signed_count(delta(t.passed, base.passed)));
  return line + "\n\n";
}

std::string tests_summary(const TestsSummaryInput& in) {
  const auto& links = in.options.links;
  std::string md;
  if (in.baseline) md += tests_change_line(in.totals, in.failures, *in.baseline);
  if (!in.failures.empty() && in.options.list != SummaryList::none) md += failures_lead(in.failures, links);
  md += totals_table(in.totals) + "\n";
  if (in.gates) md += gates_table(*in.gates);
  if (!in.failures.empty() && in.options.list != SummaryList::none) md += "\n" + failure_details(in.failures);
  if (!in.flaky.empty() && in.options.list != SummaryList::none) {
    md += fmt::format("\n#### Flaky ({}): failed, then passed on a rerun\n\n", in.flaky.size());
    for (size_t i = 0; i < in.flaky.size() && i < k_names_listed; ++i)
      md += fmt::format("- {}\n", code_name(util::truncate_utf8(test_title(*in.flaky[i]), 300)));
    if (in.flaky.size() > k_names_listed) md += fmt::format("- …and {} more\n", in.flaky.size() - k_names_listed);
  }
  if (!in.slowest.empty() && in.totals.tests >= k_slowest_min_tests && in.options.list != SummaryList::none) {
    md += fmt::format("\n<details><summary>Slowest tests ({} of {})</summary>\n\n", in.slowest.size(), in.totals.tests);
    for (const auto* s : in.slowest)
      md += fmt::format("- {} — {}\n", code_name(util::truncate_utf8(test_title(*s), 300)),
                        format_duration(s->duration_s));
    md += "\n</details>\n";
  }
  if (in.options.list == SummaryList::all && !in.suites.empty()) md += "\n" + suites_list(in.suites);
  return md;
}

std::string skipped_files_note(const std::vector<SkippedFile>& skipped) {
  if (skipped.empty()) return {};
  std::string md = fmt::format("\n#### Skipped: {} file{} matched by a glob, not test reports\n\n",
                               skipped.size(), skipped.size() == 1 ? "" : "s");
  for (size_t i = 0; i < skipped.size() && i < k_names_listed; ++i)
    md += fmt::format("- {} ({})\n", util::escape_markdown(skipped[i].path),
                      util::escape_markdown(skipped[i].what));
  if (skipped.size() > k_names_listed)
    md += fmt::format("- …and {} more\n", skipped.size() - k_names_listed);
  return md;
}

std::string empty_reports_note(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::string md = fmt::format("\n#### No test case in {} report{}\n\n", paths.size(),
                               paths.size() == 1 ? "" : "s");
  for (size_t i = 0; i < paths.size() && i < k_names_listed; ++i)
    md += fmt::format("- {}\n", util::escape_markdown(paths[i]));
  if (paths.size() > k_names_listed)
    md += fmt::format("- …and {} more\n", paths.size() - k_names_listed);
  return md;
}

} // namespace tollgate::publish
