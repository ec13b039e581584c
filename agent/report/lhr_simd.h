#pragma once
// The fast path of report/lhr.h: simdjson's DOM parser validates the whole document (structure,
// UTF-8, control characters in strings) several times faster than RapidJSON on this machine
// (docs/performance.md), then the tree is walked for the members lhci reads. It decides only
// what it is sure of: every input it declines (any simdjson error, a UTF-8 BOM, a negative
// integer zero, a document that is no LHR) goes to the RapidJSON reader, so results and error
// positions are that reader's, byte for byte.
#include <optional>
#include <string_view>

#include "model/lighthouse.h"

namespace tollgate::report {

// True when the build has simdjson (TOLLGATE_HAVE_SIMDJSON); without it parse_lhr_simd declines all.
bool lhr_simd_available();

// The run, or nothing when the RapidJSON reader must decide. bytes.data() must be followed by
// util::k_simd_padding readable bytes (see util::pad_for_simd).
std::optional<model::LighthouseRun> parse_lhr_simd(std::string_view bytes);

} // namespace tollgate::report
