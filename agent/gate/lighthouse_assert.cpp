#include "gate/lighthouse_assert.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "gate/lighthouse_audit_results.h"
#include "gate/lighthouse_budgets.h"
#include "gate/lighthouse_presets.h"
#include "gate/lighthouse_url_pattern.h"
#include "gate/lighthouse_values.h"
#include "util/text.h"

namespace tollgate::gate {

namespace {

using model::RcMember;
using model::RcValue;
using ConfigFailure = LighthouseConfigFailure;

[[noreturn]] void fail(std::string message, int line = 0) {
  throw ConfigFailure{util::ParseError{std::move(message), static_cast<size_t>(std::max(line, 0)), 0}};
}

// The RegExp lhci builds from matchingUrlPattern (see lighthouse_url_pattern.h).
UrlPattern compile_pattern(const RcValue& pattern, int line) {
  auto compiled = UrlPattern::compile(js_to_string(pattern));
  if (!compiled) fail(compiled.error(), line);
  return std::move(*compiled);
}

// RegExp.test, unanchored; a run without finalUrl is tested as String(undefined), as in lhci.
bool url_matches(const UrlPattern& pattern, const std::optional<std::string>& url, int line) {
  auto matched = pattern.test(url ? *url : std::string("undefined"));
  if (!matched) fail(matched.error(), line);
  return *matched;
}

// The preset a `preset` value names: lhci matches /lighthouse:(.*)$/ anywhere in the string.
const RcValue* preset_for(const RcValue& preset, int line) {
  if (!preset.is_string()) fail("preset must be a string such as \"lighthouse:recommended\"", line);
  const std::string& text = preset.text;
  for (size_t at = text.find("lighthouse:"); at != std::string::npos; at = text.find("lighthouse:", at + 1)) {
    const std::string rest = text.substr(at + 11);
    if (rest.find_first_of("\r\n") != std::string::npos) continue;
    const RcValue* data = lighthouse_preset(rest);
    if (!data) fail(fmt::format("Cannot find module './presets/{}.js' (preset \"{}\")", rest, text), line);
    return data;
  }
  return nullptr; // no "lighthouse:": lhci ignores the preset
}

// getAllAssertionResultsForUrl for one set of options (the top level or one assertMatrix entry).
std::vector<LighthouseAssertion> results_for_url(const RcValue& base, const UrlRuns& group, AssertionSource source,
                                                 int preset_line) {
  if (base.type == RcValue::Type::null) fail("an assertMatrix entry is null");
  RcValue options = base.is_object() ? base : RcValue::object_value();
  const RcMember* preset_member = options.find_member("preset");
  const RcValue* preset = preset_member ? preset_for(preset_member->value, preset_member->key_line) : nullptr;
  if (preset_member && preset_member->key_line) preset_line = preset_member->key_line;
  options.erase("preset");
  if (preset) {
    RcValue merged = *preset;
    model::merge_like_lhci(merged, options);
    options = std::move(merged);
  }

  RcValue assertions = RcValue::object_value();
  if (const RcValue* a = options.find("assertions")) {
    if (a->type == RcValue::Type::null) fail("assertions is null", options.find_member("assertions")->key_line);
    if (a->is_string()) fail("assertions must be an object of audit ids", options.find_member("assertions")->key_line);
    if (a->is_object()) assertions = *a;
    // Object.keys of an array is its indices: `assertions: []` is no assertions.
    if (a->is_array())
      for (size_t i = 0; i < a->items.size(); ++i) assertions.set(std::to_string(i), a->items[i]);
  }

  std::vector<const model::LighthouseRun*> runs = group.runs;
  if (const RcMember* pattern = options.find_member("matchingUrlPattern"); pattern && pattern->value.truthy()) {
    const UrlPattern re = compile_pattern(pattern->value, pattern->key_line);
    runs.erase(std::remove_if(runs.begin(), runs.end(), [&](const auto* run) {
                 return !url_matches(re, run->has_final_url ? std::optional<std::string>(run->final_url) : std::nullopt,
                                     pattern->key_line);
               }),
               runs.end());
  }
  if (runs.empty()) return {};
  const model::LighthouseRun* median = runs[representative_run(runs)];

  std::vector<std::string> keys;
  for (const auto& m : assertions.members) {
    std::string key = lhci_kebab_case(m.key);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  }

  const std::string url = runs.front()->has_final_url ? runs.front()->final_url : "";
  const RcValue* top_method = options.find("aggregationMethod");
  std::vector<LighthouseAssertion> out;
  for (const auto& key : keys) {
    const RcMember* member = assertions.find_member(key);
    if (!member || !member->value.truthy()) continue; // normalizeAssertion: off
    const RcValue& value = member->value;
    std::string level;
    RcValue assertion_options = RcValue::object_value();
    if (value.is_string()) {
      level = value.text;
    } else if (value.is_array()) {
      level = value.items.empty() ? "undefined" : value.items[0].is_string() ? value.items[0].text : js_to_string(value.items[0]);
      if (value.items.size() > 1 && value.items[1].is_object()) assertion_options = value.items[1];
    } else {
      fail(fmt::format("assertion \"{}\" must be a level (\"off\", \"warn\", \"error\") or [level, options]", member->key),
           member->key_line);
    }
    if (level == "off") continue;

    RcValue merged_options = RcValue::object_value();
    if (top_method) merged_options.set("aggregationMethod", *top_method);
    for (const auto& o : assertion_options.members) merged_options.set(o.key, o.value, o.key_line);
    const RcValue* method = merged_options.find("aggregationMethod");
    const bool median_run = method && method->is_string() && method->text == "median-run";

    const std::vector<std::string> parts = split_assertion_key(key);
    const std::string audit_id = parts.empty() ? "" : parts[0];
    const std::vector<std::string> property(parts.size() > 1 ? parts.begin() + 1 : parts.end(), parts.end());
    const std::vector<const model::LighthouseRun*> audit_runs = median_run ? std::vector{median} : runs;

    // The title lhci shows: from the first run where the audit did not score 1, else the first.
    std::string title;
    for (const auto* run : runs) {
      const auto* a = run->audit(audit_id);
      if (!a) continue;
      if (title.empty()) title = a->title;
      if (!(a->score.is_number() && a->score.number == 1)) {
        title = a->title;
        break;
      }
    }
    if (audit_id == "categories" && property.size() == 1)
      if (const auto* c = runs.front()->category(property[0])) title = c->title;

    for (auto& r : audit_results(audit_id, property, audit_runs, merged_options, runs, key)) {
      r.url = url;
      r.audit_id = audit_id;
      r.level = level;
      r.key = key;
      r.audit_title = title;
      r.source = member->key_line ? source : AssertionSource::preset;
      r.line = member->key_line ? member->key_line : preset_line;
      if (median_run) r.aggregation = "median-run";
      out.push_back(std::move(r));
    }
  }
  return out;
}

} // namespace

std::string LighthouseAssertion::audit() const {
  if (audit_property.empty()) return audit_id;
  std::string prop = audit_property;
  if (audit_id == "resource-summary")
    for (char& c : prop)
      if (c == '.') c = ':';
  return audit_id + ":" + prop;
}

size_t representative_run(const std::vector<const model::LighthouseRun*>& runs) {
  const auto value = [](const model::LighthouseRun* run, const char* audit) {
    const auto* a = run->audit(audit);
    return a && a->numeric_value.is_number() && a->numeric_value.number != 0 ? a->numeric_value.number : 0.0;
  };
  std::vector<size_t> order(runs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto median_of = [&](const char* audit) {
    std::vector<size_t> sorted = order;
    std::stable_sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) { return value(runs[a], audit) < value(runs[b], audit); });
    return value(runs[sorted[runs.size() / 2]], audit);
  };
  const double fcp = median_of("first-contentful-paint");
  const double tti = median_of("interactive");
  const auto distance = [&](size_t i) {
    const double d1 = fcp - value(runs[i], "first-contentful-paint");
    const double d2 = tti - value(runs[i], "interactive");
    return d1 * d1 + d2 * d2;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return distance(a) < distance(b); });
  return order.front();
}

