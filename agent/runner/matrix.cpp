#include "runner/matrix.h"

#include <fmt/format.h>

#include "util/json.h"

namespace tollgate::runner {

util::Expected<std::string, util::ParseError> matrix_leg(std::string_view matrix_json) {
  auto doc = util::parse_json(matrix_json);
  if (!doc) return util::unexpected(doc.error());
  if (doc->IsNull()) return std::string();
  if (!doc->IsObject()) return util::unexpected(util::ParseError{"--matrix must be a JSON object", 1, 1});
  std::string leg;
  for (const auto& m : doc->GetObject()) {
    if (!leg.empty()) leg += ", ";
    if (m.value.IsString()) leg.append(m.value.GetString(), m.value.GetStringLength());
    else leg += util::to_json(m.value);
  }
  return leg;
}

std::string with_leg(std::string_view name, std::string_view leg) {
  if (leg.empty()) return std::string(name);
  return fmt::format("{} ({})", name, leg);
}

} // namespace tollgate::runner
