#include "gate/lighthouse_lint.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <set>

#include "gate/lighthouse_presets.h"
#include "gate/lighthouse_url_pattern.h"
#include "gate/lighthouse_values.h"
#include "util/edit_distance.h"
#include "util/text.h"

namespace tollgate::gate {

namespace {

using model::RcMember;
using model::RcValue;

constexpr std::string_view k_assert_options[] = {"preset",     "assertions",  "assertMatrix", "budgetsFile",
                                                 "includePassedAssertions", "lhr", "aggregationMethod",
                                                 "matchingUrlPattern"};
constexpr std::string_view k_assertion_options[] = {"minScore", "maxNumericValue", "maxLength", "aggregationMethod"};
constexpr std::string_view k_levels[] = {"off", "warn", "error"};
constexpr std::string_view k_methods[] = {"median", "optimistic", "pessimistic", "median-run"};

template <size_t N>
bool in(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}


// A known name that differs only in case, '-'/'_' or by a typo of up to two letters, for
// "did you mean".
template <size_t N>
std::string near_miss(const std::string_view (&list)[N], std::string_view s) {
  const auto squash = [](std::string_view x) {
    std::string out;
    for (char c : x)
      if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (auto known : list)
    if (squash(known) == squash(s)) return std::string(known);
  for (auto known : list)
    if (s.size() > 4 && util::edit_distance(squash(known), squash(s)) <= 2) return std::string(known);
  return {};
}

class Linter {
public:
  Linter(const std::vector<model::LighthouseRun>& runs, std::vector<LighthouseWarning>& out) : m_out(out) {
    for (const auto& run : runs) m_urls.push_back(run.has_final_url ? run.final_url : "undefined");
  }

  void warn(int line, std::string message) { m_out.push_back({AssertionSource::config, line, std::move(message)}); }

  void assert_section(const RcValue& section) {
    for (const auto& m : section.members) {
      if (in(k_assert_options, m.key)) continue;
      std::string camel;
      bool up = false;
      for (char c : m.key) {
        if (c == '-') up = true;
        else camel += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c, up = false;
      }
      if (in(k_assert_options, camel)) continue; // yargs reads kebab-case options too
      const std::string hint = near_miss(k_assert_options, m.key);
      warn(m.key_line, fmt::format("ci.assert.{} is not an option of lhci assert and is ignored{}", m.key,
                                   hint.empty() ? "" : fmt::format(": did you mean {}?", hint)));
    }
  }

  void option_set(const RcValue& options, bool top_level) {
    if (const RcMember* preset = options.find_member("preset"); preset && preset->value.is_string() &&
                                                                preset->value.text.find("lighthouse:") == std::string::npos)
      warn(preset->key_line, fmt::format("preset \"{}\" is ignored by lhci (it reads only \"lighthouse:all\", "
                                         "\"lighthouse:recommended\" and \"lighthouse:no-pwa\")",
                                         preset->value.text));
    if (const RcMember* method = options.find_member("aggregationMethod")) aggregation(*method);
    if (const RcMember* pattern = options.find_member("matchingUrlPattern"); pattern && pattern->value.truthy())
      url_pattern(*pattern, top_level);

    RcValue merged = RcValue::object_value();
    if (const RcValue* preset = options.find("preset"); preset && preset->is_string()) {
      const size_t at = preset->text.find("lighthouse:");
      if (at != std::string::npos)
        if (const RcValue* data = lighthouse_preset(preset->text.substr(at + 11))) merged = *data->find("assertions");
    }
    const RcValue* assertions = options.find("assertions");
    if (!assertions || !assertions->is_object()) return;
    model::merge_like_lhci(merged, *assertions);
    for (const auto& m : assertions->members) assertion(m, merged);
  }

private:
  void aggregation(const RcMember& m) {
    if (m.value.is_string() && in(k_methods, m.value.text)) return;
    warn(m.key_line, fmt::format("aggregationMethod \"{}\" is not median, optimistic, pessimistic or median-run: lhci "
                                 "then takes the highest value of the runs",
                                 js_to_string(m.value)));
  }

  void url_pattern(const RcMember& m, bool top_level) {
    const auto re = UrlPattern::compile(js_to_string(m.value));
    if (!re) return; // the verdict reports it
    const bool any = std::any_of(m_urls.begin(), m_urls.end(), [&](const std::string& u) {
      const auto matched = re->test(u);
      return matched && *matched;
    });
    if (!any)
      warn(m.key_line, fmt::format("matchingUrlPattern \"{}\" matches none of the {} URL(s){}: its assertions were not "
                                   "evaluated",
                                   js_to_string(m.value), std::set<std::string>(m_urls.begin(), m_urls.end()).size(),
                                   top_level ? "" : " of this assertMatrix entry"));
  }

  void assertion(const RcMember& m, const RcValue& merged) {
    const std::string key = lhci_kebab_case(m.key);
    if (key != m.key) {
      const RcValue* used = merged.find(key);
      if (used && used->truthy())
        warn(m.key_line, fmt::format("lhci ignores \"{}\": it reads the key as \"{}\" and uses the setting of \"{}\" "
                                     "instead; remove this one or rename it to \"{}\"",
                                     m.key, key, key, key));
      else
        warn(m.key_line, fmt::format("lhci ignores \"{}\": it looks the audit up as \"{}\", which is not set; rename it to "
                                     "\"{}\"",
                                     m.key, key, key));
      return;
    }
    const RcValue& v = m.value;
    const RcValue* level = v.is_string() ? &v : v.is_array() && !v.items.empty() ? &v.items[0] : nullptr;
    if (level && !(level->is_string() && in(k_levels, level->text)))
      warn(m.key_line, fmt::format("\"{}\": level \"{}\" is not off, warn or error: lhci evaluates the assertion but never "
                                   "fails the build on it",
                                   m.key, js_to_string(*level)));
    if (!v.is_array() || v.items.size() < 2) return;
    const RcValue& options = v.items[1];
    if (!options.is_object()) {
      warn(m.key_line, fmt::format("\"{}\": the options must be an object such as {{\"minScore\": 0.9}}; lhci ignores {} "
                                   "and checks minScore >= 0.9",
                                   m.key, js_to_string(options)));
      return;
    }
    bool any_known = false;
    for (const auto& o : options.members) {
      if (in(k_assertion_options, o.key)) {
        any_known = any_known || o.key != "aggregationMethod";
        if (o.key == "aggregationMethod") aggregation(o);
        else if (!o.value.is_number())
          warn(o.key_line, fmt::format("\"{}\": {} is not a number; lhci compares against it as {}", m.key, o.key,
                                       js_to_string(RcValue::number_value(js_to_number(o.value)))));
        continue;
      }
      std::string fix;
      if (lower(o.key) == "minnumericvalue") fix = "maxNumericValue (lhci has no lower bound for numeric values)";
      else if (lower(o.key) == "maxscore") fix = "minScore (lhci has no upper bound for scores)";
      else if (lower(o.key) == "minlength") fix = "maxLength (lhci has no lower bound for lengths)";
      else fix = near_miss(k_assertion_options, o.key);
      warn(o.key_line, fmt::format("\"{}\": lhci ignores the unknown option {}{}", m.key, o.key,
                                   fix.empty() ? "; the options are minScore, maxNumericValue, maxLength and aggregationMethod"
                                               : "; did you mean " + fix + "?"));
    }
    if (!any_known && !options.members.empty())
      warn(m.key_line, fmt::format("\"{}\": with no minScore, maxNumericValue or maxLength lhci checks minScore >= 0.9", m.key));
  }

  std::vector<LighthouseWarning>& m_out;
  std::vector<std::string> m_urls;
};

} // namespace

std::vector<LighthouseWarning> lint_lighthouse(const LighthouseAssertInput& input, const RcValue* assert_section,
                                               const std::vector<model::LighthouseRun>& runs,
                                               const LighthouseVerdict& verdict) {
  std::vector<LighthouseWarning> out;
  Linter linter(runs, out);
  if (assert_section && assert_section->is_object()) linter.assert_section(*assert_section);
  const RcValue* matrix = input.options.find("assertMatrix");
  if (!input.options.find("budgetsFile")) {
    if (matrix && matrix->is_array()) {
      for (const auto& entry : matrix->items)
        if (entry.is_object()) linter.option_set(entry, false);
    } else {
      linter.option_set(input.options, true);
    }
  }
  // performance-budget is Lighthouse's own budgets audit: lhci returns nothing when it is absent.
  std::set<std::string> budget_keys;
  const auto check_budget_audit = [&](const RcValue& options) {
    const RcValue* assertions = options.find("assertions");
    if (!assertions || !assertions->is_object()) return;
    for (const auto& m : assertions->members) {
      if (lhci_kebab_case(m.key) != "performance-budget" || !m.value.truthy()) continue;
      const bool present = std::any_of(runs.begin(), runs.end(), [](const auto& r) { return r.audit("performance-budget"); });
      if (!present && budget_keys.insert(m.key).second)
        linter.warn(m.key_line, "performance-budget: the runs have no performance-budget audit (Lighthouse 12 removed "
                                "budgets); lhci checks nothing here. Use budgetsFile instead");
    }
  };
  if (matrix && matrix->is_array()) {
    for (const auto& entry : matrix->items) check_budget_audit(entry);
  } else {
    check_budget_audit(input.options);
  }
  (void)verdict;
  return out;
}

std::string explain_missing_audit(const LighthouseAssertion& a, const std::vector<model::LighthouseRun>& runs) {
  if (a.name != "auditRan" || runs.empty()) return {};
  const std::string version = runs.front().lighthouse_version;
  if (a.audit_id == "categories") {
    if (a.audit_property == "pwa") return "Lighthouse 12 removed the PWA category";
    std::string ids;
    for (const auto& c : runs.front().categories) ids += (ids.empty() ? "" : ", ") + c.id;
    return fmt::format("the runs (Lighthouse {}) have no category \"{}\"; they have {}", version, a.audit_property, ids);
  }
  if (a.audit_id == "resource-summary" || a.audit_id == "user-timings")
    return fmt::format("no \"{}\" row in the {} table of some run", a.audit_property, a.audit_id);
  const std::string insight = a.audit_id + "-insight";
  if (runs.front().audit(insight))
    return fmt::format("Lighthouse {} has no audit \"{}\"; its insight \"{}\" replaces it", version, a.audit_id, insight);
  if (is_known_lighthouse_audit(a.audit_id))
    return fmt::format("Lighthouse {} did not produce the audit \"{}\" (removed or not run)", version, a.audit_id);
  return fmt::format("\"{}\" is not a Lighthouse audit", a.audit_id);
}

} // namespace tollgate::gate
