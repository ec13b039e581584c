#include "probe/probe_config.h"

#include "util/error.h"

#include <fmt/format.h>
#include <set>

namespace tollgate::probe {

namespace {

[[noreturn]] void fail_at(const std::string& path, const YAML::Node& node,
                          const std::string& message) {
  const auto mark = node.Mark();
  if (mark.is_null()) throw util::InputError(fmt::format("{}: {}", path, message));
  throw util::InputError(
      fmt::format("{}:{}:{}: {}", path, mark.line + 1, mark.column + 1, message));
}

// A YAML value as the strings a key takes: a scalar is one; a sequence is one per item, except
// for expect-status where [200, 204] means "200,204".
std::vector<std::string> values_of(const std::string& path, const std::string& key,
                                   const YAML::Node& node) {
  if (node.IsScalar()) return {node.Scalar()};
  if (node.IsSequence()) {
    std::vector<std::string> out;
    for (const auto& item : node) {
      if (!item.IsScalar())
        fail_at(path, item, fmt::format("{}: expected a list of plain values", key));
      out.push_back(item.Scalar());
    }
    if (key == "expect-status") {
      std::string joined;
      for (const auto& v : out)
        joined += (joined.empty() ? "" : ",") + v;
      return {joined};
    }
    return out;
  }
  fail_at(path, node, fmt::format("{}: expected a value or a list", key));
}

void apply_analysis_map(AnalysisPolicy& policy, const std::string& path, const YAML::Node& map) {
  if (!map.IsMap()) fail_at(path, map, "analysis: expected a map of analysis keys");
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (!is_analysis_key(key))
      fail_at(path, kv.first, fmt::format("analysis: unknown key '{}'", key));
    for (const auto& v : values_of(path, key, kv.second)) {
      if (auto e = apply_analysis_key(policy, key, v)) fail_at(path, kv.second, "analysis: " + *e);
    }
  }
}

ProbeSpec base_spec(const AnalysisPolicy& policy, const ProbeInputs& inputs) {
  ProbeSpec spec;
  spec.policy = policy;
  spec.ca_file = inputs.ca_file;
  spec.allow_redirects = inputs.allow_redirects;
  return spec;
}

void check_spec(const ProbeSpec& spec, const std::function<void(const std::string&)>& fail) {
  if (auto e = validate(spec)) fail(*e);
}

} // namespace

std::vector<ProbeSpec> build_probe_specs(const YAML::Node& config, const std::string& config_path,
                                         const ProbeInputs& inputs, const EnvLookup& env) {
  AnalysisPolicy policy;
  const bool has_config = config && config.IsMap();
  if (has_config && config["analysis"]) apply_analysis_map(policy, config_path, config["analysis"]);
  for (const auto& [key, value] : inputs.analysis) {
    if (auto e = apply_analysis_key(policy, key, value)) throw util::InputError("--" + *e);
  }

  std::vector<ProbeSpec> specs;
  if (!inputs.urls.empty()) {
    for (const auto& url : inputs.urls) {
      ProbeSpec spec = base_spec(policy, inputs);
      if (auto e = apply_probe_key(spec, "url", url, env)) throw util::InputError("--" + *e);
      for (const auto& [key, value] : inputs.probe) {
        if (auto e = apply_probe_key(spec, key, value, env)) throw util::InputError("--" + *e);
      }
      check_spec(spec, [](const std::string& e) { throw util::InputError(e); });
      specs.push_back(std::move(spec));
    }
  } else if (has_config && config["probes"]) {
    const YAML::Node list = config["probes"];
    if (!list.IsSequence()) fail_at(config_path, list, "probes: expected a list of probes");
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      if (!item.IsMap())
        fail_at(config_path, item, fmt::format("probes[{}]: expected a map with at least url", i));
      ProbeSpec spec = base_spec(policy, inputs);
      for (const auto& kv : item) {
        const std::string key = kv.first.Scalar();
        const std::string where = fmt::format("probes[{}].{}", i, key);
        if (key == "headers") {
          if (!kv.second.IsMap())
            fail_at(config_path, kv.second, where + ": expected a map of header names to values");
          for (const auto& h : kv.second) {
            const std::string line =
                h.first.Scalar() + ": " + (h.second.IsScalar() ? h.second.Scalar() : "");
            if (auto e = apply_probe_key(spec, "header", line, env))
              fail_at(config_path, h.second, where + ": " + *e);
          }
        } else if (key == "analysis") {
          apply_analysis_map(spec.policy, config_path, kv.second);
        } else if (is_analysis_key(key)) {
          for (const auto& v : values_of(config_path, key, kv.second)) {
            if (auto e = apply_analysis_key(spec.policy, key, v))
              fail_at(config_path, kv.second, fmt::format("probes[{}]: {}", i, *e));
          }
        } else if (is_probe_key(key)) {
          for (const auto& v : values_of(config_path, key, kv.second)) {
            if (auto e = apply_probe_key(spec, key, v, env))
              fail_at(config_path, kv.second, fmt::format("probes[{}]: {}", i, *e));
          }
        } else {
          fail_at(config_path, kv.first, fmt::format("probes[{}]: unknown key '{}'", i, key));
        }
      }
      check_spec(spec, [&](const std::string& e) { fail_at(config_path, item, e); });
      specs.push_back(std::move(spec));
    }
  }
  if (specs.empty())
    throw util::InputError(
        fmt::format("probe: nothing to probe; give --url or a `probes:` list in {}", config_path));
  std::set<std::string> names;
  for (const auto& s : specs) {
    if (!names.insert(s.name).second)
      throw util::InputError(fmt::format("probe: two probes are named '{}'", s.name));
  }
  return specs;
}

} // namespace tollgate::probe
