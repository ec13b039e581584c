#include "publish/probe_summary.h"

#include "probe/duration.h"
#include "util/text.h"

#include <fmt/format.h>

namespace tollgate::publish {

namespace {

const char* verdict_icon(const probe::ProbeResult& r) {
  if (r.verdict == probe::Verdict::inconclusive) return r.passed ? "⚪" : "❔";
  return r.passed ? "✅" : "❌";
}

std::string sample_offset(int64_t ms) {
  return fmt::format("+{:.1f} s", static_cast<double>(ms) / 1000.0);
}

// Untrusted text as inline code that survives a table cell.
std::string code(std::string_view text) {
  return "<code>" + util::escape_table_cell(text) + "</code>";
}

// A link to a URL the API returned; anything that is not a plain http(s) URL is shown as code.
std::string link(std::string_view text, std::string_view url) {
  const bool plain = (util::starts_with(url, "https://") || util::starts_with(url, "http://")) &&
                     url.find_first_of(" \t\r\n<>()[]\"'`") == std::string_view::npos;
  if (!plain) return code(url);
  return fmt::format("[{}]({})", util::escape_markdown(text), url);
}

} // namespace

std::string format_latency(const std::optional<double>& ms) {
  if (!ms) return "–";
  if (*ms < 1000) return fmt::format("{:.0f} ms", *ms);
  return fmt::format("{:.2f} s", *ms / 1000.0);
}

std::string probe_title(const std::vector<probe::ProbeResult>& results) {
  size_t passed = 0, failed = 0, inconclusive = 0;
  for (const auto& r : results) {
    if (r.verdict == probe::Verdict::inconclusive)
      ++inconclusive;
    else if (r.passed)
      ++passed;
    else
      ++failed;
  }
  const size_t n = results.size();
  if (passed == n) return n == 1 ? "1 probe passed" : fmt::format("{} probes, all passed", n);
  std::string title = fmt::format("{} probe{}", n, n == 1 ? "" : "s");
  if (passed) title += fmt::format(", {} passed", passed);
  if (failed) title += fmt::format(", {} failed", failed);
  if (inconclusive) title += fmt::format(", {} inconclusive", inconclusive);
  return title;
}

namespace {

// Up to this many probes the table shows every one; past it, --summary-list failed shows the
// failing ones only (a screen of rows), and --summary-list all every one.
constexpr size_t k_probes_all_rows = 20;

bool is_full_sha(std::string_view ref) {
  return ref.size() == 40 && ref.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The ref rolled back to: as the user named it (--to-ref), or the last good deployment's commit,
// short and linked, never the raw 40 characters.
std::string target_ref(const RollbackSummary& r, const ReviewLinks& links) {
  if (!is_full_sha(r.to_ref)) return code(r.to_ref);
  ReviewLinks at = links;
  at.sha = r.to_ref;
  const std::string url = commit_url(at);
  const std::string shown = fmt::format("`{}`", short_sha(r.to_ref));
  return (url.empty() ? shown : fmt::format("[{}]({})", shown, url)) + " (the last successful deployment)";
}

std::string percentile_cell(const probe::ProbeResult& r, const std::optional<double>& v, size_t needed) {
  if (r.samples.size() < needed) return fmt::format("— ({} sample{})", r.samples.size(), r.samples.size() == 1 ? "" : "s");
  return format_latency(v);
}

} // namespace

std::string rollback_summary(const RollbackSummary& r, const ReviewLinks& links) {
  if (!r.requested) return {};
  std::string md;
  if (r.marked_failed)
    md += fmt::format("**Deployment {} to {} was marked failed.**", r.deployment_id, code(r.environment));
  const std::string to = r.to_ref.empty() ? "" : " to " + target_ref(r, links);
  const std::string run = r.run_url.empty() ? "" : ": " + link("rollback run", r.run_url);
  if (r.dispatched)
    md += fmt::format("{}**Rollback{} dispatched**{}.", md.empty() ? "" : " ", to, run);
  else if (r.already)
    md += fmt::format("{}Rollback{} already dispatched{} ({}).", md.empty() ? "" : " ", to, run,
                      util::escape_markdown(r.note));
  else
    md += fmt::format("{}**No rollback was dispatched**{}.", md.empty() ? "" : " ",
                      r.note.empty() ? "" : " — " + util::escape_markdown(r.note));
  return md + "\n\n";
}

std::string probe_summary(const std::vector<probe::ProbeResult>& results, const RollbackSummary& rollback,
                          const SummaryOptions& options) {
  std::string md = rollback_summary(rollback, options.links);
  const bool list = options.list != SummaryList::none;
  size_t failing = 0;
  for (const auto& r : results) failing += !r.passed;
  if (failing && list) {
    md += fmt::format("#### Failing probes ({})\n\n", failing);
    for (const auto& r : results) {
      if (r.passed) continue;
      md += fmt::format("- **{}**{} — {}: {} · {} of {} samples failed\n", util::escape_markdown(r.name),
                        r.name == r.shown_url ? "" : " " + code_name(r.shown_url), probe::to_string(r.verdict),
                        util::escape_markdown(r.reason), r.failures + r.errors, r.samples.size());
    }
    md += "\n";
  }
  size_t most = 0;
  for (const auto& r : results) most = std::max(most, r.samples.size());
  const bool p95 = most >= k_p95_min_samples, p99 = most >= k_p99_min_samples;
  md += fmt::format("| Probe | Samples | Failures | Errors | p50 |{}{} Verdict |\n|---|---:|---:|---:|---:|{}{}---|\n",
                    p95 ? " p95 |" : "", p99 ? " p99 |" : "", p95 ? "---:|" : "", p99 ? "---:|" : "");
  for (const auto& r : results) {
    if (r.passed && options.list == SummaryList::failed && results.size() > k_probes_all_rows) continue;
    const std::string name =
        r.name == r.shown_url
            ? code(r.name)
            : fmt::format("{}<br>{}", util::escape_table_cell(r.name), code(r.shown_url));
    md += fmt::format("| {} | {} | {} | {} | {} |{}{} {} {} — {} |\n", name, r.samples.size(), r.failures, r.errors,
                      r.samples.empty() ? "–" : format_latency(r.percentiles.p50),
                      p95 ? " " + percentile_cell(r, r.percentiles.p95, k_p95_min_samples) + " |" : "",
                      p99 ? " " + percentile_cell(r, r.percentiles.p99, k_p99_min_samples) + " |" : "", verdict_icon(r),
                      probe::to_string(r.verdict), util::escape_table_cell(r.reason));
  }
  if (!p95 && most > 0)
    md += fmt::format("\nLatency percentiles: p50 only — p95 needs {} samples and p99 {}, the most any probe took is {}.\n",
                      k_p95_min_samples, k_p99_min_samples, most);
  if (!list) return md;
  for (const auto& r : results) {
    std::vector<const probe::Sample*> bad;
    for (const auto& s : r.samples)
      if (s.kind != probe::SampleKind::success) bad.push_back(&s);
    if (bad.empty()) continue;
    md += fmt::format("\n<details><summary>{}: {} failing sample{}</summary>\n\n",
                      util::escape_html(r.name), bad.size(), bad.size() == 1 ? "" : "s");
    md += "| # | At | Status | Latency | Kind | Reason |\n|---:|---:|---:|---:|---|---|\n";
    for (size_t i = 0; i < bad.size() && i < k_failing_samples_shown; ++i) {
      const auto& s = *bad[i];
      md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", s.index, sample_offset(s.started_ms),
                        s.status ? std::to_string(s.status) : "–", format_latency(s.latency_ms),
                        probe::to_string(s.kind), util::escape_table_cell(s.reason));
    }
    if (bad.size() > k_failing_samples_shown)
      md += fmt::format("\n{} more failing sample(s) not shown.\n",
                        bad.size() - k_failing_samples_shown);
    md += "\n</details>\n";
  }
  return md;
}

namespace {

void write_optional(util::JsonWriter& w, const char* key, const std::optional<double>& v) {
  w.Key(key);
  if (v)
    w.Double(*v);
  else
    w.Null();
}

} // namespace

void write_probes_json(util::JsonWriter& w, const std::vector<probe::ProbeResult>& results) {
  w.Key("probes");
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("name");
    util::write_string(w, r.name);
    w.Key("url");
    util::write_string(w, r.shown_url);
    w.Key("samples");
    w.Uint64(r.samples.size());
    w.Key("failures");
    w.Int(r.failures);
    w.Key("errors");
    w.Int(r.errors);
    write_optional(w, "p50_ms", r.percentiles.p50);
    write_optional(w, "p95_ms", r.percentiles.p95);
    write_optional(w, "p99_ms", r.percentiles.p99);
    w.Key("verdict");
    w.String(probe::to_string(r.verdict));
    w.Key("passed");
    w.Bool(r.passed);
    w.Key("reason");
    util::write_string(w, r.reason);
    w.Key("sample_log");
    w.StartArray();
    for (const auto& s : r.samples) {
      w.StartObject();
      w.Key("index");
      w.Int(s.index);
      w.Key("started_ms");
      w.Int64(s.started_ms);
      w.Key("kind");
      w.String(probe::to_string(s.kind));
      w.Key("status");
      w.Int(s.status);
      w.Key("latency_ms");
      w.Double(s.latency_ms);
      if (!s.reason.empty()) {
        w.Key("reason");
        util::write_string(w, s.reason);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void write_rollback_json(util::JsonWriter& w, const RollbackSummary& r) {
  w.Key("rollback");
  w.StartObject();
  w.Key("requested");
  w.Bool(r.requested);
  w.Key("dispatched");
  w.Bool(r.dispatched);
  w.Key("already_dispatched");
  w.Bool(r.already);
  w.Key("run_url");
  if (r.run_url.empty())
    w.Null();
  else
    util::write_string(w, r.run_url);
  if (r.deployment_id) {
    w.Key("deployment_id");
    w.Int64(r.deployment_id);
  }
  if (!r.environment.empty()) {
    w.Key("environment");
    util::write_string(w, r.environment);
  }
  if (!r.to_ref.empty()) {
    w.Key("to_ref");
    util::write_string(w, r.to_ref);
  }
  if (!r.dedupe_key.empty()) {
    w.Key("dedupe_key");
    util::write_string(w, r.dedupe_key);
  }
  if (!r.note.empty()) {
    w.Key("note");
    util::write_string(w, r.note);
  }
  w.EndObject();
}

} // namespace tollgate::publish
