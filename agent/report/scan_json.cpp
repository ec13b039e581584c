#include "report/scan_json.h"

#include <fmt/format.h>

#include "report/coverage_json.h"
#include "report/leg_result.h"
#include "report/sarif.h"
#include "report/sarif_limits.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::report {

namespace {

util::ParseError error(std::string message) { return util::ParseError{std::move(message), 0, 0}; }

// The text of a string member, bounded; "" when absent; false when present and not a string.
template <typename Text> // std::string, or util::Interned for what findings share
bool text(const rapidjson::Value& o, const char* key, Text& out, size_t max = k_sarif_max_field_bytes) {
  const rapidjson::Value* v = util::member(o, key);
  if (!v || v->IsNull()) return true;
  if (!v->IsString()) return false;
  out = util::truncate_utf8(util::sanitize_utf8(std::string_view(v->GetString(), v->GetStringLength())), max);
  return true;
}

bool line(const rapidjson::Value& o, const char* key, int& out) {
  const rapidjson::Value* v = util::member(o, key);
  if (!v) return true;
  uint64_t n = 0;
  if (!json_uint(*v, n) || n > 0x7fffffff) return false;
  out = static_cast<int>(n);
  return true;
}

util::Expected<model::ScanFinding, util::ParseError> read_finding(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsObject()) return util::unexpected(error(where + " must be an object"));
  model::ScanFinding f;
  std::string severity, state, path, context;
  for (auto [key, into, max] : {std::tuple{"tool", &f.tool, k_sarif_max_field_bytes}, {"rule_id", &f.rule_id, k_sarif_max_field_bytes},
                                {"rule_name", &f.rule_name, k_sarif_max_field_bytes}, {"help_uri", &f.help_uri, k_sarif_max_field_bytes},
                                {"kind", &f.kind, size_t{32}}, {"uri", &f.uri, k_sarif_max_field_bytes},
                                {"source", &f.source, k_sarif_max_field_bytes}})
    if (!text(v, key, *into, max)) return util::unexpected(error(fmt::format("{}: \"{}\" must be a string", where, key)));
  for (auto [key, into, max] : {std::tuple{"message", &f.message, k_sarif_max_message_bytes}, {"path", &path, k_sarif_max_field_bytes},
                                {"severity", &severity, size_t{16}}, {"state", &state, size_t{16}},
                                {"context_hash", &context, size_t{64}}})
    if (!text(v, key, *into, max)) return util::unexpected(error(fmt::format("{}: \"{}\" must be a string", where, key)));
  // Tollgate writes 16 hexadecimal characters (gate::context_hash); anything longer is no hash of
  // its, and cut short it could match a hash it is not.
  const auto hash = model::ContextHash::from(context);
  if (!hash)
    return util::unexpected(error(fmt::format("{}: \"context_hash\" must be at most {} characters", where, model::ContextHash::k_size)));
  f.context_hash = *hash;
  if (!util::starts_with(f.help_uri, "https://") && !util::starts_with(f.help_uri, "http://")) f.help_uri.clear();
  if (f.kind.empty()) f.kind = "fail";
  const auto sev = model::scan_severity_from(severity);
  if (!sev) return util::unexpected(error(where + ": \"severity\" must be critical, high, medium, low, error, warning, note or none"));
  f.severity = *sev;
  if (!path.empty()) {
    const auto confined = confined_leg_path(path);
    if (!confined) return util::unexpected(error(where + ": \"path\" is not a path inside the repository"));
    f.path = *confined;
  }
  for (auto [key, into] : {std::pair{"start_line", &f.start_line}, {"end_line", &f.end_line}, {"start_column", &f.start_column}})
    if (!line(v, key, *into)) return util::unexpected(error(fmt::format("{}: \"{}\" must be a line number", where, key)));
  if (const auto score = util::number_member(v, "security_severity")) f.security_severity = *score;
  if (state == "unchanged") f.state = model::ScanState::unchanged;
  else if (state == "fixed") f.state = model::ScanState::fixed;
  else if (state == "new") f.state = model::ScanState::new_finding;
  if (const rapidjson::Value* s = util::member(v, "suppression"); s && !s->IsNull()) {
    if (!s->IsObject()) return util::unexpected(error(where + ": \"suppression\" must be null or an object"));
    f.suppression = util::string_or(*s, "by") == "allowlist" ? model::Suppression::allowlist : model::Suppression::sarif;
    if (!text(*s, "reason", f.suppression_reason)) return util::unexpected(error(where + ": suppression \"reason\" must be a string"));
  }
  if (const rapidjson::Value* fps = util::member(v, "fingerprints"); fps && fps->IsObject()) {
    for (auto it = fps->MemberBegin(); it != fps->MemberEnd() && f.fingerprints.size() < k_sarif_max_fingerprints; ++it) {
      if (!it->value.IsString()) continue;
      f.fingerprints.emplace_back(util::truncate_utf8(util::sanitize_utf8(it->name.GetString()), k_sarif_max_field_bytes),
                                  util::truncate_utf8(util::sanitize_utf8(it->value.GetString()), k_sarif_max_field_bytes));
    }
    std::sort(f.fingerprints.begin(), f.fingerprints.end());
  }
  f.on_changed_line = util::bool_member(v, "on_changed_line").value_or(false);
  return f;
}

