#pragma once
// Every subcommand is one row in a table: name, description, options, and a run function that
// reads reports and decides (an Outcome). Publishing and exit statuses are the CLI's job.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

#include "github/client.h"
#include "model/outcome.h"
#include "publish/deliver.h"
#include "publish/review_budget.h"
#include "runner/environment.h"

namespace CLI {
class App;
}

namespace tollgate::command {

// SPEC §2: options every command takes.
struct CommonOptions {
  std::vector<std::string> reports;
  std::string format;
  std::string json_path;
  bool dry_run = false;
  std::string check_name;
  std::string matrix_json;
  std::string config_path;
  std::string comment_mode = "off";         // --comment [always|changes|failures|off]
  bool no_status = false;                   // --no-status: --commit-status off, kept for existing workflows
  std::string commit_status_mode = "fallback";
  std::string check_run_mode = "new";
  std::string summary_file;
  size_t max_annotations = 1000;
  std::string summary_list = "failed"; // --summary-list: what the summary lists (publish::SummaryList)
  size_t summary_limit = publish::k_summary_chars; // --summary-limit: its budget in characters
};

struct Context {
  CommonOptions common;
  runner::ActionsContext actions;
  std::string leg;             // the matrix leg label, "" outside a matrix
  YAML::Node config;           // the Tollgate config, Null when there is none
  std::string config_path;     // where it came from
  std::string repo_root;       // GITHUB_WORKSPACE or the current directory
  github::Client* client = nullptr; // null without a token and repository
  std::ostream* out = nullptr;
  std::ostream* log = nullptr;
};

class Command {
public:
  virtual ~Command() = default;
  virtual void add_options(CLI::App& app) = 0;
  // Reads the inputs and decides. Throws util::InputError for bad input (exit 2).
  virtual model::Outcome run(Context& ctx) = 0;
  // Commands that post on their own (deployments, dispatches) skip the check run by default.
  virtual publish::DeliveryOptions delivery_defaults() const { return {}; }
};

// The defaults of commands that record their result elsewhere (deployment statuses, a dispatch,
// a deployment's description) or only read: no check run and no commit status; the job summary,
// the log and --json say it.
inline publish::DeliveryOptions summary_only_delivery() {
  publish::DeliveryOptions d;
  d.check_run = publish::CheckRunMode::none;
  d.commit_status = publish::StatusMode::off;
  return d;
}

// The common options of SPEC §2 as bits. Each command's row names those it uses; the CLI offers
// only these, so CLI11 refuses the rest ("tollgate deployment: unknown option --report") rather
// than accepting an option the command would ignore.
using CommonOptionSet = unsigned;
inline constexpr CommonOptionSet k_opt_report = 1u << 0;
inline constexpr CommonOptionSet k_opt_format = 1u << 1;
inline constexpr CommonOptionSet k_opt_json = 1u << 2;
inline constexpr CommonOptionSet k_opt_dry_run = 1u << 3;
inline constexpr CommonOptionSet k_opt_check_name = 1u << 4;
inline constexpr CommonOptionSet k_opt_matrix = 1u << 5;
inline constexpr CommonOptionSet k_opt_config = 1u << 6; // the command reads the Tollgate config
inline constexpr CommonOptionSet k_opt_comment = 1u << 7;
inline constexpr CommonOptionSet k_opt_no_status = 1u << 8; // --commit-status and --no-status
inline constexpr CommonOptionSet k_opt_check_run = 1u << 9;
inline constexpr CommonOptionSet k_opt_summary = 1u << 10;
inline constexpr CommonOptionSet k_opt_max_annotations = 1u << 11;
inline constexpr CommonOptionSet k_opt_summary_list = 1u << 12; // --summary-list: the command lists items
// What every command has: the --json result, --dry-run, the summary and its heading.
inline constexpr CommonOptionSet k_opt_always = k_opt_json | k_opt_dry_run | k_opt_check_name | k_opt_summary;
// What a command that posts a check run with annotations has.
inline constexpr CommonOptionSet k_opt_check =
    k_opt_always | k_opt_matrix | k_opt_comment | k_opt_check_run | k_opt_max_annotations;

struct CommandSpec {
  const char* name;
  const char* description;
  std::unique_ptr<Command> (*make)();
  CommonOptionSet common_options;
  // --config names a lighthouserc (or a Tollgate config): the command reads it itself.
  bool config_is_lighthouserc = false;
};

// What the summary lists, its budget and the run's links (publish::SummaryOptions).
inline publish::SummaryOptions summary_options(const Context& ctx) {
  return {publish::parse_summary_list(ctx.common.summary_list), ctx.common.summary_limit, publish::review_links(ctx.actions)};
}

// The table of working commands; `--help` lists exactly these.
const std::vector<CommandSpec>& command_table();

// The whole command line: parse, run, publish, exit status (SPEC §2).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace tollgate::command
