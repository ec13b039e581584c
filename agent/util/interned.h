#pragma once
// Text stored once per process and shared by every value equal to it. The 200,000 findings of a
// 100 MB SARIF log name a few hundred tools, rules, help pages and files: held as strings they
// were half the scan's memory, and memory touched is time here (docs/performance.md, "SARIF").
// An Interned is one pointer; equal texts are the same pointer. What is interned is kept until
// the process exits: intern what repeats (names, paths), not what is unique (messages).
#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace tollgate::util {

class Interned {
public:
  Interned() = default; // ""
  Interned(std::string_view text); // NOLINT(google-explicit-constructor): text is interned
  Interned(const char* text) : Interned(std::string_view(text)) {}
  Interned(const std::string& text) : Interned(std::string_view(text)) {}

  operator std::string_view() const { return *m_text; } // NOLINT(google-explicit-constructor)
  std::string_view view() const { return *m_text; }
  const std::string& str() const { return *m_text; }
  const char* data() const { return m_text->data(); }
  size_t size() const { return m_text->size(); }
  bool empty() const { return m_text->empty(); }
  void clear() { *this = Interned(); }

  bool operator==(const Interned& other) const { return m_text == other.m_text; }
  bool operator==(std::string_view other) const { return view() == other; }
  bool operator==(const std::string& other) const { return view() == other; }
  bool operator==(const char* other) const { return view() == other; }
  std::strong_ordering operator<=>(const Interned& other) const { return view() <=> other.view(); }
  std::strong_ordering operator<=>(std::string_view other) const { return view() <=> other; }

  // Equal texts, equal pointers: a hash of the pointer is a hash of the text.
  size_t identity() const { return std::hash<const void*>{}(m_text); }

private:
  static const std::string* empty_text();
  const std::string* m_text = empty_text();
};

} // namespace tollgate::util

template <>
struct std::hash<tollgate::util::Interned> {
  size_t operator()(const tollgate::util::Interned& t) const noexcept { return t.identity(); }
};

template <>
struct fmt::formatter<tollgate::util::Interned> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const tollgate::util::Interned& t, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(t.view(), ctx);
  }
};
