#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include "command/command.h"
#include "command/pull_request_lookup.h"
#include "command/tollgate_config.h"
#include "github/http.h"
#include "model/exit_status.h"
#include "publish/json_result.h"
#include "runner/log_stream.h"
#include "runner/matrix.h"
#include "runner/workflow_commands.h"
#include "util/clock.h"
#include "util/random.h"
#include "util/text.h"

namespace tollgate::command {

namespace {

using model::ExitStatus;

int exit_code(ExitStatus s) { return static_cast<int>(s); }

// --comment MODE; `--comment` alone is `always`, and true/false (the earlier switch's values, as
// an action's `comment: true` passes them) are always/off.
void add_comment_option(CLI::App& app, std::string& mode) {
  app.add_option("--comment", mode,
                 "The sticky pull-request comment: always; changes: only when the verdict or numbers changed; "
                 "failures: only when a gate fails (then kept up to date); off (default)")
      ->expected(0, 1)
      ->transform(CLI::Transformer(std::map<std::string, std::string>{{"true", "always"}, {"false", "off"}})
                      .description(""))
      ->check(CLI::IsMember({"always", "changes", "failures", "off"}));
}

// Only the options the command uses (its row's set): CLI11 refuses the others.
void add_common_options(CLI::App& app, CommonOptions& o, CommonOptionSet uses) {
  if (uses & k_opt_report)
    app.add_option("--report", o.reports, "Input file; repeatable; globs with ** allowed")->take_all();
  if (uses & k_opt_format) app.add_option("--format", o.format, "Force the input format instead of detecting it");
  if (uses & k_opt_json) app.add_option("--json", o.json_path, "Write the machine-readable result to FILE");
  if (uses & k_opt_dry_run)
    app.add_flag("--dry-run", o.dry_run, "Decide everything, post nothing; print what would be posted");
  if (uses & k_opt_check_name)
    app.add_option("--check-name", o.check_name, "Name of the check run (default per command, with the matrix leg)");
  if (uses & k_opt_matrix) app.add_option("--matrix", o.matrix_json, "The job's ${{ toJSON(matrix) }}; names the leg");
  if (uses & k_opt_config)
    app.add_option("--config", o.config_path, "Tollgate config (YAML or JSON); default .github/tollgate.yml");
  if (uses & k_opt_comment)
    add_comment_option(app, o.comment_mode);
  if (uses & k_opt_no_status) {
    app.add_option("--commit-status", o.commit_status_mode,
                   "fallback (default): a commit status only when no check run can be written; always; off")
        ->check(CLI::IsMember({"fallback", "always", "off"}));
    app.add_flag("--no-status", o.no_status, "Same as --commit-status off");
  }
  if (uses & k_opt_check_run)
    app.add_option("--check-run", o.check_run_mode,
                   "new: create the named check run; job: write onto the job's own check run; none")
        ->check(CLI::IsMember({"new", "job", "none"}));
  if (uses & k_opt_summary) app.add_option("--summary", o.summary_file, "Also write the Markdown summary to FILE");
  if (uses & k_opt_summary) {
    app.add_option("--summary-limit", o.summary_limit,
                   fmt::format("Cut the summary at a block boundary past this many characters, with a note (default {}: "
                               "what a check run holds; at most {}: a step's job summary)",
                               publish::k_summary_chars, publish::k_summary_chars_max))
        ->check(CLI::Range(publish::k_summary_chars_min, publish::k_summary_chars_max));
  }
  if (uses & k_opt_summary_list)
    app.add_option("--summary-list", o.summary_list,
                   "failed (default): list what needs attention; all: also what passed (every suite, assertion, "
                   "probe, file); none: the verdict and the totals only")
        ->check(CLI::IsMember({"failed", "all", "none"}));
  if (uses & k_opt_max_annotations)
    app.add_option("--max-annotations", o.max_annotations, "Annotations posted at most (the rest are counted)")
        ->check(CLI::Range(0, 100000));
}

// "tollgate deployment: unknown option --report" for an option the command does not take.
std::string unknown_option_message(const CLI::App& app, const CLI::ParseError& e) {
  for (const CLI::App* sub : app.get_subcommands()) {
    for (const std::string& extra : sub->remaining()) {
      if (extra.rfind("--", 0) != 0) continue;
      const std::string option = extra.substr(0, extra.find('='));
      return fmt::format("tollgate {}: unknown option {} (see tollgate {} --help)", sub->get_name(),
                         util::sanitize_utf8(option.substr(0, 80)), sub->get_name());
    }
  }
  return fmt::format("tollgate: error: {}", e.what());
}

int run_selected(Command& cmd, CommonOptions& common, const CommandSpec& spec, runner::CommandWriter& commands,
                 std::ostream& out, std::ostream& err) {
  Context ctx;
  ctx.common = common;
  ctx.out = &out;
  ctx.log = &err;
  runner::ProcessEnvironment env;
  ctx.actions = runner::read_actions_context(env);
  // The token is masked before the command prints anything (a dry run's plan, a deployment's note).
  if (ctx.actions.in_actions && !ctx.actions.token.empty()) commands.write(runner::add_mask_command(ctx.actions.token));
  ctx.repo_root = ctx.actions.workspace.empty() ? std::filesystem::current_path().string() : ctx.actions.workspace;
  if (!common.matrix_json.empty()) {
    auto leg = runner::matrix_leg(common.matrix_json);
    if (!leg) throw util::InputError(util::describe("--matrix", leg.error()));
    ctx.leg = *leg;
  }
  const bool explicit_config = !common.config_path.empty();
  ctx.config_path = explicit_config ? common.config_path : ctx.repo_root + "/.github/tollgate.yml";
  // A command that reads no config does not load one; lighthouse reads its --config itself.
  const bool command_reads_it = !(explicit_config && spec.config_is_lighthouserc);
  if ((spec.common_options & k_opt_config) && command_reads_it)
    ctx.config = load_tollgate_config(ctx.config_path, explicit_config);

  util::SystemClock clock;
  github::CurlTransport transport;
  std::optional<github::Client> client;
  if (!ctx.actions.token.empty() && ctx.actions.has_repository()) {
    github::ClientConfig cc;
    cc.api_url = ctx.actions.api_url;
    cc.token = ctx.actions.token;
    // Tests shorten the backoff; GitHub's own limits (retry-after) are always honoured.
    if (auto base = env.get("TOLLGATE_RETRY_BASE_MS")) cc.retry.base_delay_ms = std::max(1L, std::atol(base->c_str()));
    if (auto budget = env.get("TOLLGATE_RETRY_BUDGET_S")) cc.retry.budget_ms = std::max(1L, std::atol(budget->c_str())) * 1000;
    client.emplace(transport, clock, cc, util::random_unit);
    ctx.client = &*client;
  }

  // A fork's workflow_run names no pull request: find it, verified by its head (issue 12).
  if (const std::string note = find_workflow_run_pull_request(ctx); !note.empty()) err << "tollgate: " << note << "\n";
  model::Outcome outcome = cmd.run(ctx);
  // Every summary opens with the commit and the run, and stays within its budget (issue 15).
  outcome.summary = publish::fit_summary(publish::review_header(publish::review_links(ctx.actions)) + outcome.summary,
                                         common.summary_limit);
  outcome.max_annotations = common.max_annotations;
  const model::Writer writer{ctx.actions.run_id, ctx.actions.run_attempt, ctx.actions.job, ctx.leg,
                             ctx.actions.runner_name, env.get_or("GITHUB_ACTION")};
  if (!common.json_path.empty())
    publish::write_result_json(common.json_path, outcome, ctx.actions.in_actions ? &writer : nullptr);

  publish::DeliveryOptions delivery = cmd.delivery_defaults();
  delivery.dry_run = common.dry_run;
  delivery.comment = publish::parse_comment_mode(common.comment_mode);
  if (delivery.commit_status != publish::StatusMode::off)
    delivery.commit_status = common.no_status ? publish::StatusMode::off : publish::parse_status_mode(common.commit_status_mode);
  if (common.check_run_mode == "job") delivery.check_run = publish::CheckRunMode::job;
  if (common.check_run_mode == "none") delivery.check_run = publish::CheckRunMode::none;
  delivery.summary_file = common.summary_file;
  delivery.json_path = common.json_path;
  delivery.check_name_given = !common.check_name.empty();
  delivery.writer = writer;
  publish::deliver(outcome, ctx.actions, ctx.client, delivery, commands, out, err);
  const int code = exit_code(outcome.passed ? ExitStatus::passed : ExitStatus::gate_failed);
  // The process exits next: an outcome of a hundred thousand findings is left to the exit, not
  // freed piece by piece (a tenth of a 100 MB SARIF scan's CPU time; docs/performance.md). Kept
  // reachable, so leak checkers see no leak; a later run in the same process frees it.
  static model::Outcome* s_left = nullptr;
  delete s_left;
  s_left = new model::Outcome(std::move(outcome));
  return code;
}

} // namespace

int run_cli(int argc, const char* const* argv, std::ostream& raw_out, std::ostream& raw_err) {
  // The one choke point (issue 14): from here on every byte to stdout and stderr — these streams,
  // std::cout/cerr/clog anywhere — is neutralised line by line; only runner::Command values pass
  // whole, through safe_log.commands().
  runner::SafeLog safe_log(raw_out, raw_err);
  std::ostream& out = safe_log.out();
  std::ostream& err = safe_log.err();
  // `tollgate --version` alone (what setup and scripts ask) answers before CLI11 builds its
  // parser and reports the flag by throwing: most of what that run did (docs/performance.md).
  const std::string version = std::string("tollgate ") + TOLLGATE_VERSION;
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    out << version << '\n';
    return 0;
  }
  CLI::App app{"tollgate: reads what the pipeline produced, decides the gates, and tells GitHub."};
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  app.fallthrough(false);

