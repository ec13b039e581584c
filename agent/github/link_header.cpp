#include "github/link_header.h"

namespace tollgate::github {

std::optional<std::string> next_page_url(std::string_view link) {
  // <url>; rel="next", <url>; rel="last"
  size_t pos = 0;
  while (pos < link.size()) {
    const auto open = link.find('<', pos);
    if (open == std::string_view::npos) return std::nullopt;
    const auto close = link.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    const auto url = link.substr(open + 1, close - open - 1);
    auto end = link.find('<', close);
    const auto params = link.substr(close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
    // rel may hold several space-separated values and may be quoted or not.
    const auto rel = params.find("rel=");
    if (rel != std::string_view::npos) {
      auto value = params.substr(rel + 4);
      if (!value.empty() && value.front() == '"') {
        value.remove_prefix(1);
        value = value.substr(0, value.find('"'));
      } else {
        value = value.substr(0, value.find_first_of(";, "));
      }
      size_t start = 0;
      while (start <= value.size()) {
        const auto space = value.find(' ', start);
        if (value.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start) == "next")
          return std::string(url);
        if (space == std::string_view::npos) break;
        start = space + 1;
      }
    }
    if (end == std::string_view::npos) break;
    pos = end;
  }
  return std::nullopt;
}

} // namespace tollgate::github
