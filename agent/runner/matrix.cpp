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

namespace tollgate::runner {

util::Expected<ExpectedLegs, util::ParseError> parse_expected_legs(std::string_view text) {
  ExpectedLegs out;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] >= '0' && text[first] <= '9') {
    const auto last = text.find_last_not_of(" \t\r\n");
    const std::string_view digits = text.substr(first, last - first + 1);
    if (digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string_view::npos)
      return util::unexpected(util::ParseError{"--expected-legs must be a count (1 to 256) or a JSON array of legs", 1, 1});
    out.count = static_cast<size_t>(std::stoul(std::string(digits)));
    // GitHub: a matrix generates at most 256 jobs per workflow run.
    // https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow
    if (out.count == 0 || out.count > 256)
      return util::unexpected(util::ParseError{"--expected-legs must be a count from 1 to 256 (a matrix has at most 256 jobs)", 1, 1});
    return out;
  }
  auto doc = util::parse_json(text);
  if (!doc) return util::unexpected(doc.error());
  if (!doc->IsArray() || doc->Empty() || doc->Size() > 256)
    return util::unexpected(util::ParseError{"--expected-legs must be a count or a JSON array of 1 to 256 legs "
                                             "(each the leg's toJSON(matrix), or its label)", 1, 1});
  for (const auto& leg : doc->GetArray()) {
    if (leg.IsString()) {
      out.labels.emplace_back(leg.GetString(), leg.GetStringLength());
      continue;
    }
    if (!leg.IsObject())
      return util::unexpected(util::ParseError{"--expected-legs: each leg must be a matrix object or a label", 1, 1});
    auto label = matrix_leg(util::to_json(leg));
    if (!label) return util::unexpected(label.error());
    out.labels.push_back(std::move(*label));
  }
  out.count = out.labels.size();
  return out;
}

} // namespace tollgate::runner
