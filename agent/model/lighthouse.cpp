#include "model/lighthouse.h"

#include <algorithm>
#include <cmath>

namespace tollgate::model {

const LhrAudit* LighthouseRun::audit(std::string_view id) const {
  const auto it = m_audit_index.find(std::string(id));
  return it == m_audit_index.end() ? nullptr : &audits[it->second];
}

const LhrCategory* LighthouseRun::category(std::string_view id) const {
  const auto it = m_category_index.find(std::string(id));
  return it == m_category_index.end() ? nullptr : &categories[it->second];
}

void LighthouseRun::index() {
  m_audit_index.clear();
  m_category_index.clear();
  for (size_t i = 0; i < audits.size(); ++i) m_audit_index[audits[i].id] = i;
  for (size_t i = 0; i < categories.size(); ++i) m_category_index[categories[i].id] = i;
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
