#pragma once
// lhci's assertion presets (lighthouse:all, lighthouse:recommended, lighthouse:no-pwa), kept as
// data generated from the pinned @lhci/cli by tests/lighthouse/make_presets.js; a test fails when
// they drift from the installed package.
#include <string_view>
#include <vector>

#include "model/lighthouse.h"

namespace tollgate::gate {

// {"assertions": {...}} as lhci's presets/<name>.js exports it, or null for an unknown name.
const model::RcValue* lighthouse_preset(std::string_view name);

// The names lhci accepts after "lighthouse:".
std::vector<std::string_view> lighthouse_preset_names();

// True when lighthouse:all names the audit (lhci's test for "is not a known audit").
bool is_known_lighthouse_audit(std::string_view audit_id);

// The @lhci/cli version the presets were generated from.
std::string_view lighthouse_presets_lhci_version();

} // namespace tollgate::gate