std::vector<UrlRuns> group_by_url(const std::vector<model::LighthouseRun>& runs) {
  std::vector<UrlRuns> groups;
  for (const auto& run : runs) {
    const std::optional<std::string> url = run.has_final_url ? std::optional<std::string>(run.final_url) : std::nullopt;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const UrlRuns& g) { return g.url == url; });
    if (it == groups.end()) {
      groups.push_back({url, {}});
      it = groups.end() - 1;
    }
    it->runs.push_back(&run);
  }
  return groups;
}

util::Expected<LighthouseVerdict, util::ParseError> assert_lighthouse(const LighthouseAssertInput& input,
                                                                      const std::vector<model::LighthouseRun>& runs) {
  try {
    const RcValue& given = input.options;
    const auto truthy = [](const RcValue* v) { return v && v->truthy(); };
    const auto line_of = [&](const char* key) {
      const RcMember* m = given.find_member(key);
      return m ? m->key_line : 0;
    };
    // yargs validates `preset` against its choices before lhci runs.
    if (const RcValue* preset = given.find("preset")) {
      const bool valid = preset->is_string() && util::starts_with(preset->text, "lighthouse:") &&
                         lighthouse_preset(preset->text.substr(11)) != nullptr;
      if (!valid)
        fail(fmt::format("Invalid values: Argument: preset, Given: \"{}\", Choices: \"lighthouse:all\", "
                         "\"lighthouse:recommended\", \"lighthouse:no-pwa\"",
                         js_to_string(*preset)),
             line_of("preset"));
    }
    const bool assertions_set = truthy(given.find("assertions")) || truthy(given.find("assertMatrix")) || truthy(given.find("preset"));
    const bool budgets_set = truthy(given.find("budgetsFile"));
    if (!assertions_set && !budgets_set) fail("No assertions to use");
    if (budgets_set && assertions_set) fail("Cannot use both budgets AND assertions", line_of("budgetsFile"));

    RcValue options = given;
    AssertionSource source = AssertionSource::config;
    if (budgets_set) {
      if (!input.budgets) fail("budgetsFile was not read", line_of("budgetsFile"));
      auto converted = budgets_to_assert_options(*input.budgets);
      if (!converted) throw ConfigFailure{converted.error()};
      options = std::move(*converted);
      source = AssertionSource::budgets;
    }

    std::vector<const RcValue*> entries{&options};
    if (const RcValue* matrix = options.find("assertMatrix"); matrix && matrix->truthy()) {
      if (truthy(options.find("assertions")) || truthy(options.find("preset")) || truthy(options.find("budgetsFile")) ||
          truthy(options.find("aggregationMethod")))
        fail("Cannot use assertMatrix with other options", source == AssertionSource::config ? line_of("assertMatrix") : 0);
      if (!matrix->is_array()) fail("assertMatrix must be an array of option sets", line_of("assertMatrix"));
      entries.clear();
      for (const auto& entry : matrix->items) entries.push_back(&entry);
    }

    LighthouseVerdict verdict;
    for (const auto& group : group_by_url(runs))
      for (const RcValue* entry : entries)
        for (auto& r : results_for_url(*entry, group, source, input.preset_line)) verdict.results.push_back(std::move(r));
    verdict.passed = std::none_of(verdict.results.begin(), verdict.results.end(), [](const auto& r) { return r.fails_build(); });
    return verdict;
  } catch (const ConfigFailure& f) {
    return util::unexpected(f.error);
  }
}

} // namespace tollgate::gate
