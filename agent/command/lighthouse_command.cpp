#include "command/lighthouse_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <ostream>

#include "command/lighthouse_config.h"
#include "util/huge_pages.h"
#include "gate/lighthouse_assert.h"
#include "gate/lighthouse_budgets.h"
#include "gate/lighthouse_lint.h"
#include "gate/lighthouse_scores.h"
#include "publish/lighthouse_summary.h"
#include "report/lhr.h"
#include "report/lhr_file.h"
#include "report/lighthouse_baseline.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/json.h"
#include "util/parallel.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

namespace fs = std::filesystem;

// Where `lhci collect` leaves its results (saved-reports.js: .lighthouseci/lhr-<time>.json).
constexpr const char* k_default_reports = ".lighthouseci/lhr-*.json";
// Our own threshold: LHRs are read by more than one thread only when they hold at least this
// many bytes together (about 150 LHRs of real pages; tests/data/lighthouse/lh12 are 0.3–0.6 MB).
constexpr size_t k_parallel_bytes = size_t{64} << 20;
// What the runs read keep on the heap: about 80 KB an LHR of Lighthouse 12 (175 audits, their
// ids, titles and kept rows; 100 LHRs from tests/data/lighthouse/lh12 keep about 8 MB, whether or
// not they hold screenshots), plus what larger details add; reserved with some room.
constexpr size_t k_heap_bytes_per_lhr = size_t{96} << 10;
constexpr size_t k_lhr_bytes_per_heap_byte = 16;
// And simdjson's parser for LHRs up to 2 MB (report/lhr_simd.cpp): 8 MB of structural indexes and
// 3.4 MB for strings, served from the same heap (its 16 MB tape gets a mapping of its own).
constexpr size_t k_parser_heap_bytes = size_t{12} << 20;
// The categories offered as step outputs, by their ids in Lighthouse 10–13.
constexpr const char* k_output_categories[] = {"performance", "accessibility", "best-practices", "seo"};

// A path inside the repository, '/'-separated, or "" when the file lies outside it.
std::string repo_relative(const std::string& path, const std::string& repo_root) {
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path root = fs::weakly_canonical(fs::path(repo_root), ec);
  const fs::path rel = absolute.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return {};
  return rel.generic_string();
}

// Files parse in parallel (an LHR is 0.3–1 MB, and lhci collects three runs a URL); the runs keep
// the order of the paths, and the first bad file in that order is the error reported.
// lhci's LHR_REGEX (saved-reports.js): the only names it reads from .lighthouseci/.
bool lhci_reads(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  if (name.size() <= 9 || name.compare(0, 4, "lhr-") != 0 || !util::ends_with(name, ".json")) return false;
  return std::all_of(name.begin() + 4, name.end() - 5, [](char c) { return c >= '0' && c <= '9'; });
}

// The files' size together (what a file that cannot be sized adds is left to reading it to say).
size_t total_bytes(const std::vector<std::string>& paths) {
  size_t total = 0;
  for (const auto& path : paths) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (!ec) total += static_cast<size_t>(size);
  }
  return total;
}

