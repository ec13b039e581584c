#include "command/coverage_command.h"

#include "command/changed_lines.h"
#include "command/coverage_gate_flags.h"

#include "gate/coverage_gate.h"
#include "publish/coverage_json.h"
#include "publish/coverage_notes.h"
#include "publish/coverage_summary.h"
#include "report/coverage_baseline.h"
#include "report/coverage_file.h"
#include "report/coverage_paths.h"
#include "report/coverage_report.h"
#include "runner/git.h"
#include "util/json.h"
#include "runner/matrix.h"
#include "util/files.h"
#include "util/text.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <future>
#include <map>
#include <fmt/format.h>

namespace tollgate::command {

namespace {

// Everything the --json writer needs, shared so the outcome can be copied cheaply.
struct CoverageResult {
  report::MergedCoverage merged;
  std::vector<std::string> skipped_reports; // glob-matched files that are no coverage report
  std::vector<std::string> excluded_files;  // repository paths --exclude / coverage.exclude drop
  model::CoverageCounts totals;
  std::optional<gate::PatchCoverage> patch;
  std::string patch_not_measured; // a base was asked for and its changed lines could not be had
  std::optional<double> baseline_line_pct;
};

// SPEC §4 totals/patch/files, plus what `tollgate merge` needs to merge legs again
// (coverage_data: per file the line hits and branches; docs/coverage.md describes it).
void write_coverage_json(util::JsonWriter& w, const CoverageResult& r) {
  w.Key("totals");
  w.StartObject();
  publish::write_coverage_totals(w, r.totals);
  w.EndObject();
  if (r.patch) {
    publish::write_patch_json(w, *r.patch);
  } else if (!r.patch_not_measured.empty()) {
    // Not measured is null, never a number (docs/coverage.md, `--json`).
    w.Key("patch");
    w.Null();
    w.Key("patch_not_measured");
    util::write_string(w, r.patch_not_measured);
  }
  if (r.baseline_line_pct) {
    w.Key("baseline");
    w.StartObject();
    w.Key("line_pct");
    w.Double(*r.baseline_line_pct);
    w.EndObject();
  }
  publish::write_coverage_files_json(w, r.merged.files, r.merged.outside);
  const auto write_paths = [&w](const char* key, const std::vector<std::string>& paths) {
    w.Key(key);
    w.StartArray();
    for (const auto& p : paths)
      w.String(p);
    w.EndArray();
  };
  write_paths("skipped_reports", r.skipped_reports);
  write_paths("excluded_files", r.excluded_files);
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
    m_flags.add_to(
        app, {.min_line = "Fail below this total line coverage (percent)",
              .min_branch = "Fail below this total branch coverage (percent)",
              .min_file = "Fail when any file's line coverage is below this (percent); per-path "
                          "overrides in the config",
              .min_patch = "Fail below this coverage of the executable changed lines (percent)",
              .max_drop = "Fail when line coverage drops more than this many points below --baseline",
              .baseline = "A coverage --json result from the base branch, for --max-drop and the "
                          "deltas in the title and the impacted files",
              .annotate = "all (default): annotate uncovered changed lines as ranges; none"});
    app.add_option("--exclude", m_excludes,
                   "GLOB: report files at repository paths it matches (** spans directories) "
                   "count nowhere; repeatable; also coverage.exclude in the config")
        ->take_all();
    app.add_option("--path-map", m_path_maps,
                   "FROM=TO: report paths starting with FROM start with TO instead; repeatable")
        ->take_all();
  }

