#pragma once
// What the XML coverage parsers (Cobertura, JaCoCo, Clover) share.
#include "model/coverage.h"

#include <cstdint>

namespace tollgate::report {

inline constexpr const char* k_branch_budget_message =
    "branch counts add up to more than a report of this size can describe (hostile or corrupt "
    "input)";

// Formats that only count branches: `total` branches on the line, the first `covered` with one
// hit, in the counted scheme (model::BranchScheme).
inline void add_counted_branches(model::FileCoverage& file, uint32_t line, uint64_t covered,
                                 uint64_t total) {
  for (uint64_t i = 0; i < total; ++i)
    file.branches.push_back(
        {line, model::k_counted_block, static_cast<uint32_t>(i), i < covered ? 1u : 0u});
}

} // namespace tollgate::report
