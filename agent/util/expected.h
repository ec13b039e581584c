#pragma once
// A minimal value-or-error type (std::expected arrives with C++23; g++ 12 lacks it).
#include <cassert>
#include <utility>
#include <variant>

namespace tollgate::util {

template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}

template <class T, class E>
class Expected {
public:
  Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  template <class F>
  Expected(Unexpected<F> u) : m_v(std::in_place_index<1>, E(std::move(u.error))) {}

  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { assert(has_value()); return std::get<0>(m_v); }
  const T& value() const& { assert(has_value()); return std::get<0>(m_v); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const { assert(!has_value()); return std::get<1>(m_v); }

private:
  std::variant<T, E> m_v;
};

} // namespace tollgate::util
