#include "gate/lighthouse_budgets.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "gate/lighthouse_values.h"
#include "util/text.h"

namespace tollgate::gate {

namespace {

using model::RcValue;

// Lighthouse 12's budget.js lists.
constexpr std::string_view k_resource_types[] = {"total", "document", "script", "stylesheet", "image",
                                                 "media", "font",     "other",  "third-party"};
constexpr std::string_view k_timing_metrics[] = {"first-contentful-paint", "interactive",
                                                 "first-meaningful-paint", "max-potential-fid",
                                                 "total-blocking-time",    "speed-index",
                                                 "largest-contentful-paint", "cumulative-layout-shift"};

util::ParseError error(std::string message, int line) {
  return util::ParseError{std::move(message), static_cast<size_t>(std::max(line, 0)), 0};
}

bool is_plain_object(const RcValue& v) { return v.is_object(); }
bool is_array_of_objects(const RcValue& v) {
  return v.is_array() && std::all_of(v.items.begin(), v.items.end(), is_plain_object);
}

std::string shown(const RcValue& v) { return js_to_string(v); }

std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
  return out;
}

template <size_t N>
std::string joined(const std::string_view (&list)[N]) {
  std::string out;
  for (auto s : list) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// Members other than the allowed ones: "<what> has unrecognized properties: [a, b]".
std::optional<util::ParseError> excess(const RcValue& object, std::initializer_list<std::string_view> allowed,
                                       std::string_view what) {
  std::vector<std::string> extra;
  for (const auto& m : object.members)
    if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end()) extra.push_back(m.key);
  if (extra.empty()) return std::nullopt;
  return error(fmt::format("{} has unrecognized properties: [{}]", what, joined(extra)), object.line);
}

util::ParseError invalid_path(const RcValue& path, std::string_view why) {
  return error(fmt::format("Invalid path {}. {} 'Path' should be specified using the 'robots.txt' format.", shown(path), why),
               path.line);
}

std::optional<util::ParseError> validate_path(const RcValue& path) {
  if (!path.is_string()) return invalid_path(path, "Path should be a string.");
  const std::string& p = path.text;
  if (!util::starts_with(p, "/")) return invalid_path(path, "Path should start with '/'.");
  if (std::count(p.begin(), p.end(), '*') > 1) return invalid_path(path, "Path should only contain one '*'.");
  if (std::count(p.begin(), p.end(), '$') > 1) return invalid_path(path, "Path should only contain one '$' character.");
  if (p.find('$') != std::string::npos && p.back() != '$')
    return invalid_path(path, "'$' character should only occur at end of path.");
  return std::nullopt;
}

std::optional<util::ParseError> validate_options(const RcValue& options, size_t index) {
  if (!options.is_object()) return error(fmt::format("Invalid options property in budget at index {}", index), options.line);
  if (auto e = excess(options, {"firstPartyHostnames"}, "Options property")) return e;
  const RcValue* hosts = options.find("firstPartyHostnames");
  if (!hosts) return std::nullopt;
  if (!hosts->is_array() || !std::all_of(hosts->items.begin(), hosts->items.end(), [](const RcValue& h) { return h.is_string(); }))
    return error("firstPartyHostnames should be defined as an array of strings.", hosts->line);
  for (const auto& h : hosts->items) {
    const std::string& name = h.text;
    const bool bad = name.empty() || name.find('/') != std::string::npos || name.find(':') != std::string::npos ||
                     (name.find('*') != std::string::npos && (!util::starts_with(name, "*.") || name.rfind('*') > 0));
    if (bad) return error(fmt::format("{} is not a valid hostname.", name), h.line);
  }
  return std::nullopt;
}

// One resourceSizes/resourceCounts/timings entry: {resourceType|metric, budget}.
template <size_t N>
std::optional<util::ParseError> validate_entry(const RcValue& entry, std::string_view name_key, std::string_view what,
                                               const std::string_view (&allowed)[N], std::string_view invalid_what,
                                               std::string_view valid_what) {
  if (auto e = excess(entry, {name_key, "budget"}, what)) return e;
  const RcValue* name = entry.find(name_key);
  const bool known = name && name->is_string() &&
                     std::find(std::begin(allowed), std::end(allowed), name->text) != std::end(allowed);
  if (!known)
    return error(fmt::format("Invalid {}: {}. Valid {} are: {}", invalid_what, name ? shown(*name) : "undefined", valid_what,
                             joined(allowed)),
                 entry.line);
  const RcValue* budget = entry.find("budget");
  if (!budget || !budget->is_number() || std::isnan(budget->number))
    return error(fmt::format("Invalid budget: {}", budget ? shown(*budget) : "undefined"), entry.line);
  return std::nullopt;
}

template <size_t N>
std::optional<util::ParseError> validate_list(const RcValue& budget, std::string_view key, size_t index,
                                              std::string_view name_key, std::string_view what,
                                              const std::string_view (&allowed)[N], std::string_view invalid_what,
                                              std::string_view valid_what) {
  const RcValue* list = budget.find(key);
  if (!list) return std::nullopt;
  if (!is_array_of_objects(*list)) return error(fmt::format("Invalid {} entry in budget at index {}", key, index), list->line);
  std::set<std::string> seen;
  for (const auto& entry : list->items) {
    if (auto e = validate_entry(entry, name_key, what, allowed, invalid_what, valid_what)) return e;
    const std::string& name = entry.find(name_key)->text;
    if (!seen.insert(name).second)
      return error(fmt::format("budgets[{}].{} has duplicate entry of type '{}'", index, key, name), entry.line);
  }
  return std::nullopt;
}

RcValue error_assertion(double max_numeric_value) {
  RcValue pair = RcValue::array_value();
  pair.items.push_back(RcValue::string_value("error"));
  RcValue options = RcValue::object_value();
  options.set("maxNumericValue", RcValue::number_value(max_numeric_value));
  pair.items.push_back(std::move(options));
  return pair;
}

} // namespace

