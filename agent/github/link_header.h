#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::github {

// The URL with rel="next" in a Link header (RFC 8288, as GitHub paginates), if any.
std::optional<std::string> next_page_url(std::string_view link_header);

} // namespace tollgate::github
