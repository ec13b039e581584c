#include "command/lighthouse_config.h"

#include <filesystem>
#include <fmt/format.h>

#include "command/tollgate_config.h"
#include "report/lighthouserc.h"
#include "util/error.h"
#include "util/files.h"
#include "util/yaml.h"

namespace tollgate::command {

namespace {

namespace fs = std::filesystem;
using model::RcValue;

// `extends` chains longer than this are a loop, not a configuration.
constexpr int k_max_extends_depth = 16;

RcValue read_value(const std::string& path, report::RcSyntax syntax) {
  // A config is a few KB; a larger file is refused before it is read (util/yaml.h's bound).
  std::error_code ec;
  if (const auto size = fs::file_size(path, ec); !ec && size > util::k_max_yaml_bytes)
    throw util::InputError(fmt::format("{}: larger than {} bytes: not a config file", path, util::k_max_yaml_bytes));
  auto bytes = util::read_file(path);
  if (!bytes) throw util::InputError(bytes.error());
  auto value = report::parse_rc_value(*bytes, syntax);
  if (!value) throw util::InputError(util::describe(path, value.error()));
  return std::move(*value);
}

// A Tollgate config's `lighthouse:` section is an rc (with ci:) or ci.assert's options directly.
RcValue as_rc(RcValue section) {
  if (section.find("ci") || section.find("lhci")) return section;
  RcValue ci = RcValue::object_value();
  ci.set("assert", std::move(section));
  RcValue rc = RcValue::object_value();
  rc.set("ci", std::move(ci));
  return rc;
}

RcValue rc_of_file(const std::string& path) {
  const report::RcSyntax syntax = report::rc_syntax_for(path);
  if (syntax == report::RcSyntax::javascript)
    throw util::InputError(fmt::format("{}: JavaScript lighthouserc files are not read (Tollgate does not run JavaScript); "
                                       "write the same settings as lighthouserc.json or .lighthouserc.yml",
                                       path));
  RcValue rc = read_value(path, syntax);
  // A Tollgate config (.github/tollgate.yml) keeps the lighthouserc under `lighthouse:`.
  if (rc.is_object() && !rc.find("ci") && !rc.find("lhci") && !rc.find("ci:client") && !rc.find("ci.client"))
    if (const RcValue* section = rc.find("lighthouse"); section && section->is_object()) {
      load_tollgate_config(path, true); // its other keys are checked as for every command
      rc = as_rc(*section);
    }
  report::replace_dots_in_keys(rc);
  return rc;
}

// convertRcFileToYargsOptions with `extends`: the base's options, this file's merged over them.
RcValue options_of_file(const std::string& path, int depth, std::optional<RcValue>* assert_section) {
  if (depth > k_max_extends_depth) throw util::InputError(fmt::format("{}: `extends` is nested too deep (a loop?)", path));
  const RcValue rc = rc_of_file(path);
  if (assert_section && rc.is_object()) {
    const RcValue* ci = rc.find("ci") ? rc.find("ci") : rc.find("lhci");
    if (ci && ci->find("assert")) *assert_section = *ci->find("assert");
  }
  report::RcOptions mine = report::flatten_rc(rc);
  if (mine.extends.empty()) return std::move(mine.options);
  const std::string base_path = (fs::path(path).parent_path() / mine.extends).lexically_normal().string();
  std::error_code ec;
  if (!fs::exists(base_path, ec))
    throw util::InputError(fmt::format("{}:{}: extends {}: no such file", path, mine.extends_line, mine.extends));
  RcValue merged = options_of_file(base_path, depth + 1, nullptr);
  model::merge_like_lhci(merged, mine.options);
  return merged;
}

std::string find_rc_file(const std::string& tollgate_config_path) {
  std::error_code ec;
  for (const auto& name : report::rc_file_names())
    if (fs::exists(name, ec)) return name;
  if (!tollgate_config_path.empty() && fs::exists(tollgate_config_path, ec)) return tollgate_config_path;
  return {};
}

} // namespace

LighthouseConfig load_lighthouse_config(const std::string& explicit_path, const std::string& tollgate_config_path) {
  LighthouseConfig config;
  config.path = explicit_path.empty() ? find_rc_file(tollgate_config_path) : explicit_path;
  if (config.path.empty())
    throw util::InputError("lighthouse: no lighthouserc found (lighthouserc.json, .lighthouserc.json, .lighthouserc.yml, "
                           "... in the working directory) and no --config given: nothing to assert");
  std::error_code ec;
  if (!fs::exists(config.path, ec)) throw util::InputError(fmt::format("--config {}: no such file", config.path));

  const RcValue options = options_of_file(config.path, 0, &config.assert_section);
  config.options = report::as_yargs_options(options);
  if (const model::RcMember* preset = config.options.find_member("preset")) {
    if (preset->value.is_string()) config.preset = preset->value.text;
    config.preset_line = preset->key_line;
  }
  // lhci reads budgetsFile relative to the working directory.
  if (const RcValue* budgets = config.options.find("budgetsFile"); budgets && budgets->truthy()) {
    if (!budgets->is_string()) throw util::InputError(fmt::format("{}: budgetsFile must be a path", config.path));
    config.budgets_path = budgets->text;
    if (!fs::exists(config.budgets_path, ec))
      throw util::InputError(fmt::format("{}:{}: budgetsFile {}: no such file", config.path,
                                         config.options.find_member("budgetsFile")->key_line, config.budgets_path));
    config.budgets = read_value(config.budgets_path, report::RcSyntax::json);
  }
  return config;
}

} // namespace tollgate::command