  CommonOptions common;
  std::vector<std::pair<const CommandSpec*, std::unique_ptr<Command>>> commands;
  // Only the command the first word names gets its options: building all ~150 was most of a
  // `--version` run once the libraries were linked statically (docs/performance.md). The top
  // level takes no option but --help and --version, so that word is the one CLI11 selects.
  std::string_view named;
  for (int i = 1; i < argc && named.empty(); ++i)
    if (argv[i][0] != '-') named = argv[i];
  for (const auto& spec : command_table()) {
    auto cmd = spec.make();
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    if (spec.name == named) {
      add_common_options(*sub, common, spec.common_options);
      cmd->add_options(*sub);
    }
    commands.emplace_back(&spec, std::move(cmd));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    // Subcommand help (tollgate tests --help) arrives here too, with exit code 0.
    if (e.get_exit_code() == 0) {
      for (auto* sub : app.get_subcommands()) out << sub->help();
      if (app.get_subcommands().empty()) out << app.help();
      return 0;
    }
    err << (dynamic_cast<const CLI::ExtrasError*>(&e) ? unknown_option_message(app, e)
                                                       : fmt::format("tollgate: error: {}", e.what()))
        << "\n";
    return exit_code(ExitStatus::bad_input);
  }

  try {
    for (auto& [spec, cmd] : commands) {
      if (app.got_subcommand(spec->name)) return run_selected(*cmd, common, *spec, safe_log.commands(), out, err);
    }
    err << "tollgate: error: no command given\n";
    return exit_code(ExitStatus::bad_input);
  } catch (const util::InputError& e) {
    err << "tollgate: error: " << util::sanitize_utf8(e.what()) << "\n";
    return exit_code(ExitStatus::bad_input);
  } catch (const util::GithubError& e) {
    err << "tollgate: error: GitHub: " << util::sanitize_utf8(e.what()) << "\n";
    return exit_code(ExitStatus::github_failure);
  }
}

} // namespace tollgate::command
