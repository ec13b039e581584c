#include "report/lhr_simd.h"

#include "util/huge_heap.h"
#include "util/json.h"

#ifdef TOLLGATE_HAVE_SIMDJSON
#include <algorithm>
#include <cstring>
#include <simdjson.h>
#include <unordered_map>
#endif

namespace tollgate::report {

#ifndef TOLLGATE_HAVE_SIMDJSON

bool lhr_simd_available() { return false; }
std::optional<model::LighthouseRun> parse_lhr_simd(std::string_view) { return std::nullopt; }

#else

static_assert(util::k_simd_padding >= simdjson::SIMDJSON_PADDING, "simdjson reads up to its padding past the input");

namespace {

using model::JsonScalar;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Shallower than the RapidJSON reader's limit (util::k_max_json_depth): a document simdjson
// accepts is then always within it; deeper ones are the RapidJSON reader's to refuse or read.
constexpr size_t k_simd_max_depth = util::k_max_json_depth - 16;
// An LHR is 0.3–1 MB (Lighthouse 12 on a real page, tests/data/lighthouse); only the pages a
// document touches are ever mapped in.
constexpr size_t k_simd_first_capacity = size_t{2} << 20;

// A number JSON writes as "-0" is negative zero to JSON.parse (and strtod) but the integer 0 to
// simdjson: a document holding that token is left to the RapidJSON reader. A match inside a
// string only costs the fast path.
bool has_negative_integer_zero(std::string_view bytes) {
  for (size_t at = bytes.find("-0"); at != std::string_view::npos; at = bytes.find("-0", at + 2)) {
    const char next = at + 2 < bytes.size() ? bytes[at + 2] : ' ';
    if (next == ',' || next == ']' || next == '}' || next == ' ' || next == '\n' || next == '\r' || next == '\t')
      return true;
  }
  return false;
}

// The parser's tape, strings and structural indexes are written afresh for every file, and with
// base pages their first touch was a third of the page faults of a run over a hundred LHRs
// (docs/lighthouse.md): huge pages over them (util/huge_heap.h).
void advise_huge_pages(simdjson::dom::parser& parser) {
  using util::advise_huge_pages;
  const size_t capacity = parser.capacity();
  advise_huge_pages(parser.doc.tape.get(), SIMDJSON_ROUNDUP_N(capacity + 3, 64) * sizeof(uint64_t));
  advise_huge_pages(parser.doc.string_buf.get(), SIMDJSON_ROUNDUP_N(5 * capacity / 3 + simdjson::SIMDJSON_PADDING, 64));
  if (parser.implementation)
    advise_huge_pages(parser.implementation->structural_indexes.get(), (capacity + 2) * sizeof(uint32_t));
}

bool is_composite(const element& e) {
  const element_type t = e.type();
  return t == element_type::OBJECT || t == element_type::ARRAY;
}

// What JSON.parse gives lhci for a scalar (util::json_number reads the same doubles).
JsonScalar scalar_of(const element& e) {
  switch (e.type()) {
  case element_type::NULL_VALUE: return {JsonScalar::Type::null, 0, {}};
  case element_type::BOOL: return {JsonScalar::Type::boolean, e.get_bool().value_unsafe() ? 1.0 : 0.0, {}};
  case element_type::INT64: return JsonScalar::of(static_cast<double>(e.get_int64().value_unsafe()));
  case element_type::UINT64: return JsonScalar::of(static_cast<double>(e.get_uint64().value_unsafe()));
  case element_type::DOUBLE: return JsonScalar::of(e.get_double().value_unsafe());
  case element_type::STRING: return {JsonScalar::Type::string, 0, std::string(e.get_string().value_unsafe())};
  default: return {JsonScalar::Type::composite, 0, {}};
  }
}

// A string member's text replaces `out`; any other scalar leaves it (the reader's text()).
void text_of(const element& e, std::string& out) {
  if (e.type() == element_type::STRING) out = std::string(e.get_string().value_unsafe());
}

JsonScalar* item_slot(model::LhrItem& item, std::string_view key) {
  return key == "resourceType"      ? &item.resource_type
         : key == "size"            ? &item.size
         : key == "transferSize"    ? &item.transfer_size
         : key == "requestCount"    ? &item.request_count
         : key == "name"            ? &item.name
         : key == "duration"        ? &item.duration
         : key == "startTime"       ? &item.start_time
         : key == "sizeOverBudget"  ? &item.size_over_budget
         : key == "countOverBudget" ? &item.count_over_budget
                                    : nullptr;
}

bool keeps_items(std::string_view audit_id) {
  return audit_id == "resource-summary" || audit_id == "user-timings" || audit_id == "performance-budget";
}

// Objects and arrays are named before a range-for walks them: `for (x : r.get_object().value_unsafe())`
// would walk a reference into a temporary destroyed before the loop starts.
// The same walk as the SAX reader in lhr.cpp, member by member and in document order, so a
// repeated key replaces the earlier one exactly as there.
class Walker {
public:
  bool saw_audits = false;