util::ParseError at(const util::ParseError& e, std::string_view prefix) {
  return util::ParseError{std::string(prefix) + e.message, e.line, e.column};
}

} // namespace

util::Expected<model::ScanLegData, util::ParseError> read_scan_section(const rapidjson::Value& scan) {
  if (!scan.IsObject()) return util::unexpected(error("\"scan\" must be an object"));
  const auto version = util::int_member(scan, "version");
  if (!version || *version != 1)
    return util::unexpected(error("scan: \"version\" is not 1 (written by another tollgate version: run it again)"));
  model::ScanLegData data;
  data.fail_on = util::truncate_utf8(util::string_or(scan, "fail_on"), 16);
  data.new_only = util::bool_member(scan, "new_only").value_or(false);
  const rapidjson::Value* baseline = util::member(scan, "baseline");
  data.has_baseline = baseline && baseline->IsString();
  for (auto [key, into] : {std::pair{"results", &data.findings}, {"fixed", &data.fixed}}) {
    const rapidjson::Value* list = util::member(scan, key);
    if (!list || !list->IsArray()) return util::unexpected(error(fmt::format("scan: \"{}\" must be an array", key)));
    if (list->Size() > k_sarif_max_results)
      return util::unexpected(error(fmt::format("scan: more than {} {}", k_sarif_max_results, key)));
    into->reserve(list->Size());
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      auto f = read_finding((*list)[i], fmt::format("scan.{}[{}]", key, i));
      if (!f) return util::unexpected(f.error());
      into->push_back(std::move(*f));
    }
  }
  return data;
}

util::Expected<ScanBaseline, util::ParseError> parse_scan_baseline(std::string_view bytes) {
  ScanBaseline out;
  if (looks_like_sarif(bytes)) {
    auto log = parse_sarif(bytes);
    if (!log) return util::unexpected(log.error());
    out.from_sarif = true;
    out.findings = std::move(log->findings);
    out.notes = std::move(log->notes);
    return out;
  }
  auto doc = util::parse_json(bytes);
  if (!doc) return util::unexpected(doc.error());
  if (!doc->IsObject() || util::string_or(*doc, "tool") != "tollgate")
    return util::unexpected(error("neither SARIF nor a tollgate --json result"));
  if (util::string_or(*doc, "command") != "scan" || !util::member(*doc, "scan"))
    return util::unexpected(error("a tollgate --json result of another command than scan"));
  auto data = read_scan_section(*util::member(*doc, "scan"));
  if (!data) return util::unexpected(at(data.error(), ""));
  out.findings = std::move(data->findings);
  return out;
}

} // namespace tollgate::report