// Without --report, only the files lhci itself reads (lhr-<digits>.json), so that a
// .lighthouseci/lhr-baseline.json left there does not join the runs lhci asserts on.
std::vector<model::LighthouseRun> read_runs(const std::vector<std::string>& patterns, bool lhci_names_only,
                                            std::ostream& log, const std::string& workspace) {
  std::vector<std::string> literal;
  for (const auto& p : patterns)
    if (!util::is_glob_pattern(p)) literal.push_back(p);
  std::vector<std::string> paths;
  for (auto& path : util::expand_report_patterns(patterns, workspace)) {
    if (!lhci_names_only || lhci_reads(path)) paths.push_back(std::move(path));
    else log << fmt::format("tollgate: {}: skipped (lhci assert reads only lhr-<digits>.json)\n", util::sanitize_utf8(path));
  }
  std::vector<std::optional<model::LighthouseRun>> parsed(paths.size());
  const size_t input_bytes = total_bytes(paths);
  // One thread below k_parallel_bytes: a second one reads no faster per byte, and its own file
  // buffer, simdjson parser and malloc arena are fresh pages to fault in, which on a hundred LHRs
  // cost more CPU time than the thread saves in wall time (docs/lighthouse.md, "Speed").
  const unsigned threads = input_bytes >= k_parallel_bytes ? 4 : 1;
  util::reserve_huge_heap(paths.size() * k_heap_bytes_per_lhr + input_bytes / k_lhr_bytes_per_heap_byte + k_parser_heap_bytes);
  util::parallel_for(paths.size(), [&](size_t i) {
    thread_local report::LhrFileBuffer buffer; // reused: no fresh pages for every file
    std::optional<std::string> error;
    const std::string_view bytes = buffer.read(paths[i], error);
    if (error) throw util::InputError(*error);
    // A glob over .lighthouseci/ also finds lhci's assertion-results.json and links.json.
    const bool named = std::find(literal.begin(), literal.end(), paths[i]) != literal.end();
    if (!named && !report::looks_like_lhr(bytes)) return;
    auto run = report::parse_lhr_padded(bytes);
    if (!run) throw util::InputError(util::describe(paths[i], run.error()));
    run->source = paths[i];
    parsed[i] = std::move(*run);
  }, threads);
  std::vector<model::LighthouseRun> runs;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (parsed[i]) {
      runs.push_back(std::move(*parsed[i]));
    } else {
      log << fmt::format("tollgate: {}: not a Lighthouse result, skipped\n", util::sanitize_utf8(paths[i]));
    }
  }
  if (runs.empty()) throw util::InputError("lighthouse: the reports hold no Lighthouse results (LHR JSON)");
  return runs;
}

