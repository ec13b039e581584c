#pragma once
// Member names of JSON objects kept in one buffer by a streamed reader (report/istanbul_stream.cpp)
// and found again by name, as the DOM reader finds them with FindMember or a hash of the members.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

// A name in the buffer.
struct JsonId {
  size_t at = 0;
  uint32_t size = 0; // RapidJSON's SizeType
};

// Finds the members of one object by name: the first of a repeated name, as FindMember does. The
// names Istanbul writes, "0", "1", … in order, are found by number; anything else by hash.
class JsonIdIndex {
public:
  JsonIdIndex(const std::vector<JsonId>& ids, const std::string& buffer);
  std::string_view name(JsonId id) const {
    return std::string_view(m_buffer).substr(id.at, id.size);
  }
  // The index of the member named `name`, or npos.
  size_t find(std::string_view name) const;
  static constexpr size_t npos = SIZE_MAX;

private:
  const std::string& m_buffer;
  bool m_dense = true;
  size_t m_size = 0;
  std::unordered_map<std::string_view, size_t> m_by_name;
};

} // namespace tollgate::report
