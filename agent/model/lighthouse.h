#pragma once
// Lighthouse results (LHRs) and lighthouserc configurations, reduced to what `lhci assert`
// reads. Values keep their JSON type because lhci's rules depend on it (a null score is not a
// zero, a present-but-null `size` is not an absent one).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tollgate::model {

// A scalar member of an LHR as JSON.parse would give it to lhci.
struct JsonScalar {
  enum class Type { absent, null, boolean, number, string, composite };
  Type type = Type::absent;
  double number = 0; // the number, or 0/1 for a boolean
  std::string text;  // the string

  bool present() const { return type != Type::absent; }
  bool is_number() const { return type == Type::number; }
  std::optional<double> as_number() const {
    return type == Type::number ? std::optional<double>(number) : std::nullopt;
  }
  static JsonScalar of(double v) { return {Type::number, v, {}}; }
};

// One row of an audit's details.items, only the members lhci reads (resource-summary,
// user-timings and the budgets of performance-budget).
struct LhrItem {
  JsonScalar resource_type, size, transfer_size, request_count;
  JsonScalar name, duration, start_time;
  JsonScalar size_over_budget, count_over_budget;
};

struct LhrAudit {
  std::string id;
  std::string title;
  JsonScalar score;
  std::string score_display_mode; // numeric, binary, metricSavings, manual, informative, notApplicable, error
  JsonScalar numeric_value;
  std::string numeric_unit;
  size_t item_count = 0;       // details.items.length (0 without items)
  std::vector<LhrItem> items;  // kept for the audits whose items lhci reads
};

struct LhrCategory {
  std::string id;
  std::string title;
  JsonScalar score; // null when the category could not be scored
};

// One Lighthouse run of one page.
struct LighthouseRun {
  std::string source;             // the file it came from
  bool has_final_url = false;
  std::string final_url;          // lhci groups runs by it
  std::string requested_url;
  std::string lighthouse_version;
  std::string fetch_time;
  std::string runtime_error;      // runtimeError.code: message, when Lighthouse reported one
  std::vector<LhrCategory> categories;
  std::vector<LhrAudit> audits;

  const LhrAudit* audit(std::string_view id) const;
  const LhrCategory* category(std::string_view id) const;
  // Builds the lookup tables; the reader calls it once the vectors are final.
  void index();

private:
  // Positions in audits and categories ordered by id (a later duplicate after an earlier one):
  // 4 bytes an audit rather than a hash node and a copy of its id, and a lookup that allocates
  // nothing. Positions, not pointers, so that a copied run keeps a valid index.
  std::vector<uint32_t> m_audit_order;
  std::vector<uint32_t> m_category_order;
};

// One URL of a base-branch `lighthouse --json` result, for --baseline deltas.
struct LighthouseBaselineUrl {
  std::string url;
  std::map<std::string, double> categories; // id → median score, 0–1
  std::map<std::string, double> metrics;    // audit id → median numeric value
};

// A value of a lighthouserc or budgets file, typed as JavaScript sees it after JSON.parse or
// js-yaml, with the line each value starts on (0 for values that came from a preset).
struct RcMember;
struct RcValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<RcValue> items;    // array
  std::vector<RcMember> members; // object, in insertion order, keys unique
  int line = 0;

  bool is_object() const { return type == Type::object; }
  bool is_array() const { return type == Type::array; }
  bool is_string() const { return type == Type::string; }
  bool is_number() const { return type == Type::number; }
  const RcValue* find(std::string_view key) const;
  RcValue* find(std::string_view key);
  const RcMember* find_member(std::string_view key) const;
  // Sets a member; an existing key keeps its position (as a JavaScript object does).
  RcValue& set(std::string key, RcValue value, int key_line = 0);
  bool erase(std::string_view key);
  // JavaScript truthiness (0, "", null and NaN are false; objects and arrays are true).
  bool truthy() const;

  static RcValue string_value(std::string s, int line = 0);
  static RcValue number_value(double n, int line = 0);
  static RcValue object_value(int line = 0);
  static RcValue array_value(int line = 0);
};

struct RcMember {
  std::string key;
  RcValue value;
  int key_line = 0; // the line the key is written on; annotations point here
};

// lhci's own merge (@lhci/utils lodash.js): objects merge key by key, arrays element by element,
// anything else is replaced by `from`. Presets and `extends` are merged with it; it is why a user's
// ["warn", {"minScore": 0.5}] over a preset's ["error", {"maxLength": 0}] keeps maxLength.
void merge_like_lhci(RcValue& into, const RcValue& from);

} // namespace tollgate::model
