#pragma once
// The coverage gate options `coverage` and `merge` both take (--min-line, --min-branch,
// --min-file, --min-patch, --max-drop, --baseline, --base, --annotate): registered on either
// command with its own help wording, and read back the same way.
#include "command/command.h"
#include "gate/coverage_gate.h"
#include "report/coverage_baseline.h"

#include <optional>
#include <string>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace tollgate::command {

struct CoverageGateHelp {
  const char* min_line;
  const char* min_branch;
  const char* min_file;
  const char* min_patch;
  const char* max_drop;
  const char* baseline;
  const char* annotate;
};

class CoverageGateFlags {
public:
  void add_to(CLI::App& app, const CoverageGateHelp& help);

  // The thresholds given on the command line; the others stay nullopt.
  gate::CoverageGateOptions given() const;

  // --baseline's total line coverage, or nullopt when there is no --baseline, or when its file
  // does not exist yet (the first run of a repository): then note says so. A file that cannot
  // be read or is not a coverage result is an InputError naming it.
  std::optional<double> baseline_line_pct(std::string& note) const;
  // The whole --baseline result (totals and files, for the per-file change), read the same way;
  // nullopt without one or when its file does not exist yet.
  std::optional<report::CoverageBaseline> baseline(std::string& note) const;
  bool baseline_given() const { return !m_baseline.empty(); }
  const std::string& baseline_path() const { return m_baseline; }

  // The base revision for changed lines: --base, else the pull request's or the merge group's
  // base commit, else "".
  std::string base_revision(const Context& ctx) const;
  bool base_given() const { return !m_base.empty(); }
  bool annotate() const { return m_annotate == "all"; }
  // --unmeasured-patch fail: a patch gate whose changed lines cannot be had fails (default: skipped).
  bool fail_unmeasured_patch() const { return m_unmeasured_patch == "fail"; }

private:
  double m_min_line = 0, m_min_branch = 0, m_min_file = 0, m_min_patch = 0, m_max_drop = 0;
  CLI::Option* m_min_line_opt = nullptr;
  CLI::Option* m_min_branch_opt = nullptr;
  CLI::Option* m_min_file_opt = nullptr;
  CLI::Option* m_min_patch_opt = nullptr;
  CLI::Option* m_max_drop_opt = nullptr;
  std::string m_baseline;
  std::string m_base;
  std::string m_annotate = "all";
  std::string m_unmeasured_patch = "skip";
};

} // namespace tollgate::command
