#include "report/lhr.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <algorithm>
#include <unordered_map>

#include "report/lhr_simd.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::report {

namespace {

using model::JsonScalar;

// Where in the LHR an open object or array is; everything else is skipped without being kept.
enum class Where { root, runtime_error, categories, category, audits, audit, details, items, item, other };

struct Frame {
  Where where;
  std::string key; // the last key read in this object
};

// The audits whose rows lhci reads; other audits keep only the number of rows.
bool keeps_items(std::string_view audit_id) {
  return audit_id == "resource-summary" || audit_id == "user-timings" || audit_id == "performance-budget";
}

class LhrHandler {
public:
  bool StartObject() { return open(true); }
  bool StartArray() { return open(false); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  // Most of an LHR is audit details nobody reads (Where::other): their keys, strings and numbers
  // are passed over without a copy or a strtod.
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (m_stack.back().where != Where::other) m_stack.back().key.assign(s, n);
    return true;
  }

  bool Null() { return scalar({JsonScalar::Type::null, 0, {}}); }
  bool Bool(bool b) { return scalar({JsonScalar::Type::boolean, b ? 1.0 : 0.0, {}}); }
  bool Int(int i) { return scalar(JsonScalar::of(i)); }
  bool Uint(unsigned u) { return scalar(JsonScalar::of(u)); }
  bool Int64(int64_t i) { return scalar(JsonScalar::of(static_cast<double>(i))); }
  bool Uint64(uint64_t u) { return scalar(JsonScalar::of(static_cast<double>(u))); }
  bool Double(double d) { return scalar(JsonScalar::of(d)); }
  // Numbers come as text and are read with strtod (see util::json_number).
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return unread() || scalar(JsonScalar::of(util::json_number(s, n)));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return unread() || scalar({JsonScalar::Type::string, 0, std::string(s, n)});
  }

  bool too_deep() const { return m_too_deep; }
  bool saw_root_object() const { return m_saw_root_object; }
  bool saw_audits() const { return m_saw_audits; }
  model::LighthouseRun take() {
    if (!m_runtime_error_code.empty() || !m_runtime_error_message.empty())
      m_run.runtime_error = m_runtime_error_code + (m_runtime_error_message.empty() ? "" : ": " + m_runtime_error_message);
    m_run.index();
    return std::move(m_run);
  }

private:
  bool unread() const { return !m_stack.empty() && m_stack.back().where == Where::other; }

  Where child_of(const Frame& parent, bool is_object) const {
    switch (parent.where) {
    case Where::root:
      if (!is_object) return Where::other;
      if (parent.key == "categories") return Where::categories;
      if (parent.key == "audits") return Where::audits;
      if (parent.key == "runtimeError") return Where::runtime_error;
      return Where::other;
    case Where::categories: return is_object ? Where::category : Where::other;
    case Where::audits: return is_object ? Where::audit : Where::other;
    case Where::audit: return is_object && parent.key == "details" ? Where::details : Where::other;
    case Where::details: return !is_object && parent.key == "items" ? Where::items : Where::other;
    case Where::items: return is_object && m_keep_items ? Where::item : Where::other;
    default: return Where::other;
    }
  }

  bool open(bool is_object) {
    if (m_stack.size() >= util::k_max_json_depth) {
      m_too_deep = true;
      return false;
    }
    if (m_stack.empty()) {
      m_saw_root_object = is_object;
      m_stack.push_back({is_object ? Where::root : Where::other, {}});
      return true;
    }
    Frame& parent = m_stack.back();
    if (parent.where == Where::items) ++m_audit->item_count;
    mark_composite(parent);
    const Where where = child_of(parent, is_object);
    switch (where) {
    case Where::categories: m_run.categories.clear(); m_category_slot.clear(); break;
    case Where::audits:
      m_saw_audits = true;
      m_run.audits.clear();
      m_audit_slot.clear();
      break;
    case Where::category: {
      // A repeated key replaces the earlier member, as JSON.parse does.
      auto [it, fresh] = m_category_slot.try_emplace(parent.key, m_run.categories.size());
      if (fresh) m_run.categories.emplace_back();
      m_category = &m_run.categories[it->second];
      *m_category = model::LhrCategory{};
      m_category->id = parent.key;
      break;
    }
    case Where::audit: {
      auto [it, fresh] = m_audit_slot.try_emplace(parent.key, m_run.audits.size());
      if (fresh) m_run.audits.emplace_back();
      m_audit = &m_run.audits[it->second];
      *m_audit = model::LhrAudit{};
      m_audit->id = parent.key;
      m_keep_items = keeps_items(parent.key);
      break;
    }
    case Where::items:
      m_audit->item_count = 0;
      m_audit->items.clear();
      break;
    case Where::item: m_audit->items.emplace_back(); break;
    default: break;
    }
    m_stack.push_back({where, {}});
    return true;
  }

