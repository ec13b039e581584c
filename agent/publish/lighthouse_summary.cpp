#include "publish/lighthouse_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

#include "util/text.h"

namespace tollgate::publish {

namespace {

// Rows shown before the rest are only counted (everything is in --json); keeps the summary
// within the Checks API's 65,535 characters in the common case.
constexpr size_t k_failed_rows = 150;
constexpr size_t k_passed_rows = 150;
constexpr size_t k_warning_rows = 50;

std::string values_text(const std::vector<std::optional<double>>& values) {
  std::string out;
  for (const auto& v : values) out += fmt::format("{}{}", out.empty() ? "" : ", ", v ? format_assertion_value(*v) : "—");
  return out;
}

std::string where(const std::string& file, int line) {
  if (file.empty()) return {};
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

std::string assertion_name(const gate::LighthouseAssertion& r) {
  return fmt::format("<code>{}</code> {}", util::escape_html(r.audit()), util::escape_html(r.name));
}

// The change against the base branch: score points, or the metric in its unit.
std::string score_delta(double now, double before) {
  const long d = std::lround(now * 100) - std::lround(before * 100);
  if (d == 0) return " (±0)";
  return fmt::format(" ({}{})", d > 0 ? "+" : "−", std::labs(d));
}

std::string metric_delta(double now, double before, const std::string& unit) {
  const double d = now - before;
  if (std::fabs(d) < 1e-9) return " (±0)";
  return fmt::format(" ({}{})", d > 0 ? "+" : "−", format_metric(std::fabs(d), unit));
}

std::string url_section(const gate::LighthouseUrlStats& u, bool has_baseline) {
  std::string md = fmt::format("#### {} — {} run{} (Lighthouse {})\n\n", util::escape_markdown(u.url.empty() ? "(no finalUrl)" : u.url),
                               u.runs, u.runs == 1 ? "" : "s", util::escape_markdown(u.lighthouse_version));
  if (!u.categories.empty()) {
    std::string head = "|", rule = "|", row = "|";
    for (const auto& c : u.categories) {
      head += fmt::format(" {} |", util::escape_table_cell(c.title.empty() ? c.id : c.title));
      rule += "---:|";
      std::string cell = c.median ? score_badge(*c.median) : "—";
      if (has_baseline && c.median && c.baseline) cell += score_delta(*c.median, *c.baseline);
      row += " " + cell + " |";
    }
    md += head + "\n" + rule + "\n" + row + "\n\n";
  }
  bool any_metric = false;
  for (const auto& m : u.metrics) any_metric = any_metric || m.median;
  if (any_metric) {
    md += fmt::format("| Metric | Median | Best | Worst |{}\n|---|---:|---:|---:|{}\n", has_baseline ? " Base |" : "",
                      has_baseline ? "---:|" : "");
    for (const auto& m : u.metrics) {
      if (!m.median) continue;
      const auto [lo, hi] = std::minmax_element(m.values.begin(), m.values.end());
      std::string median = format_metric(*m.median, m.unit);
      if (has_baseline && m.baseline) median += metric_delta(*m.median, *m.baseline, m.unit);
      md += fmt::format("| {} | {} | {} | {} |{}\n", util::escape_table_cell(m.title.empty() ? m.id : m.title), median,
                        format_metric(*lo, m.unit), format_metric(*hi, m.unit),
                        has_baseline ? fmt::format(" {} |", m.baseline ? format_metric(*m.baseline, m.unit) : "—") : "");
    }
    md += "\n";
  }
  return md;
}

constexpr size_t k_lead_listed = 10;

// A failed category assertion's change against the base: the URL's category median and baseline.
std::string category_change(const gate::LighthouseAssertion& r, const std::vector<gate::LighthouseUrlStats>& urls) {
  if (r.audit_id != "categories") return {};
  for (const auto& u : urls) {
    if (u.url != r.url) continue;
    for (const auto& c : u.categories)
      if (c.id == r.audit_property && c.median && c.baseline) return score_delta(*c.median, *c.baseline) + " vs the base";
  }
  return {};
}

std::string failed_lead(const LighthouseSummaryInput& in, const std::vector<size_t>& failed) {
  std::vector<size_t> order = failed;
  std::stable_partition(order.begin(), order.end(), [&](size_t i) { return (*in.results)[i].level == "error"; });
  std::string md = fmt::format("#### Failed assertions ({})\n\n", failed.size());
  for (size_t n = 0; n < order.size() && n < k_lead_listed; ++n) {
    const auto& r = (*in.results)[order[n]];
    md += fmt::format("- {}<code>{}</code> {} {}, actual {}{}{}\n", r.level == "error" ? "" : "warning: ",
                      util::escape_html(r.audit()), util::escape_html(r.op), format_assertion_value(r.expected),
                      r.actual ? format_assertion_value(*r.actual) : "no value", category_change(r, *in.urls),
                      in.urls->size() > 1 ? " · " + code_name(util::truncate_utf8(r.url, 200)) : "");
  }
  if (order.size() > k_lead_listed) md += fmt::format("- …and {} more (below)\n", order.size() - k_lead_listed);
  return md + "\n";
}

} // namespace

std::string score_badge(double score) {
  const long points = std::lround(score * 100);
  return fmt::format("{} {}", points >= 90 ? "🟢" : points >= 50 ? "🟠" : "🔴", points);
}

std::string format_metric(double value, const std::string& unit) {
  if (unit == "millisecond") return value >= 1000 ? fmt::format("{:.1f} s", value / 1000) : fmt::format("{:.0f} ms", value);
  if (unit == "byte") return value >= 1024 ? fmt::format("{:.0f} KiB", value / 1024) : fmt::format("{:.0f} B", value);
  if (unit == "unitless") return fmt::format("{:.3f}", value);
  return format_assertion_value(value);
}

std::string format_assertion_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<long long>(value));
  if (std::fabs(value) >= 100) return fmt::format("{:.0f}", value);
  std::string s = fmt::format("{:.3f}", value);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string lighthouse_summary(const LighthouseSummaryInput& in) {
  std::string md;
  const auto& results = *in.results;
  std::vector<size_t> failed, passed;
  for (size_t i = 0; i < results.size(); ++i) (results[i].passed ? passed : failed).push_back(i);
  const bool list = in.options.list != SummaryList::none;
  if (!failed.empty() && list) md += failed_lead(in, failed);
  if (!in.config_label.empty()) md += fmt::format("Assertions from <code>{}</code>.\n\n", util::escape_html(in.config_label));
  for (const auto& u : *in.urls) md += url_section(u, in.has_baseline);
  const bool several_urls = in.urls->size() > 1;
  const auto location = [&](const gate::LighthouseAssertion& r) {
    return r.source == gate::AssertionSource::budgets ? where(in.budgets_location, r.line) : where(in.config_location, r.line);
  };

  if (!failed.empty() && list) {
    md += fmt::format("<details><summary>Failed assertions: every run's value ({})</summary>\n\n| {}Assertion | Level | Expected | Actual | Values | Aggregation |\n|{}---|---|---:|---:|---|---|\n",
                      failed.size(), several_urls ? "URL | " : "", several_urls ? "---|" : "");
    for (size_t n = 0; n < failed.size() && n < k_failed_rows; ++n) {
      const auto& r = results[failed[n]];
      std::string note = r.message;
      if (failed[n] < in.result_notes.size() && !in.result_notes[failed[n]].empty()) note = in.result_notes[failed[n]];
      std::string name = assertion_name(r);
      if (!note.empty()) name += fmt::format("<br>{}", util::escape_table_cell(note));
      const std::string loc = location(r);
      if (!loc.empty()) name += fmt::format("<br><sub>{}</sub>", util::escape_html(loc));
      md += fmt::format("| {}{} | {} {} | {} {} | {} | {} | {} |\n", several_urls ? util::escape_table_cell(r.url) + " | " : "", name,
                        r.level == "error" ? "❌" : "⚠️", util::escape_table_cell(r.level), util::escape_html(r.op),
                        format_assertion_value(r.expected), r.actual ? format_assertion_value(*r.actual) : "no value",
                        values_text(r.values), util::escape_table_cell(r.aggregation));
    }
    if (failed.size() > k_failed_rows)
      md += fmt::format("\n…and {} more failed assertions (all of them are in `--json`).\n", failed.size() - k_failed_rows);
    md += "\n</details>\n\n";
  }
  if (!passed.empty() && in.options.list == SummaryList::all) {
    md += fmt::format("<details><summary>Passed assertions ({})</summary>\n\n| {}Assertion | Level | Expected | Actual |\n|{}---|---|---:|---:|\n",
                      passed.size(), several_urls ? "URL | " : "", several_urls ? "---|" : "");
    for (size_t n = 0; n < passed.size() && n < k_passed_rows; ++n) {
      const auto& r = results[passed[n]];
      md += fmt::format("| {}{} | {} | {} {} | {} |\n", several_urls ? util::escape_table_cell(r.url) + " | " : "", assertion_name(r),
                        util::escape_table_cell(r.level), util::escape_html(r.op), format_assertion_value(r.expected),
                        r.actual ? format_assertion_value(*r.actual) : "—");
    }
    if (passed.size() > k_passed_rows) md += fmt::format("\n…and {} more.\n", passed.size() - k_passed_rows);
    md += "\n</details>\n\n";
  }
  if (in.warnings && !in.warnings->empty()) {
    md += fmt::format("#### Ignored by lhci ({})\n\nThe verdict is the same as `lhci assert`'s; these settings have no effect there:\n\n",
                      in.warnings->size());
    for (size_t n = 0; n < in.warnings->size() && n < k_warning_rows; ++n) {
      const auto& w = (*in.warnings)[n];
      const std::string loc = w.source == gate::AssertionSource::budgets ? where(in.budgets_location, w.line) : where(in.config_location, w.line);
      md += fmt::format("- ⚠️ {}{}\n", loc.empty() ? "" : fmt::format("<code>{}</code>: ", util::escape_html(loc)),
                        util::escape_markdown(w.message));
    }
    if (in.warnings->size() > k_warning_rows) md += fmt::format("- …and {} more.\n", in.warnings->size() - k_warning_rows);
  }
  return md;
}

} // namespace tollgate::publish
