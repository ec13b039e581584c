#include "report/json_ids.h"

#include <charconv>

namespace tollgate::report {

JsonIdIndex::JsonIdIndex(const std::vector<JsonId>& ids, const std::string& buffer)
    : m_buffer(buffer), m_size(ids.size()) {
  for (size_t i = 0; i < ids.size() && m_dense; ++i) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, i).ptr;
    m_dense = name(ids[i]) == std::string_view(digits, static_cast<size_t>(end - digits));
  }
  if (m_dense) return;
  m_by_name.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    m_by_name.emplace(name(ids[i]), i); // emplace keeps the first
}

size_t JsonIdIndex::find(std::string_view id) const {
  if (!m_dense) {
    const auto it = m_by_name.find(id);
    return it == m_by_name.end() ? npos : it->second;
  }
  // Dense: the names are the numbers 0 … size − 1 written without leading zeros.
  if (id.empty() || (id[0] == '0' && id.size() > 1)) return npos;
  size_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  return ec == std::errc{} && end == id.data() + id.size() && n < m_size ? n : npos;
}

} // namespace tollgate::report
