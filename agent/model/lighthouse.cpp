#include "model/lighthouse.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace tollgate::model {

namespace {

// The entry whose id is `id` (the last of equal ids, as a map assigned in order keeps), or nullptr.
template <class T>
const T* find_by_id(const std::vector<T>& entries, const std::vector<uint32_t>& order, std::string_view id) {
  const auto it = std::upper_bound(order.begin(), order.end(), id,
                                   [&](std::string_view key, uint32_t i) { return key < std::string_view(entries[i].id); });
  if (it == order.begin() || entries[*std::prev(it)].id != id) return nullptr;
  return &entries[*std::prev(it)];
}

template <class T>
void order_by_id(const std::vector<T>& entries, std::vector<uint32_t>& order) {
  order.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return entries[a].id < entries[b].id; });
}

} // namespace

const LhrAudit* LighthouseRun::audit(std::string_view id) const { return find_by_id(audits, m_audit_order, id); }

const LhrCategory* LighthouseRun::category(std::string_view id) const {
  return find_by_id(categories, m_category_order, id);
}

void LighthouseRun::index() {
  order_by_id(audits, m_audit_order);
  order_by_id(categories, m_category_order);
}

const RcMember* RcValue::find_member(std::string_view key) const {
  const auto it = std::find_if(members.begin(), members.end(), [&](const RcMember& m) { return m.key == key; });
  return it == members.end() ? nullptr : &*it;
}

const RcValue* RcValue::find(std::string_view key) const {
  const RcMember* m = find_member(key);
  return m ? &m->value : nullptr;
}

RcValue* RcValue::find(std::string_view key) {
  const auto it = std::find_if(members.begin(), members.end(), [&](const RcMember& m) { return m.key == key; });
  return it == members.end() ? nullptr : &it->value;
}

RcValue& RcValue::set(std::string key, RcValue value, int key_line) {
  for (auto& m : members) {
    if (m.key != key) continue;
    m.value = std::move(value);
    if (key_line) m.key_line = key_line;
    return m.value;
  }
  members.push_back({std::move(key), std::move(value), key_line});
  return members.back().value;
}

bool RcValue::erase(std::string_view key) {
  const auto it = std::find_if(members.begin(), members.end(), [&](const RcMember& m) { return m.key == key; });
  if (it == members.end()) return false;
  members.erase(it);
  return true;
}

bool RcValue::truthy() const {
  switch (type) {
  case Type::null: return false;
  case Type::boolean: return boolean;
  case Type::number: return number != 0 && !std::isnan(number);
  case Type::string: return !text.empty();
  case Type::array:
  case Type::object: return true;
  }
  return false;
}

RcValue RcValue::string_value(std::string s, int line) {
  RcValue v;
  v.type = Type::string;
  v.text = std::move(s);
  v.line = line;
  return v;
}

RcValue RcValue::number_value(double n, int line) {
  RcValue v;
  v.type = Type::number;
  v.number = n;
  v.line = line;
  return v;
}

RcValue RcValue::object_value(int line) {
  RcValue v;
  v.type = Type::object;
  v.line = line;
  return v;
}

RcValue RcValue::array_value(int line) {
  RcValue v;
  v.type = Type::array;
  v.line = line;
  return v;
}

void merge_like_lhci(RcValue& into, const RcValue& from) {
  if (into.is_array()) {
    if (!from.is_array()) {
      into = from;
      return;
    }
    for (size_t i = 0; i < from.items.size(); ++i) {
      if (i < into.items.size()) merge_like_lhci(into.items[i], from.items[i]);
      else into.items.push_back(from.items[i]); // merge(undefined, v) is v
    }
    return;
  }
  if (into.is_object()) {
    if (from.is_array()) { // an array is an object to lhci's merge: its indices are keys
      for (size_t i = 0; i < from.items.size(); ++i) {
        if (RcValue* existing = into.find(std::to_string(i))) merge_like_lhci(*existing, from.items[i]);
        else into.set(std::to_string(i), from.items[i]);
      }
      return;
    }
    if (!from.is_object()) {
      into = from;
      return;
    }
    for (const auto& m : from.members) {
      if (RcValue* existing = into.find(m.key)) {
        merge_like_lhci(*existing, m.value);
        // The key is now also where the user wrote it.
        for (auto& mine : into.members)
          if (mine.key == m.key && m.key_line) mine.key_line = m.key_line;
      } else {
        into.members.push_back(m);
      }
    }
    into.line = from.line ? from.line : into.line;
    return;
  }
  into = from;
}

} // namespace tollgate::model
