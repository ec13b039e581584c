#include "gate/lighthouse_presets.h"

#include <iterator>
#include <map>
#include <string>

namespace tollgate::gate {

namespace {

// One assertion of a preset: `level` alone, or [level, {option: value}] with at most one option.
struct PresetAssertion {
  const char* key;
  const char* level;
  bool array_form;
  const char* option; // nullptr: no option
  double value;
};

struct Preset {
  const char* name;
  const PresetAssertion* entries;
  size_t count;
};

#include "gate/lighthouse_presets.inc"

model::RcValue to_value(const Preset& preset) {
  model::RcValue assertions = model::RcValue::object_value();
  for (size_t i = 0; i < preset.count; ++i) {
    const PresetAssertion& a = preset.entries[i];
    model::RcValue level = model::RcValue::string_value(a.level);
    if (!a.array_form) {
      assertions.set(a.key, std::move(level));
      continue;
    }
    model::RcValue pair = model::RcValue::array_value();
    pair.items.push_back(std::move(level));
    model::RcValue options = model::RcValue::object_value();
    if (a.option) options.set(a.option, model::RcValue::number_value(a.value));
    pair.items.push_back(std::move(options));
    assertions.set(a.key, std::move(pair));
  }
  model::RcValue root = model::RcValue::object_value();
  root.set("assertions", std::move(assertions));
  return root;
}

const std::map<std::string, model::RcValue, std::less<>>& presets() {
  static const auto table = [] {
    std::map<std::string, model::RcValue, std::less<>> t;
    for (const Preset& p : k_presets) t.emplace(p.name, to_value(p));
    return t;
  }();
  return table;
}

} // namespace

const model::RcValue* lighthouse_preset(std::string_view name) {
  const auto& t = presets();
  const auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

std::vector<std::string_view> lighthouse_preset_names() {
  std::vector<std::string_view> names;
  for (const Preset& p : k_presets) names.emplace_back(p.name);
  return names;
}

bool is_known_lighthouse_audit(std::string_view audit_id) {
  const model::RcValue* all = lighthouse_preset("all");
  return all && all->find("assertions")->find(audit_id) != nullptr;
}

std::string_view lighthouse_presets_lhci_version() { return k_lhci_version; }

} // namespace tollgate::gate
