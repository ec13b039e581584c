#include "command/coverage_command.h"

#include "gate/coverage_gate.h"
#include "publish/coverage_summary.h"
#include "report/coverage_baseline.h"
#include "report/coverage_file.h"
#include "report/coverage_paths.h"
#include "report/coverage_report.h"
#include "runner/git.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Everything the --json writer needs, shared so the outcome can be copied cheaply.
struct CoverageResult {
  report::MergedCoverage merged;
  model::CoverageCounts totals;
  std::optional<gate::PatchCoverage> patch;
  std::optional<double> baseline_line_pct;
};

void write_counts(util::JsonWriter& w, const model::CoverageCounts& c) {
  w.Key("lines");
  w.Uint64(c.lines);
  w.Key("lines_covered");
  w.Uint64(c.lines_covered);
  w.Key("line_pct");
  w.Double(c.line_pct());
  w.Key("branches");
  w.Uint64(c.branches);
  w.Key("branches_covered");
  w.Uint64(c.branches_covered);
  w.Key("branch_pct");
  w.Double(c.branch_pct());
}

// SPEC §4 totals/patch/files, plus what `tollgate merge` needs to merge legs again
// (coverage_data: per file the line hits and branches; docs/coverage.md describes it).
void write_coverage_json(util::JsonWriter& w, const CoverageResult& r) {
  w.Key("totals");
  w.StartObject();
  write_counts(w, r.totals);
  w.EndObject();
  if (r.patch) {
    w.Key("patch");
    w.StartObject();
    w.Key("lines");
    w.Uint64(r.patch->lines);
    w.Key("lines_covered");
    w.Uint64(r.patch->lines_covered);
    w.Key("pct");
    w.Double(r.patch->pct());
    w.Key("changed_lines");
    w.Uint64(r.patch->changed_lines);
    w.Key("files");
    w.StartArray();
    for (const auto& f : r.patch->files) {
      w.StartObject();
      w.Key("path");
      util::write_string(w, f.path);
      w.Key("lines");
      w.Uint64(f.lines);
      w.Key("lines_covered");
      w.Uint64(f.lines_covered);
      w.Key("uncovered_lines");
      w.StartArray();
      for (const uint32_t l : f.uncovered)
        w.Uint(l);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  if (r.baseline_line_pct) {
    w.Key("baseline");
    w.StartObject();
    w.Key("line_pct");
    w.Double(*r.baseline_line_pct);
    w.EndObject();
  }
  w.Key("files");
  w.StartArray();
  for (const auto& f : r.merged.files) {
    const auto c = model::count_coverage(f);
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("lines");
    w.Uint64(c.lines);
    w.Key("lines_covered");
    w.Uint64(c.lines_covered);
    w.Key("branches");
    w.Uint64(c.branches);
    w.Key("branches_covered");
    w.Uint64(c.branches_covered);
    w.EndObject();
  }
  w.EndArray();
  w.Key("outside_repository");
  w.StartArray();
  for (const auto& p : r.merged.outside)
    util::write_string(w, p);
  w.EndArray();
  w.Key("coverage_data");
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("files");
  w.StartArray();
  for (const auto& f : r.merged.files) {
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("lines");
    w.StartArray();
    for (const auto& l : f.lines) {
      w.StartArray();
      w.Uint(l.line);
      w.Uint(l.hits);
      w.EndArray();
    }
    w.EndArray();
    w.Key("branches");
    w.StartArray();
    for (const auto& b : f.branches) {
      w.StartArray();
      w.Uint(b.line);
      w.Uint(b.block);
      w.Uint(b.branch);
      w.Uint(b.hits);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string config_error(const Context& ctx, const std::string& key, const std::string& what) {
  return fmt::format("{}: coverage.{}: {}", ctx.config_path, key, what);
}

double config_pct(const Context& ctx, const YAML::Node& node, const std::string& key) {
  try {
    const double v = node.as<double>();
    if (!(v >= 0 && v <= 100))
      throw util::InputError(config_error(ctx, key, "must be a percentage from 0 to 100"));
    return v;
  } catch (const YAML::Exception&) {
    throw util::InputError(config_error(ctx, key, "must be a number"));
  }
}

std::string percent_output(double v) {
  return fmt::format("{:.2f}", v);
}

class CoverageCommand final : public Command {
public:
  void add_options(CLI::App& app) override {
    const auto pct = CLI::Range(0.0, 100.0);
    m_min_line_opt =
        app.add_option("--min-line", m_min_line, "Fail below this total line coverage (percent)")
            ->check(pct);
    m_min_branch_opt = app.add_option("--min-branch", m_min_branch,
                                      "Fail below this total branch coverage (percent)")
                           ->check(pct);
    m_min_file_opt = app.add_option("--min-file", m_min_file,
                                    "Fail when any file's line coverage is below this (percent); "
                                    "per-path overrides in the config")
                         ->check(pct);
    m_min_patch_opt =
        app.add_option("--min-patch", m_min_patch,
                       "Fail below this coverage of the executable changed lines (percent)")
            ->check(pct);
    m_max_drop_opt =
        app.add_option("--max-drop", m_max_drop,
                       "Fail when line coverage drops more than this many points below --baseline")
            ->check(pct);
    app.add_option(
        "--baseline", m_baseline,
        "A coverage --json result from the base branch, for --max-drop and the delta in the title");
    app.add_option(
        "--base", m_base,
        "Base revision for changed lines: git diff BASE...HEAD (default: the pull request's base)");
    app.add_option("--annotate", m_annotate,
                   "all (default): annotate uncovered changed lines as ranges; none")
        ->check(CLI::IsMember({"all", "none"}));
    app.add_option("--path-map", m_path_maps,
                   "FROM=TO: report paths starting with FROM start with TO instead; repeatable")
        ->take_all();
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty()) throw util::InputError("coverage: give at least one --report");
    gate::CoverageGateOptions gates = gate_options(ctx);
    report::CoveragePathOptions path_options = path_mappings(ctx);

    std::vector<model::CoverageReport> reports;
    for (const auto& path : util::expand_report_patterns(ctx.common.reports)) {
      auto parsed = report::read_coverage_file(path, ctx.common.format);
      if (!parsed) throw util::InputError(parsed.error());
      reports.push_back(std::move(*parsed));
    }

    const report::RepoPaths paths(ctx.repo_root, runner::git_ls_files(ctx.repo_root));
    if (auto go_mod = util::read_file(ctx.repo_root + "/go.mod"))
      path_options.go_module = report::go_module_of(*go_mod);
    auto result = std::make_shared<CoverageResult>();
    result->merged = report::merge_coverage(std::move(reports), paths, path_options);
    for (const auto& f : result->merged.files)
      result->totals += model::count_coverage(f);

    // The base: --base, else the pull request's base commit.
    const std::string base = !m_base.empty()                      ? m_base
                             : ctx.actions.event.pull_request > 0 ? ctx.actions.event.base_sha
                                                                  : "";
    if (!base.empty()) {
      if (!paths.has_file_list())
        throw util::InputError(
            fmt::format("--base {}: {} is not a git checkout, so there are no changed lines", base,
                        ctx.repo_root));
      result->patch =
          gate::compute_patch(result->merged.files, runner::git_changed_lines(ctx.repo_root, base));
    }

    std::string baseline_note;
    if (!m_baseline.empty()) {
      std::error_code ec;
      if (!std::filesystem::exists(m_baseline, ec)) {
        // The first run of a repository has no baseline yet: the drop gate says so and passes.
        baseline_note = fmt::format(
            "--baseline {} does not exist (no result from the base branch yet)", m_baseline);
      } else {
        auto bytes = util::read_file(m_baseline);
        if (!bytes) throw util::InputError(bytes.error());
        auto baseline = report::parse_coverage_baseline(*bytes);
        if (!baseline) throw util::InputError(util::describe(m_baseline, baseline.error()));
        result->baseline_line_pct = baseline->line_pct;
      }
    }
    gates.baseline_line_pct = result->baseline_line_pct;

    const gate::PatchCoverage* patch = result->patch ? &*result->patch : nullptr;
    gate::CoverageDecision decision =
        gate::decide_coverage(result->totals, result->merged.files, patch, gates);
    if (!baseline_note.empty())
      for (auto& g : decision.gates)
        if (g.name == "coverage drop") g.detail = baseline_note;

    model::Outcome outcome;
    outcome.command = "coverage";
    outcome.check_name = ctx.common.check_name.empty() ? runner::with_leg("Coverage", ctx.leg)
                                                       : ctx.common.check_name;
    outcome.status_context = runner::with_leg("tollgate/coverage", ctx.leg);
    outcome.gates = std::move(decision.gates);
    outcome.passed = std::all_of(outcome.gates.begin(), outcome.gates.end(),
                                 [](const auto& g) { return g.passed; });
    outcome.conclusion = outcome.passed ? model::Conclusion::success : model::Conclusion::failure;
    outcome.title = gate::coverage_title(result->totals, result->baseline_line_pct, patch);

    if (patch && m_annotate == "all") {
      const bool patch_failed =
          std::any_of(outcome.gates.begin(), outcome.gates.end(),
                      [](const auto& g) { return g.name == "patch coverage" && !g.passed; });
      outcome.findings = gate::uncovered_findings(*patch, patch_failed ? model::Level::failure
                                                                       : model::Level::warning);
    }

    publish::CoverageSummaryInput summary;
    summary.totals = result->totals;
    summary.baseline_line_pct = result->baseline_line_pct;
    summary.patch = patch;
    summary.files = &result->merged.files;
    summary.outside = &result->merged.outside;
    summary.files_below = &decision.files_below;
    summary.gates = &outcome.gates;
    summary.base = base;
    outcome.summary = publish::coverage_summary(summary);

    outcome.outputs = {{"line-coverage", percent_output(result->totals.line_pct())},
                       {"branch-coverage", percent_output(result->totals.branch_pct())},
                       {"patch-coverage", patch ? percent_output(patch->pct()) : ""}};
    outcome.write_json_extra = [result](util::JsonWriter& w) { write_coverage_json(w, *result); };
    return outcome;
  }

private:
  // Command-line gates win over the config's `coverage:` section.
  gate::CoverageGateOptions gate_options(const Context& ctx) const {
    gate::CoverageGateOptions o;
    const YAML::Node config = ctx.config.IsMap() ? ctx.config["coverage"] : YAML::Node();
    if (config && !config.IsNull() && !config.IsMap())
      throw util::InputError(fmt::format("{}: coverage: must be a mapping", ctx.config_path));
    const auto pick = [&](CLI::Option* opt, double value,
                          const char* key) -> std::optional<double> {
      if (opt && opt->count()) return value;
      if (config && config[key] && !config[key].IsMap()) return config_pct(ctx, config[key], key);
      return std::nullopt;
    };
    o.min_line = pick(m_min_line_opt, m_min_line, "min-line");
    o.min_branch = pick(m_min_branch_opt, m_min_branch, "min-branch");
    o.min_file = pick(m_min_file_opt, m_min_file, "min-file");
    o.min_patch = pick(m_min_patch_opt, m_min_patch, "min-patch");
    o.max_drop = pick(m_max_drop_opt, m_max_drop, "max-drop");
    if (config && config["min-file"] && config["min-file"].IsMap()) {
      for (const auto& entry : config["min-file"]) {
        std::string pattern;
        try {
          pattern = entry.first.as<std::string>();
        } catch (const YAML::Exception&) {
          throw util::InputError(config_error(ctx, "min-file", "keys must be path globs"));
        }
        o.file_thresholds.push_back(
            {pattern, config_pct(ctx, entry.second, "min-file." + pattern)});
      }
    }
    return o;
  }

  report::CoveragePathOptions path_mappings(const Context& ctx) const {
    report::CoveragePathOptions o;
    std::vector<std::string> specs = m_path_maps;
    const YAML::Node config = ctx.config.IsMap() ? ctx.config["coverage"] : YAML::Node();
    if (config && config.IsMap() && config["path-map"]) {
      const YAML::Node maps = config["path-map"];
      try {
        if (maps.IsSequence()) {
          for (const auto& m : maps)
            specs.push_back(m.as<std::string>());
        } else {
          specs.push_back(maps.as<std::string>());
        }
      } catch (const YAML::Exception&) {
        throw util::InputError(
            config_error(ctx, "path-map", "must be a FROM=TO string or a list of them"));
      }
    }
    for (const auto& spec : specs) {
      auto m = report::parse_path_mapping(spec);
      if (!m) throw util::InputError(fmt::format("--path-map '{}': {}", spec, m.error()));
      o.mappings.push_back(std::move(*m));
    }
    return o;
  }

  double m_min_line = 0, m_min_branch = 0, m_min_file = 0, m_min_patch = 0, m_max_drop = 0;
  CLI::Option* m_min_line_opt = nullptr;
  CLI::Option* m_min_branch_opt = nullptr;
  CLI::Option* m_min_file_opt = nullptr;
  CLI::Option* m_min_patch_opt = nullptr;
  CLI::Option* m_max_drop_opt = nullptr;
  std::string m_baseline;
  std::string m_base;
  std::string m_annotate = "all";
  std::vector<std::string> m_path_maps;
};

} // namespace

std::unique_ptr<Command> make_coverage_command() {
  return std::make_unique<CoverageCommand>();
}

} // namespace tollgate::command
