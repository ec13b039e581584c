#include "util/interned.h"

#include <array>
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
  // Each thread's last texts first, by their hash, without the lock: a SARIF log's 200,000
  // results name the same few hundred rules and files over and over (the lock and the set's
  // lookup were 8% of a scan's CPU time). The slots hold the pool's own pointers, so a text is
  // one pointer whichever thread interned it.
  constexpr size_t k_slots = 1024;
  thread_local std::array<const std::string*, k_slots> t_recent{};
  const size_t hash = Hash{}(text);
  const std::string*& recent = t_recent[hash % k_slots];
  if (recent != nullptr && *recent == text) {
    m_text = recent;
    return;
  }
  Pool& p = pool();
  const std::lock_guard<std::mutex> hold(p.lock);
  auto it = p.texts.find(text);
  if (it == p.texts.end()) it = p.texts.emplace(text).first;
  m_text = recent = &*it;
}

} // namespace tollgate::util
