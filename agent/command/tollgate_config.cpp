#include "command/tollgate_config.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "probe/probe_spec.h"
#include "util/error.h"
#include "util/edit_distance.h"
#include "util/text.h"
#include "util/yaml.h"

namespace tollgate::command {

namespace {

// The schema: the keys each command reads today (coverage_command, probe_config,
// lighthouse_command). A key added to a command is added here, or the config refuses it.
const std::vector<std::string_view> k_top_keys = {"coverage", "analysis", "probes", "lighthouse", "scan"};
const std::vector<std::string_view> k_scan_keys = {"allow"};
const std::vector<std::string_view> k_scan_allow_keys = {"rule", "path", "reason", "expires"};
const std::vector<std::string_view> k_coverage_keys = {"min-line",  "min-branch", "min-file", "min-patch",
                                                       "max-drop",  "path-map",   "exclude"};

[[noreturn]] void fail_at(const std::string& path, const YAML::Node& node, const std::string& message) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) throw util::InputError(fmt::format("{}: {}", path, message));
  throw util::InputError(fmt::format("{}:{}:{}: {}", path, mark.line + 1, mark.column + 1, message));
}

std::string where(std::string_view section) {
  return section.empty() ? std::string("at the top level") : fmt::format("in {}", section);
}


void check_keys(const YAML::Node& map, const std::string& path, std::string_view section) {
  const std::vector<std::string_view> known = config_keys(section);
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first; // a copy: it-> yields a temporary proxy
    if (!key.IsScalar()) fail_at(path, key, fmt::format("a key {} is not a plain name", where(section)));
    const std::string name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (name == "<<")
      fail_at(path, key, "merge keys (<<) are not applied in the Tollgate config; write the keys out");
    // Shown in the error: at most 80 bytes, no line breaks or other control characters.
    std::string shown = util::sanitize_utf8(name.substr(0, 80));
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    const std::string near = nearest_key(name, known);
    if (!near.empty())
      fail_at(path, key, fmt::format("unknown key '{}' {}; did you mean {}?", shown, where(section), near));
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail_at(path, key, fmt::format("unknown key '{}' {} (the keys are: {})", shown, where(section), list));
  }
}

// A section is a mapping, or empty (`coverage:` with nothing under it).
bool check_section(const YAML::Node& node, const std::string& path, std::string_view section) {
  if (!node || node.IsNull()) return false;
  if (!node.IsMap()) fail_at(path, node, fmt::format("{}: expected a mapping of keys", section));
  check_keys(node, path, section);
  return true;
}

} // namespace

std::vector<std::string_view> config_keys(std::string_view section) {
  if (section.empty()) return k_top_keys;
  if (section == "coverage") return k_coverage_keys;
  if (section == "scan") return k_scan_keys;
  if (section == "scan.allow[]") return k_scan_allow_keys;
  if (section == "analysis") return probe::analysis_keys();
  if (section == "probes[]") {
    std::vector<std::string_view> keys = probe::probe_keys();
    for (auto k : probe::analysis_keys()) keys.push_back(k);
    keys.push_back("headers");
    keys.push_back("analysis");
    return keys;
  }
  return {};
}

void check_config_keys(const YAML::Node& config, const std::string& path) {
  if (!config || config.IsNull()) return;
  if (!config.IsMap()) fail_at(path, config, "the Tollgate config must be a mapping (coverage:, probes:, ...)");
  check_keys(config, path, "");
  check_section(config["coverage"], path, "coverage");
  check_section(config["analysis"], path, "analysis");
  if (check_section(config["scan"], path, "scan")) {
    // scan_allowlist (command/scan_inputs) words the error for an entry that is not a mapping.
    if (const YAML::Node allow = config["scan"]["allow"]; allow && allow.IsSequence())
      for (const auto& item : allow)
        if (item.IsMap()) check_keys(item, path, "scan.allow[]");
  }
  if (const YAML::Node probes = config["probes"]; probes && probes.IsSequence()) {
    for (const auto& item : probes) {
      if (!item.IsMap()) continue; // probe_config words the error for a probe that is not a mapping
      check_keys(item, path, "probes[]");
      if (item["analysis"] && item["analysis"].IsMap()) check_keys(item["analysis"], path, "analysis");
    }
  }
}

YAML::Node load_tollgate_config(const std::string& path, bool explicit_path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (explicit_path) throw util::InputError(fmt::format("--config {}: no such file", path));
    return YAML::Node();
  }
  YAML::Node config = util::load_yaml_file(path);
  check_config_keys(config, path);
  return config;
}

std::string nearest_key(std::string_view key, const std::vector<std::string_view>& known) {
  if (key.size() > 64) return {};
  std::string normalized(key);
  std::replace(normalized.begin(), normalized.end(), '_', '-');
  for (char& c : normalized) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view best;
  size_t best_distance = 0;
  for (const auto& k : known) {
    const size_t d = util::edit_distance(normalized, k);
    if (best.empty() || d < best_distance) best = k, best_distance = d;
  }
  // Near: a third of the key's letters or two, whichever is more.
  const size_t allowed = std::max<size_t>(2, key.size() / 3);
  if (best.empty() || best_distance > allowed) return {};
  return std::string(best);
}

} // namespace tollgate::command