std::string budget_path_pattern(std::string_view path) {
  if (path.empty() || path == "/") return ".*";
  // Escapes what is special in a RegExp; '$' stays an anchor, as in lhci.
  std::string escaped;
  for (char c : path) {
    if (c == '*') escaped += ".*";
    else if (std::string_view("[]{}()+?.\\^|").find(c) != std::string_view::npos) escaped += std::string("\\") + c;
    else escaped += c;
  }
  return "https?://[^/]+" + escaped;
}

util::Expected<RcValue, util::ParseError> budgets_to_assert_options(const RcValue& budgets) {
  if (!is_array_of_objects(budgets)) return util::unexpected(error("Budget file is not defined as an array of budgets.", budgets.line));
  RcValue matrix = RcValue::array_value(budgets.line);
  for (size_t index = 0; index < budgets.items.size(); ++index) {
    const RcValue& budget = budgets.items[index];
    if (auto e = excess(budget, {"path", "options", "resourceSizes", "resourceCounts", "timings"}, "Budget"))
      return util::unexpected(*e);
    const RcValue* path = budget.find("path");
    if (path) {
      if (auto e = validate_path(*path)) return util::unexpected(*e);
    }
    if (const RcValue* options = budget.find("options")) {
      if (auto e = validate_options(*options, index)) return util::unexpected(*e);
    }
    if (auto e = validate_list(budget, "resourceSizes", index, "resourceType", "Resource Budget", k_resource_types,
                               "resource type", "resource types"))
      return util::unexpected(*e);
    if (auto e = validate_list(budget, "resourceCounts", index, "resourceType", "Resource Budget", k_resource_types,
                               "resource type", "resource types"))
      return util::unexpected(*e);
    if (auto e = validate_list(budget, "timings", index, "metric", "Timing Budget", k_timing_metrics, "timing metric",
                               "timing metrics"))
      return util::unexpected(*e);

    RcValue assertions = RcValue::object_value(budget.line);
    if (const RcValue* timings = budget.find("timings"))
      for (const auto& t : timings->items)
        assertions.set(t.find("metric")->text, error_assertion(t.find("budget")->number), t.line);
    if (const RcValue* counts = budget.find("resourceCounts"))
      for (const auto& c : counts->items)
        assertions.set("resource-summary:" + c.find("resourceType")->text + ":count", error_assertion(c.find("budget")->number),
                       c.line);
    if (const RcValue* sizes = budget.find("resourceSizes"))
      for (const auto& s : sizes->items)
        assertions.set("resource-summary:" + s.find("resourceType")->text + ":size",
                       error_assertion(s.find("budget")->number * 1024), s.line);
    RcValue entry = RcValue::object_value(budget.line);
    entry.set("matchingUrlPattern", RcValue::string_value(budget_path_pattern(path ? path->text : ""), budget.line), budget.line);
    entry.set("assertions", std::move(assertions), budget.line);
    matrix.items.push_back(std::move(entry));
  }
  RcValue options = RcValue::object_value(budgets.line);
  options.set("assertMatrix", std::move(matrix), budgets.line);
  return options;
}

} // namespace tollgate::gate