std::string title_of(const std::vector<gate::LighthouseUrlStats>& urls, size_t runs,
                     const std::vector<gate::LighthouseAssertion>& results) {
  size_t errors = 0, warnings = 0;
  for (const auto& r : results) {
    if (r.passed) continue;
    (r.level == "error" ? errors : warnings)++;
  }
  std::string title = fmt::format("{} URL{}, {} run{}: ", urls.size(), urls.size() == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
  if (errors + warnings == 0) title += fmt::format("all {} assertion{} passed", results.size(), results.size() == 1 ? "" : "s");
  else if (warnings == 0) title += fmt::format("{} of {} assertions failed", errors, results.size());
  else if (errors == 0) title += fmt::format("{} of {} assertions warned, none failed", warnings, results.size());
  else title += fmt::format("{} of {} assertions failed, {} warned", errors, results.size(), warnings);
  if (urls.size() == 1)
    for (const auto& c : urls.front().categories)
      if (c.id == "performance" && c.median) title += fmt::format(" · performance {}", std::lround(*c.median * 100));
  return title;
}

void write_number_or_null(util::JsonWriter& w, const std::optional<double>& v) {
  if (v && std::isfinite(*v)) w.Double(*v);
  else w.Null();
}

void write_json(util::JsonWriter& w, const std::vector<gate::LighthouseUrlStats>& urls,
                const std::vector<gate::LighthouseAssertion>& results, const std::vector<gate::LighthouseWarning>& warnings,
                const std::string& config_path) {
  w.Key("urls");
  w.StartArray();
  for (const auto& u : urls) {
    w.StartObject();
    w.Key("url"); util::write_string(w, u.url);
    w.Key("runs"); w.Uint64(u.runs);
    w.Key("lighthouse_version"); util::write_string(w, u.lighthouse_version);
    for (const auto* group : {&u.categories, &u.metrics}) {
      w.Key(group == &u.categories ? "categories" : "metrics");
      w.StartObject();
      for (const auto& s : *group) {
        util::write_key(w, s.id);
        write_number_or_null(w, s.median);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("assertions");
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("url"); util::write_string(w, r.url);
    w.Key("audit"); util::write_string(w, r.audit());
    w.Key("option"); util::write_string(w, r.name);
    w.Key("level"); util::write_string(w, r.level);
    w.Key("operator"); util::write_string(w, r.op);
    w.Key("expected"); write_number_or_null(w, r.expected);
    w.Key("actual"); write_number_or_null(w, r.actual);
    w.Key("values");
    w.StartArray();
    for (const auto& v : r.values) write_number_or_null(w, v);
    w.EndArray();
    w.Key("passed"); w.Bool(r.passed);
    w.Key("aggregation"); util::write_string(w, r.aggregation);
    if (!r.message.empty()) { w.Key("message"); util::write_string(w, r.message); }
    if (r.line > 0 && r.source != gate::AssertionSource::budgets) { w.Key("config_line"); w.Int(r.line); }
    w.EndObject();
  }
  w.EndArray();
  w.Key("config"); util::write_string(w, config_path);
  w.Key("ignored_by_lhci");
  w.StartArray();
  for (const auto& warning : warnings) {
    w.StartObject();
    w.Key("line"); w.Int(warning.line);
    w.Key("message"); util::write_string(w, warning.message);
    w.EndObject();
  }
  w.EndArray();
}

class LighthouseCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    app.add_option("--baseline", m_baseline, "A lighthouse --json result from the base branch: show the change of each median");
  }

  model::Outcome run(Context& ctx) override {
    std::ostream& log = ctx.log ? *ctx.log : std::clog;
    if (!ctx.common.format.empty() && ctx.common.format != "lhr")
      throw util::InputError(fmt::format("lighthouse: --format {}: the only format is lhr (Lighthouse result JSON)", ctx.common.format));
    const bool by_default = ctx.common.reports.empty();
    const std::vector<std::string> patterns = by_default ? std::vector<std::string>{k_default_reports} : ctx.common.reports;
    const std::vector<model::LighthouseRun> runs = read_runs(patterns, by_default, log, ctx.repo_root);
    // The Tollgate config counts only when it has a `lighthouse:` section.
    const YAML::Node& tollgate_config = ctx.config;
    const bool tollgate_section = tollgate_config.IsMap() && tollgate_config["lighthouse"].IsDefined();
    const LighthouseConfig config =
        load_lighthouse_config(ctx.common.config_path, tollgate_section ? ctx.config_path : std::string());

    gate::LighthouseAssertInput input;
    input.options = config.options;
    input.budgets = config.budgets ? &*config.budgets : nullptr;
    input.preset_line = config.preset_line;
    // A malformed budgets file is named as itself; every other error is the rc's.
    if (config.budgets)
      if (auto converted = gate::budgets_to_assert_options(*config.budgets); !converted)
        throw util::InputError(util::describe(config.budgets_path, converted.error()));
    auto verdict = gate::assert_lighthouse(input, runs);
    if (!verdict) throw util::InputError(util::describe(config.path, verdict.error()));
    const std::vector<gate::LighthouseWarning> warnings =
        gate::lint_lighthouse(input, config.assert_section ? &*config.assert_section : nullptr, runs, *verdict);

    std::vector<gate::LighthouseUrlStats> urls = gate::lighthouse_url_stats(runs);
    if (!m_baseline.empty()) {
      auto bytes = util::read_file(m_baseline);
      if (!bytes) throw util::InputError(bytes.error());
      auto base = report::parse_lighthouse_baseline(*bytes);
      if (!base) throw util::InputError(util::describe(m_baseline, base.error()));
      gate::apply_lighthouse_baseline(urls, *base);
    }

    const std::string config_in_repo = repo_relative(config.path, ctx.repo_root);
    const std::string budgets_in_repo = config.budgets_path.empty() ? "" : repo_relative(config.budgets_path, ctx.repo_root);
    model::Outcome outcome;
    outcome.command = "lighthouse";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Lighthouse", ctx.leg) : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/lighthouse", ctx.leg);
    outcome.passed = verdict->passed;
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = title_of(urls, runs.size(), verdict->results);

    publish::LighthouseSummaryInput summary;
    summary.urls = &urls;
    summary.results = &verdict->results;
    summary.warnings = &warnings;
    for (const auto& r : verdict->results) summary.result_notes.push_back(gate::explain_missing_audit(r, runs));
    summary.config_label = config.path + (config.preset.empty() ? "" : " (preset " + config.preset + ")");
    summary.config_location = config_in_repo.empty() ? config.path : config_in_repo;
    summary.budgets_location = budgets_in_repo.empty() ? config.budgets_path : budgets_in_repo;
    summary.has_baseline = !m_baseline.empty();
    summary.options = summary_options(ctx);
    outcome.summary = publish::lighthouse_summary(summary);

    // Error-level assertions are the gates; warn-level ones never fail the build.
    for (size_t i = 0; i < verdict->results.size(); ++i) {
      const auto& r = verdict->results[i];
      if (r.level == "error") {
        // No value is "not measured" (actual null in --json), never 0; the verdict stays lhci's.
        model::Gate g{fmt::format("{} {} {}", r.url, r.audit(), r.name), r.expected, r.actual.value_or(0), r.passed,
                      r.actual ? "" : "no value"};
        g.measured = r.actual.has_value();
        outcome.gates.push_back(std::move(g));
      }
      if (r.passed) continue;
      model::Finding f;
      const std::string& file = r.source == gate::AssertionSource::budgets ? budgets_in_repo : config_in_repo;
      if (!file.empty() && r.line > 0) {
        f.path = file;
        f.start_line = f.end_line = r.line;
      }
      f.level = r.level == "error" ? model::Level::failure : model::Level::warning;
      f.title = fmt::format("Lighthouse {} {} on {}", r.audit(), r.name, r.url);
      const std::string note = !summary.result_notes[i].empty() ? summary.result_notes[i] : r.message;
      f.message = fmt::format("expected {} {}, found {} ({} of {}: {}){}", r.op, publish::format_assertion_value(r.expected),
                              r.actual ? publish::format_assertion_value(*r.actual) : "no value", r.aggregation,
                              r.values.size() == 1 ? "1 run" : fmt::format("{} runs", r.values.size()), [&] {
                                std::string v;
                                for (const auto& x : r.values)
                                  v += fmt::format("{}{}", v.empty() ? "" : ", ", x ? publish::format_assertion_value(*x) : "—");
                                return v;
                              }(), note.empty() ? "" : ". " + note);
      outcome.findings.push_back(std::move(f));
    }
    for (const auto& w : warnings) {
      model::Finding f;
      const std::string& file = w.source == gate::AssertionSource::budgets ? budgets_in_repo : config_in_repo;
      if (!file.empty() && w.line > 0) {
        f.path = file;
        f.start_line = f.end_line = w.line;
      }
      f.level = model::Level::warning;
      f.title = "Ignored by lhci assert";
      f.message = w.message;
      outcome.findings.push_back(std::move(f));
    }

    for (const char* id : k_output_categories) {
      std::string value;
      if (!urls.empty())
        for (const auto& c : urls.front().categories)
          if (c.id == id && c.median) value = std::to_string(std::lround(*c.median * 100));
      outcome.outputs.emplace_back(id, value);
    }
    outcome.outputs.emplace_back("scores", scores_json(urls));
    size_t failed = 0;
    for (const auto& r : verdict->results) failed += !r.passed;
    outcome.outputs.emplace_back("failed-assertions", std::to_string(failed));

    outcome.write_json_extra = [urls, results = verdict->results, warnings, path = summary.config_location](util::JsonWriter& w) {
      write_json(w, urls, results, warnings, path);
    };
    return outcome;
  }

private:
  // {"<url>": {"performance": 95, ...}}: every URL's scores (0–100) for later steps.
  static std::string scores_json(const std::vector<gate::LighthouseUrlStats>& urls) {
    rapidjson::StringBuffer buffer;
    util::JsonWriter w(buffer);
    w.StartObject();
    for (const auto& u : urls) {
      util::write_key(w, u.url);
      w.StartObject();
      for (const auto& c : u.categories) {
        util::write_key(w, c.id);
        if (c.median) w.Int64(std::lround(*c.median * 100));
        else w.Null();
      }
      w.EndObject();
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  std::string m_baseline;
};

} // namespace

std::unique_ptr<Command> make_lighthouse_command() { return std::make_unique<LighthouseCommand>(); }

} // namespace tollgate::command
