#include "util/error.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::util {

std::string describe(const std::string& file, const ParseError& error) {
  if (error.line == 0) return fmt::format("{}: {}", file, error.message);
  if (error.column == 0) return fmt::format("{}:{}: {}", file, error.line, error.message);
  return fmt::format("{}:{}:{}: {}", file, error.line, error.column, error.message);
}

ParseError error_at(std::string_view buffer, size_t offset, std::string message) {
  offset = std::min(offset, buffer.size());
  const auto head = buffer.substr(0, offset);
  const size_t line = 1 + static_cast<size_t>(std::count(head.begin(), head.end(), '\n'));
  const size_t last_newline = head.rfind('\n');
  const size_t column = last_newline == std::string_view::npos ? offset + 1 : offset - last_newline;
  return ParseError{std::move(message), line, column};
}

} // namespace tollgate::util
