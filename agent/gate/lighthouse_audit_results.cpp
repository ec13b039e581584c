#include "gate/lighthouse_audit_results.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <set>

#include "gate/lighthouse_presets.h"
#include "gate/lighthouse_values.h"

namespace tollgate::gate {

namespace {

using model::JsonScalar;
using model::RcValue;

// lhci assertions.js: an assertion with none of minScore, maxNumericValue, maxLength checks this.
constexpr double k_default_min_score = 0.9;

[[noreturn]] void fail(std::string message) {
  throw LighthouseConfigFailure{util::ParseError{std::move(message), 0, 0}};
}

// The part of an audit (or of lhci's pseudo-audits) that its value getters read.
struct AuditView {
  JsonScalar score;
  std::string score_display_mode;
  JsonScalar numeric_value;
  size_t item_count = 0;
};
using MaybeAudit = std::optional<AuditView>;

AuditView view_of(const model::LhrAudit& a) { return {a.score, a.score_display_mode, a.numeric_value, a.item_count}; }

// What AUDIT_TYPE_VALUE_GETTERS returns: undefined, something that is not a finite number, or one.
struct Read {
  enum class Kind { undefined, invalid, number } kind;
  double value = 0;
};

Read read(const AuditView& a, std::string_view option) {
  if (option == "minScore") {
    if (a.score.is_number()) return {Read::Kind::number, a.score.number};
    if (a.score_display_mode == "notApplicable") return {Read::Kind::number, 1};
    if (a.score_display_mode == "informative") return {Read::Kind::number, 0};
    return {Read::Kind::undefined};
  }
  if (option == "maxLength") return {Read::Kind::number, static_cast<double>(a.item_count)};
  if (!a.numeric_value.present()) return {Read::Kind::undefined};
  if (a.numeric_value.is_number() && std::isfinite(a.numeric_value.number)) return {Read::Kind::number, a.numeric_value.number};
  return {Read::Kind::invalid};
}

const char* operator_for(std::string_view option) { return option == "minScore" ? ">=" : "<="; }

bool passes(std::string_view option, double actual, double expected) {
  return option == "minScore" ? actual >= expected : actual <= expected; // NaN compares false, as in JS
}

// getAssertionResult: one option over the runs' audits (all defined).
LighthouseAssertion assertion_result(const std::vector<AuditView>& audits, const std::string& method,
                                     const std::string& option, double expected) {
  LighthouseAssertion r;
  r.name = option;
  r.expected = expected;
  r.op = operator_for(option);
  r.aggregation = method;
  std::vector<Read> reads;
  std::vector<double> finite;
  for (const auto& a : audits) {
    reads.push_back(read(a, option));
    if (reads.back().kind == Read::Kind::number) finite.push_back(reads.back().value);
  }
  const bool pessimistic = method == "pessimistic";
  if ((finite.empty() && !pessimistic) || (finite.size() != reads.size() && pessimistic)) {
    const bool any_undefined = std::any_of(reads.begin(), reads.end(), [](const Read& x) { return x.kind == Read::Kind::undefined; });
    r.message = any_undefined ? fmt::format("Audit did not produce a value at all. \"{}\" might not be a valid assertion for this audit.", option)
                : pessimistic ? "Audit failed to produce a valid value. Try using an aggregationMethod other than \"pessimistic\"."
                              : "Audit failed to produce a valid value. If this is reproducible, please file an issue on GitHub.";
    for (const auto& x : reads) r.values.push_back(x.kind == Read::Kind::number ? std::optional<double>(x.value) : std::nullopt);
    r.passed = false;
    return r;
  }
  const double actual = aggregate_values(finite, method, option);
  r.actual = actual;
  for (double v : finite) r.values.push_back(v);
  r.passed = passes(option, actual, expected);
  return r;
}

// The aggregation method in effect: `aggregationMethod = 'optimistic'` applies only when it is
// absent; a non-string value matches no method (and so takes the maximum).
std::string method_of(const RcValue& options) {
  const RcValue* m = options.find("aggregationMethod");
  if (!m) return "optimistic";
  return m->is_string() ? m->text : fmt::format("<{}>", js_to_string(*m));
}

// getStandardAssertionResults.
std::vector<LighthouseAssertion> standard_results(const std::vector<MaybeAudit>& audits, const RcValue& options,
                                                  const std::string* audit_id) {
  const std::string method = method_of(options);
  if (std::any_of(audits.begin(), audits.end(), [](const MaybeAudit& a) { return !a; })) {
    LighthouseAssertion r;
    r.name = "auditRan";
    r.expected = 1;
    r.actual = 0;
    r.op = std::string(">=");
    r.aggregation = method;
    for (const auto& a : audits) r.values.push_back(a ? 1.0 : 0.0);
    r.passed = false;
    if (audit_id && !is_known_lighthouse_audit(*audit_id)) r.message = fmt::format("\"{}\" is not a known audit.", *audit_id);
    return {r};
  }
  std::vector<AuditView> defined;
  for (const auto& a : audits) defined.push_back(*a);
  std::vector<LighthouseAssertion> out;
  bool had_manual = false;
  for (const char* option : {"maxLength", "maxNumericValue"}) {
    const RcValue* v = options.find(option);
    if (!v) continue;
    had_manual = true;
    out.push_back(assertion_result(defined, method, option, js_to_number(*v)));
  }
  const RcValue* min_score = options.find("minScore");
  if (min_score || !had_manual)
    out.push_back(assertion_result(defined, method, "minScore", min_score ? js_to_number(*min_score) : k_default_min_score));
  return out;
}

// getBudgetAssertionResults: Lighthouse's own performance-budget audit (Lighthouse 11 and older).
std::vector<LighthouseAssertion> budget_audit_results(const std::vector<const model::LhrAudit*>& audits) {
  std::vector<LighthouseAssertion> out;
  std::set<std::string> seen;
  const auto row = [&](const std::string& key, double actual, double expected) {
    AuditView v;
    v.score = JsonScalar::of(0);
    v.numeric_value = JsonScalar::of(actual);
    if (!std::isfinite(actual)) v.numeric_value.type = JsonScalar::Type::null;
    auto r = assertion_result({v}, "pessimistic", "maxNumericValue", expected);
    r.audit_property = key;
    out.push_back(std::move(r));
    seen.insert(key);
  };
  const auto truthy = [](const JsonScalar& s) {
    return (s.is_number() && s.number != 0 && !std::isnan(s.number)) || (s.type == JsonScalar::Type::string && !s.text.empty()) ||
           (s.type == JsonScalar::Type::boolean && s.number != 0) || s.type == JsonScalar::Type::composite;
  };
  const auto number = [](const JsonScalar& s) { return s.is_number() ? s.number : std::numeric_limits<double>::quiet_NaN(); };
  for (const auto* audit : audits) {
    if (!audit) continue;
    for (const auto& item : audit->items) {
      const std::string type = item.resource_type.type == JsonScalar::Type::string ? item.resource_type.text : "undefined";
      const std::string size_key = type + ".size", count_key = type + ".count";
      if (truthy(item.size_over_budget) && !seen.count(size_key)) {
        const double actual = truthy(item.size) ? number(item.size) : number(item.transfer_size);
        row(size_key, actual, actual - number(item.size_over_budget));
      }
      if (truthy(item.count_over_budget) && !seen.count(count_key) && item.count_over_budget.type == JsonScalar::Type::string) {
        const std::string& text = item.count_over_budget.text;
        const size_t digit = text.find_first_of("0123456789");
        if (digit == std::string::npos) continue;
        const double over = std::strtod(text.substr(digit, text.find_first_not_of("0123456789", digit) - digit).c_str(), nullptr);
        const double actual = number(item.request_count);
        row(count_key, actual, actual - over);
      }
    }
  }
  return out;
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : key) {
    if (c == '.' || c == ':') {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

std::string join(const std::vector<std::string>& parts, size_t from, char sep) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += (i > from ? std::string(1, sep) : "") + parts[i];
  return out;
}

// getAssertionResultsForAudit.
std::vector<LighthouseAssertion> results_for_audit(const std::string& audit_id, const std::vector<std::string>& property,
                                                   const std::vector<const model::LighthouseRun*>& audit_runs,
                                                   const RcValue& options,
                                                   const std::vector<const model::LighthouseRun*>& all_runs,
                                                   const std::string& key) {
  std::vector<const model::LhrAudit*> audits;
  for (const auto* run : audit_runs) audits.push_back(run->audit(audit_id));
  const auto stamp = [](std::vector<LighthouseAssertion> rs, const std::string& prop) {
    for (auto& r : rs) r.audit_property = prop;
    return rs;
  };
  if (audit_id == "performance-budget") return budget_audit_results(audits);
  if (audit_id == "categories" && !property.empty()) {
    if (property.size() != 1) fail(fmt::format("Invalid resource-summary assertion \"{}\"", join(property, 0, '.')));
    std::vector<MaybeAudit> pseudo;
    for (const auto* run : all_runs) {
      const auto* category = run->category(property[0]);
      if (!category) pseudo.emplace_back();
      else pseudo.push_back(AuditView{category->score, {}, {}, 0});
    }
    return stamp(standard_results(pseudo, options, nullptr), property[0]);
  }
  if (audit_id == "resource-summary" && !property.empty()) {
    if (property.size() != 2 || (property[1] != "size" && property[1] != "count"))
      fail(fmt::format("Invalid resource-summary assertion \"{}\" in {}", join(property, 0, '.'), key));
    const bool size = property[1] == "size";
    std::vector<MaybeAudit> pseudo;
    for (const auto* a : audits) {
      MaybeAudit view;
      if (a) {
        const auto it = std::find_if(a->items.begin(), a->items.end(), [&](const model::LhrItem& item) {
          return item.resource_type.type == JsonScalar::Type::string && item.resource_type.text == property[0];
        });
        if (it != a->items.end()) {
          const JsonScalar& primary = size ? it->size : it->request_count;
          const JsonScalar* value = primary.present() ? &primary : size && it->transfer_size.present() ? &it->transfer_size : nullptr;
          if (value) {
            view = view_of(*a);
            view->numeric_value = *value;
          }
        }
      }
      pseudo.push_back(std::move(view));
    }
    return stamp(standard_results(pseudo, options, nullptr), join(property, 0, '.'));
  }
  if (audit_id == "user-timings" && !property.empty()) {
    const std::string timing = lhci_kebab_case(join(property, 0, '-'), true);
    std::vector<MaybeAudit> pseudo;
    for (const auto* a : audits) {
      MaybeAudit view;
      if (a) {
        const auto it = std::find_if(a->items.begin(), a->items.end(), [&](const model::LhrItem& item) {
          return item.name.type == JsonScalar::Type::string && lhci_kebab_case(item.name.text, true) == timing;
        });
        if (it != a->items.end()) {
          view = view_of(*a);
          const bool finite_duration = it->duration.is_number() && std::isfinite(it->duration.number);
          view->numeric_value = finite_duration ? it->duration : it->start_time;
        }
      }
      pseudo.push_back(std::move(view));
    }
    return stamp(standard_results(pseudo, options, nullptr), timing);
  }
  std::vector<MaybeAudit> views;
  for (const auto* a : audits) views.push_back(a ? MaybeAudit(view_of(*a)) : std::nullopt);
  return standard_results(views, options, &audit_id);
}

} // namespace

std::vector<std::string> split_assertion_key(const std::string& key) { return split_key(key); }

std::vector<LighthouseAssertion> audit_results(const std::string& audit_id, const std::vector<std::string>& property,
                                               const std::vector<const model::LighthouseRun*>& audit_runs,
                                               const model::RcValue& options,
                                               const std::vector<const model::LighthouseRun*>& all_runs,
                                               const std::string& key) {
  return results_for_audit(audit_id, property, audit_runs, options, all_runs, key);
}

} // namespace tollgate::gate
