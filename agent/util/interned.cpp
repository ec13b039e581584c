#include "util/interned.h"

#include <mutex>
#include <unordered_set>

namespace tollgate::util {

namespace {

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Never destroyed: Interned values in statics may outlive any order of destruction. Nodes do not
// move, so the addresses handed out stay valid as the set grows.
struct Pool {
  std::mutex lock;
  std::unordered_set<std::string, Hash, std::equal_to<>> texts;
};

Pool& pool() {
  static Pool* const s_pool = new Pool;
  return *s_pool;
}

} // namespace

const std::string* Interned::empty_text() {
  static const std::string* const s_empty = new std::string;
  return s_empty;
}

Interned::Interned(std::string_view text) {
  if (text.empty()) return;
  Pool& p = pool();
  const std::lock_guard<std::mutex> hold(p.lock);
  auto it = p.texts.find(text);
  if (it == p.texts.end()) it = p.texts.emplace(text).first;
  m_text = &*it;
}

} // namespace tollgate::util