  static JsonScalar* item_slot(model::LhrItem& item, std::string_view key) {
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

  // An object or array where lhci expects a number: present, but not a number.
  void mark_composite(const Frame& parent) {
    const JsonScalar composite{JsonScalar::Type::composite, 0, {}};
    if (parent.where == Where::item) {
      if (JsonScalar* slot = item_slot(m_audit->items.back(), parent.key)) *slot = composite;
    } else if (parent.where == Where::audit) {
      if (parent.key == "score") m_audit->score = composite;
      else if (parent.key == "numericValue") m_audit->numeric_value = composite;
    } else if (parent.where == Where::category && parent.key == "score") {
      m_category->score = composite;
    }
  }

  bool close() {
    m_stack.pop_back();
    return true;
  }

  bool scalar(JsonScalar value) {
    if (m_stack.empty()) return true; // a bare scalar document: not an LHR, said by the caller
    Frame& top = m_stack.back();
    const std::string& key = top.key;
    const auto text = [&](std::string& out) {
      if (value.type == JsonScalar::Type::string) out = std::move(value.text);
    };
    switch (top.where) {
    case Where::root:
      if (key == "finalUrl") {
        m_run.has_final_url = value.type == JsonScalar::Type::string;
        text(m_run.final_url);
      } else if (key == "requestedUrl") {
        text(m_run.requested_url);
      } else if (key == "lighthouseVersion") {
        text(m_run.lighthouse_version);
      } else if (key == "fetchTime") {
        text(m_run.fetch_time);
      }
      break;
    case Where::runtime_error:
      if (key == "code") text(m_runtime_error_code);
      else if (key == "message") text(m_runtime_error_message);
      break;
    case Where::category:
      if (key == "score") m_category->score = std::move(value);
      else if (key == "title") text(m_category->title);
      break;
    case Where::audit:
      if (key == "score") m_audit->score = std::move(value);
      else if (key == "scoreDisplayMode") text(m_audit->score_display_mode);
      else if (key == "numericValue") m_audit->numeric_value = std::move(value);
      else if (key == "numericUnit") text(m_audit->numeric_unit);
      else if (key == "title") text(m_audit->title);
      break;
    case Where::items: ++m_audit->item_count; break;
    case Where::item:
      if (JsonScalar* slot = item_slot(m_audit->items.back(), key)) *slot = std::move(value);
      break;
    default: break;
    }
    return true;
  }

  model::LighthouseRun m_run;
  std::vector<Frame> m_stack;
  std::unordered_map<std::string, size_t> m_audit_slot, m_category_slot;
  model::LhrAudit* m_audit = nullptr;
  model::LhrCategory* m_category = nullptr;
  bool m_keep_items = false;
  bool m_too_deep = false;
  bool m_saw_root_object = false;
  bool m_saw_audits = false;
  std::string m_runtime_error_code, m_runtime_error_message;
};

} // namespace

util::Expected<model::LighthouseRun, util::ParseError> parse_lhr_padded(std::string_view bytes) {
  if (auto run = parse_lhr_simd(bytes)) return std::move(*run);
  return parse_lhr_reference_padded(bytes);
}

util::Expected<model::LighthouseRun, util::ParseError> parse_lhr_reference_padded(std::string_view bytes) {
  // The reader runs without per-character validation, which lets it cross strings — most of an
  // LHR is base64 screenshots and audit details — sixteen bytes at a time (RAPIDJSON_SSE2), and
  // copy only the strings it hands over, never the file. Its SIMD scan lets the raw control
  // bytes 0x1A–0x1F through, and nothing checks UTF-8: the text up to where parsing stopped is
  // checked afterwards, so the first fault in the file is the one reported.
  rapidjson::StringStream is(bytes.data()); // stops at the first NUL: the padding, or one inside
  LhrHandler handler;
  rapidjson::Reader reader;
  const rapidjson::ParseResult ok =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
                   rapidjson::kParseStopWhenDoneFlag>(is, handler);
  // Where parsing stopped; a failure's own byte is included, so a control character the reader
  // trips over is named as what it is.
  const size_t stop = ok ? is.Tell() : ok.Offset();
  const size_t checked = std::min(ok ? stop : stop + 1, bytes.size());
  if (const size_t bad = util::first_invalid_json_text(bytes.substr(0, checked)); bad != std::string_view::npos)
    return util::unexpected(util::error_at(bytes, bad, util::describe_invalid_json_text(bytes, bad)));
  if (!ok) {
    if (handler.too_deep())
      return util::unexpected(util::error_at(bytes, ok.Offset(), "nesting deeper than " +
                                                                     std::to_string(util::k_max_json_depth) + " levels"));
    return util::unexpected(util::error_at(bytes, ok.Offset(), rapidjson::GetParseError_En(ok.Code())));
  }
  size_t rest = stop;
  while (rest < bytes.size() && util::is_json_blank(bytes[rest])) ++rest;
  if (rest != bytes.size()) return util::unexpected(util::error_at(bytes, rest, "unexpected data after the JSON value"));
  if (!handler.saw_root_object() || !handler.saw_audits())
    return util::unexpected(util::ParseError{"not a Lighthouse result (LHR): no \"audits\" object at the top level", 1, 1});
  return handler.take();
}

util::Expected<model::LighthouseRun, util::ParseError> parse_lhr(std::string_view bytes) {
  std::string padded;
  padded.reserve(bytes.size() + util::k_simd_padding);
  padded.append(bytes).append(util::k_simd_padding, '\0');
  return parse_lhr_padded(std::string_view(padded.data(), bytes.size()));
}

bool looks_like_lhr(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 4096);
  return head.find("\"lighthouseVersion\"") != std::string_view::npos || bytes.find("\"audits\"") != std::string_view::npos;
}

} // namespace tollgate::report
