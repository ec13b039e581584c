#pragma once
// Lighthouse result JSON (LHR), Lighthouse 10 to 13. Read by simdjson where the build has it
// (report/lhr_simd.h), else, and for every input simdjson declines, in one streaming pass (RapidJSON SAX):
// an LHR is about a megabyte, nearly all of it screenshots, traces and tables that assertions
// never read, so only finalUrl, the categories' scores, and each audit's score, display mode,
// numeric value and item count are kept (plus the items of resource-summary, user-timings and
// performance-budget, which lhci reads row by row).
#include <string_view>

#include "model/lighthouse.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// Pure: bytes in, one run or a ParseError with line and column. Numbers are read with full
// precision, as JSON.parse reads them, so aggregates match lhci's to the last bit.
util::Expected<model::LighthouseRun, util::ParseError> parse_lhr(std::string_view bytes);

// The same without a copy, for a buffer the caller has already padded: bytes.data() must be
// followed by util::k_simd_padding NUL bytes (see util::pad_for_simd). Memory is the file's
// and the longest string's, nothing more.
util::Expected<model::LighthouseRun, util::ParseError> parse_lhr_padded(std::string_view bytes);

// The RapidJSON reader alone: what parse_lhr_padded runs for every input the simdjson reader
// (report/lhr_simd.h) declines; the differential tests hold the two to the same results.
util::Expected<model::LighthouseRun, util::ParseError> parse_lhr_reference_padded(std::string_view bytes);

// True when the bytes look like an LHR (an object with "lighthouseVersion" near the start or an
// "audits" member); used to tell LHRs from other JSON in a globbed directory.
bool looks_like_lhr(std::string_view bytes);

} // namespace tollgate::report