  void root(object o) {
    for (auto [key, value] : o) {
      if (is_composite(value)) {
        if (value.type() != element_type::OBJECT) continue;
        if (key == "categories") categories(value.get_object().value_unsafe());
        else if (key == "audits") audits(value.get_object().value_unsafe());
        else if (key == "runtimeError") runtime_error(value.get_object().value_unsafe());
        continue;
      }
      if (key == "finalUrl") {
        run.has_final_url = value.type() == element_type::STRING;
        text_of(value, run.final_url);
      } else if (key == "requestedUrl") {
        text_of(value, run.requested_url);
      } else if (key == "lighthouseVersion") {
        text_of(value, run.lighthouse_version);
      } else if (key == "fetchTime") {
        text_of(value, run.fetch_time);
      }
    }
  }

  model::LighthouseRun take() {
    if (!m_error_code.empty() || !m_error_message.empty())
      run.runtime_error = m_error_code + (m_error_message.empty() ? "" : ": " + m_error_message);
    run.index();
    return std::move(run);
  }

private:
  void runtime_error(object o) {
    for (auto [key, value] : o) {
      if (key == "code") text_of(value, m_error_code);
      else if (key == "message") text_of(value, m_error_message);
    }
  }

  void categories(object o) {
    run.categories.clear();
    m_category_slot.clear();
    m_category_slot.reserve(o.size());
    for (auto [key, value] : o) {
      if (value.type() != element_type::OBJECT) continue;
      auto [it, fresh] = m_category_slot.try_emplace(key, run.categories.size());
      if (fresh) run.categories.emplace_back();
      model::LhrCategory& category = run.categories[it->second];
      category = model::LhrCategory{};
      category.id = std::string(key);
      const object fields = value.get_object().value_unsafe();
      for (auto [field, v] : fields) {
        if (field == "score") category.score = scalar_of(v);
        else if (field == "title" && !is_composite(v)) text_of(v, category.title);
      }
    }
  }

  void audits(object o) {
    saw_audits = true;
    run.audits.clear();
    m_audit_slot.clear();
    m_audit_slot.reserve(o.size());
    run.audits.reserve(o.size());
    for (auto [key, value] : o) {
      if (value.type() != element_type::OBJECT) continue;
      auto [it, fresh] = m_audit_slot.try_emplace(key, run.audits.size());
      if (fresh) run.audits.emplace_back();
      model::LhrAudit& audit = run.audits[it->second];
      audit = model::LhrAudit{};
      audit.id = std::string(key);
      const bool keep = keeps_items(key);
      const object fields = value.get_object().value_unsafe();
      for (auto [field, v] : fields) {
        if (is_composite(v)) {
          if (field == "score") audit.score = scalar_of(v);
          else if (field == "numericValue") audit.numeric_value = scalar_of(v);
          else if (field == "details" && v.type() == element_type::OBJECT) details(audit, v.get_object().value_unsafe(), keep);
          continue;
        }
        if (field == "score") audit.score = scalar_of(v);
        else if (field == "scoreDisplayMode") text_of(v, audit.score_display_mode);
        else if (field == "numericValue") audit.numeric_value = scalar_of(v);
        else if (field == "numericUnit") text_of(v, audit.numeric_unit);
        else if (field == "title") text_of(v, audit.title);
      }
    }
  }

  static void details(model::LhrAudit& audit, object o, bool keep) {
    for (auto [field, v] : o) {
      if (field != "items" || v.type() != element_type::ARRAY) continue;
      audit.item_count = 0;
      audit.items.clear();
      const simdjson::dom::array rows = v.get_array().value_unsafe();
      for (element row : rows) {
        ++audit.item_count;
        if (!keep || row.type() != element_type::OBJECT) continue;
        model::LhrItem& item = audit.items.emplace_back();
        const object cells = row.get_object().value_unsafe();
        for (auto [name, cell] : cells)
          if (JsonScalar* slot = item_slot(item, name)) *slot = scalar_of(cell);
      }
    }
  }

  model::LighthouseRun run;
  // Keys point into the parser's string buffer, which outlives the walk.
  std::unordered_map<std::string_view, size_t> m_audit_slot, m_category_slot;
  std::string m_error_code, m_error_message;
};

} // namespace

bool lhr_simd_available() { return true; }

std::optional<model::LighthouseRun> parse_lhr_simd(std::string_view bytes) {
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) return std::nullopt; // simdjson skips a BOM
  if (has_negative_integer_zero(bytes)) return std::nullopt;
  // One parser per thread (LHRs are read in parallel); it keeps its buffers for the next file.
  thread_local simdjson::dom::parser parser(simdjson::SIMDJSON_MAXSIZE_BYTES);
  // The first allocation is sized for a large LHR, so that a larger file later does not
  // reallocate (and fault in fresh pages for its tree).
  if (parser.max_depth() != k_simd_max_depth || parser.capacity() < bytes.size()) {
    const size_t capacity = std::max(bytes.size(), k_simd_first_capacity);
    // The document's tape and strings too: left to parse(), they would be sized for the first
    // file and reallocated for each larger one.
    if (parser.allocate(capacity, k_simd_max_depth) || parser.doc.allocate(capacity)) return std::nullopt;
    advise_huge_pages(parser);
  }
  element doc;
  if (parser.parse(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), false).get(doc)) return std::nullopt;
  if (doc.type() != element_type::OBJECT) return std::nullopt;
  Walker walker;
  walker.root(doc.get_object().value_unsafe());
  if (!walker.saw_audits) return std::nullopt;
  return walker.take();
}

#endif

} // namespace tollgate::report