  model::Outcome run(Context& ctx) override {
    if (ctx.common.reports.empty()) throw util::InputError("coverage: give at least one --report");
    gate::CoverageGateOptions gates = gate_options(ctx);
    report::CoveragePathOptions path_options = path_mappings(ctx);

    const std::string base = m_flags.base_revision(ctx);
    // git answers while the reports parse: the repository's files and, with a base, the changed
    // lines (each a process of its own; an error waits until its answer is asked for).
    auto file_list = std::async(std::launch::async,
                                [root = ctx.repo_root] { return runner::git_ls_files(root); });
    std::future<runner::FoundChanges> changed;
    if (!base.empty())
      changed = std::async(std::launch::async, [&ctx, base] { return changed_lines_for(ctx, base); });

    auto result = std::make_shared<CoverageResult>();
    // A file a glob matched that is plainly no coverage report is skipped (and named); a file named
    // on its own must be a report.
    std::map<std::string, bool> named_alone; // path → named by a pattern that is not a glob
    for (const auto& pattern : ctx.common.reports)
      for (auto& path : util::expand_report_patterns({pattern}, ctx.repo_root))
        named_alone[std::move(path)] |= !util::is_glob_pattern(pattern);
    std::vector<model::CoverageReport> reports;
    for (const auto& [path, alone] : named_alone) {
      bool not_a_report = false;
      auto parsed = report::read_coverage_file(path, ctx.common.format, &not_a_report);
      if (parsed) {
        reports.push_back(std::move(*parsed));
      } else if (not_a_report && !alone) {
        result->skipped_reports.push_back(path);
        if (ctx.log) *ctx.log << "tollgate: " << util::sanitize_utf8(parsed.error()) << ", skipped\n";
      } else {
        throw util::InputError(parsed.error());
      }
    }
    if (reports.empty())
      throw util::InputError(fmt::format(
          "coverage: none of the {} file(s) --report matched is a coverage report (first: {})",
          result->skipped_reports.size(), result->skipped_reports.front()));
    const std::vector<std::string> excludes = exclude_patterns(ctx);

    const report::RepoPaths paths(ctx.repo_root, file_list.get());
    if (auto go_mod = util::read_file(ctx.repo_root + "/go.mod"))
      path_options.go_module = report::go_module_of(*go_mod);
    result->merged = report::merge_coverage(std::move(reports), paths, path_options);
    // Excluded files count nowhere: not in the totals, the files, the patch or the gates.
    std::erase_if(result->merged.files, [&](const model::FileCoverage& f) {
      const bool excluded = std::any_of(excludes.begin(), excludes.end(), [&](const auto& glob) {
        return util::glob_match(glob, f.path);
      });
      if (excluded) result->excluded_files.push_back(f.path);
      return excluded;
    });
    for (const auto& f : result->merged.files)
      result->totals += model::count_coverage(f);

    std::string patch_method, compared_with = base;
    if (!base.empty()) {
      // A workflow_run publisher's lines come from the API; its checkout may be anything.
      if (!paths.has_file_list() && ctx.actions.event.event_name != "workflow_run")
        throw util::InputError(
            fmt::format("--base {}: {} is not a git checkout, so there are no changed lines", base,
                        ctx.repo_root));
      runner::FoundChanges found = changed.get();
      if (found.lines) {
        result->patch = gate::compute_patch(result->merged.files, *found.lines);
        if (found.compared_with != base || found.approximate || !found.method.starts_with("merge base"))
          patch_method = found.method;
        compared_with = found.compared_with;
      } else {
        result->patch_not_measured = found.not_measured;
      }
    } else if (gates.min_patch) {
      result->patch_not_measured =
          "no base to compare with (not a pull request or merge group, and no --base)";
    }
    gates.patch_not_measured = result->patch_not_measured;

    std::string baseline_note;
    const std::optional<report::CoverageBaseline> baseline = m_flags.baseline(baseline_note);
    result->baseline_line_pct = baseline ? baseline->line_pct : std::nullopt;
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
    outcome.title = gate::coverage_title(result->totals, result->baseline_line_pct, patch,
                                         !result->patch_not_measured.empty(), &outcome.gates);

    if (patch && m_flags.annotate()) {
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
    summary.base = compared_with;
    summary.patch_method = patch_method;
    summary.patch_not_measured = result->patch_not_measured;
    summary.fail_unmeasured_patch = gates.fail_unmeasured_patch;
    summary.baseline = baseline ? &*baseline : nullptr;
    summary.options = summary_options(ctx);
    outcome.summary = publish::coverage_summary(summary) +
                      publish::coverage_input_notes(result->skipped_reports, result->excluded_files.size());

    // Nothing to cover is an empty output, never a made-up "100.00" (docs/counting.md).
    outcome.outputs = {{"line-coverage", result->totals.lines ? percent_output(result->totals.line_pct()) : ""},
                       {"branch-coverage", result->totals.branches ? percent_output(result->totals.branch_pct()) : ""},
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
    o = m_flags.given();
    const auto from_config = [&](std::optional<double>& value, const char* key) {
      if (!value && config && config[key] && !config[key].IsMap())
        value = config_pct(ctx, config[key], key);
    };
    from_config(o.min_line, "min-line");
    from_config(o.min_branch, "min-branch");
    from_config(o.min_file, "min-file");
    from_config(o.min_patch, "min-patch");
    from_config(o.max_drop, "max-drop");
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

  // --exclude, then the config's coverage.exclude (a glob or a list of them).
  std::vector<std::string> exclude_patterns(const Context& ctx) const {
    std::vector<std::string> globs = m_excludes;
    const YAML::Node config = ctx.config.IsMap() ? ctx.config["coverage"] : YAML::Node();
    if (config && config.IsMap() && config["exclude"]) {
      const YAML::Node list = config["exclude"];
      try {
        if (list.IsSequence()) {
          for (const auto& g : list)
            globs.push_back(g.as<std::string>());
        } else {
          globs.push_back(list.as<std::string>());
        }
      } catch (const YAML::Exception&) {
        throw util::InputError(
            config_error(ctx, "exclude", "must be a path glob or a list of them"));
      }
    }
    for (auto& g : globs) {
      if (util::starts_with(g, "./")) g.erase(0, 2); // paths are repository-relative
      if (g.empty()) throw util::InputError("--exclude: an empty glob excludes nothing");
    }
    return globs;
  }

  CoverageGateFlags m_flags;
  std::vector<std::string> m_excludes;
  std::vector<std::string> m_path_maps;
};

} // namespace

std::unique_ptr<Command> make_coverage_command() {
  return std::make_unique<CoverageCommand>();
}

} // namespace tollgate::command
