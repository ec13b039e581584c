#pragma once
// Where two readings of one LHR differ (empty when they are the same run): the differential tests
// of the simdjson reader against the RapidJSON one (unit test and fuzz target). Numbers compare
// bit for bit, so a lost sign of zero or a rounding difference is a difference.
#include <cstring>
#include <string>

#include "model/lighthouse.h"

namespace tollgate::testing {

inline std::string scalar_difference(const model::JsonScalar& a, const model::JsonScalar& b) {
  if (a.type != b.type) return "type";
  if (std::memcmp(&a.number, &b.number, sizeof a.number) != 0) return "number";
  if (a.text != b.text) return "text";
  return {};
}

inline std::string lhr_difference(const model::LighthouseRun& a, const model::LighthouseRun& b) {
  if (a.has_final_url != b.has_final_url || a.final_url != b.final_url) return "finalUrl";
  if (a.requested_url != b.requested_url) return "requestedUrl";
  if (a.lighthouse_version != b.lighthouse_version) return "lighthouseVersion";
  if (a.fetch_time != b.fetch_time) return "fetchTime";
  if (a.runtime_error != b.runtime_error) return "runtimeError";
  if (a.categories.size() != b.categories.size()) return "category count";
  for (size_t i = 0; i < a.categories.size(); ++i) {
    const auto &x = a.categories[i], &y = b.categories[i];
    if (x.id != y.id || x.title != y.title) return "category " + x.id;
    if (auto d = scalar_difference(x.score, y.score); !d.empty()) return "category " + x.id + " score " + d;
  }
  if (a.audits.size() != b.audits.size()) return "audit count";
  for (size_t i = 0; i < a.audits.size(); ++i) {
    const auto &x = a.audits[i], &y = b.audits[i];
    const std::string where = "audit " + x.id + " ";
    if (x.id != y.id || x.title != y.title) return where + "names";
    if (x.score_display_mode != y.score_display_mode || x.numeric_unit != y.numeric_unit)
      return where + "texts";
    if (auto d = scalar_difference(x.score, y.score); !d.empty()) return where + "score " + d;
    if (auto d = scalar_difference(x.numeric_value, y.numeric_value); !d.empty()) return where + "numericValue " + d;
    if (x.item_count != y.item_count || x.items.size() != y.items.size()) return where + "items";
    for (size_t k = 0; k < x.items.size(); ++k) {
      const auto &p = x.items[k], &q = y.items[k];
      for (auto [s, t] : {std::pair{&p.resource_type, &q.resource_type}, {&p.size, &q.size}, {&p.transfer_size, &q.transfer_size},
                          {&p.request_count, &q.request_count}, {&p.name, &q.name}, {&p.duration, &q.duration},
                          {&p.start_time, &q.start_time}, {&p.size_over_budget, &q.size_over_budget},
                          {&p.count_over_budget, &q.count_over_budget}})
        if (auto d = scalar_difference(*s, *t); !d.empty()) return where + "item " + std::to_string(k) + " " + d;
    }
  }
  return {};
}

} // namespace tollgate::testing
