#pragma once
// Reading back what `tollgate scan --json` wrote (publish/scan_json.h): the "scan" member, for a
// --baseline and for `merge`. Pure; the result is hostile (it may come from another workflow's
// artifact), so types are checked, texts bounded and paths confined to the repository.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "model/scan.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

// The "scan" member's value. Errors name the member ("scan.results[3]: \"severity\" ...").
util::Expected<model::ScanLegData, util::ParseError> read_scan_section(const rapidjson::Value& scan);

// A --baseline file: a SARIF log (decided by report::looks_like_sarif; its findings then carry no
// context hash: the caller computes it from the base's sources) or a tollgate scan --json result.
struct ScanBaseline {
  bool from_sarif = false;
  std::vector<model::ScanFinding> findings;
  std::map<std::string, size_t> notes; // the SARIF reader's notes
};
util::Expected<ScanBaseline, util::ParseError> parse_scan_baseline(std::string_view bytes);

} // namespace tollgate::report
