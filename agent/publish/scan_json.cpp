#include "publish/scan_json.h"

namespace tollgate::publish {

namespace {

void string_member(util::JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  util::write_string(w, value);
}

} // namespace

void write_scan_finding(util::JsonWriter& w, const model::ScanFinding& f) {
  w.StartObject();
  string_member(w, "tool", f.tool);
  string_member(w, "rule_id", f.rule_id);
  string_member(w, "rule_name", f.rule_name);
  string_member(w, "help_uri", f.help_uri);
  string_member(w, "severity", model::to_string(f.severity));
  w.Key("security_severity");
  if (f.security_severity) w.Double(*f.security_severity);
  else w.Null();
  string_member(w, "kind", f.kind);
  string_member(w, "message", f.message);
  string_member(w, "uri", f.uri);
  string_member(w, "path", f.path);
  w.Key("start_line");
  w.Int(f.start_line);
  w.Key("end_line");
  w.Int(f.end_line);
  w.Key("start_column");
  w.Int(f.start_column);
  string_member(w, "state", model::to_string(f.state));
  w.Key("suppression");
  if (f.suppression == model::Suppression::none) {
    w.Null();
  } else {
    w.StartObject();
    string_member(w, "by", f.suppression == model::Suppression::sarif ? "sarif" : "allowlist");
    string_member(w, "reason", f.suppression_reason);
    w.EndObject();
  }
  w.Key("fingerprints");
  w.StartObject();
  for (const auto& [key, value] : f.fingerprints) {
    util::write_key(w, key);
    util::write_string(w, value);
  }
  w.EndObject();
  string_member(w, "context_hash", f.context_hash.view());
  w.Key("on_changed_line");
  w.Bool(f.on_changed_line);
  string_member(w, "source", f.source);
  w.EndObject();
}

void write_scan_json(util::JsonWriter& w, const ScanJsonInput& in) {
  w.Key("scan");
  w.StartObject();
  w.Key("version");
  w.Int(k_scan_json_version);
  string_member(w, "fail_on", in.fail_on);
  w.Key("new_only");
  w.Bool(in.new_only);
  w.Key("baseline");
  if (in.baseline.empty()) w.Null();
  else util::write_string(w, in.baseline);

  const gate::ScanTotals& t = *in.totals;
  w.Key("counts");
  w.StartObject();
  for (auto [key, rank] : {std::pair{"critical", 4}, {"high", 3}, {"medium", 2}, {"low", 1}}) {
    w.Key(key);
    w.Uint64(t.at_rank(rank));
  }
  for (auto [key, n] : {std::pair{"new", t.total_new()}, {"unchanged", t.total_unchanged()}, {"fixed", t.total_fixed()},
                        {"suppressed", t.suppressed}, {"not_failures", t.not_failures}}) {
    w.Key(key);
    w.Uint64(n);
  }
  w.EndObject();

  w.Key("runs");
  w.StartArray();
  for (const auto& r : *in.runs) {
    w.StartObject();
    string_member(w, "source", r.source);
    string_member(w, "tool", r.run.tool);
    string_member(w, "version", r.run.version);
    w.Key("results");
    w.Uint64(r.run.results);
    w.Key("incomplete");
    w.Bool(r.run.incomplete);
    w.EndObject();
  }
  w.EndArray();

  w.Key("notes");
  w.StartArray();
  for (const auto& [what, count] : *in.notes) {
    w.StartObject();
    string_member(w, "what", what);
    w.Key("count");
    w.Uint64(count);
    w.EndObject();
  }
  w.EndArray();

  w.Key("results");
  w.StartArray();
  for (const auto& f : *in.findings) write_scan_finding(w, f);
  w.EndArray();
  w.Key("fixed");
  w.StartArray();
  for (const auto& f : *in.fixed) write_scan_finding(w, f);
  w.EndArray();

  w.Key("allowlist");
  w.StartArray();
  for (const auto& use : *in.allowlist) {
    w.StartObject();
    string_member(w, "rule", use.entry->rule);
    string_member(w, "path", use.entry->path);
    string_member(w, "reason", use.entry->reason);
    string_member(w, "expires", use.entry->expires);
    w.Key("expired");
    w.Bool(use.expired);
    w.Key("suppressed");
    w.Uint64(use.suppressed);
    w.Key("would_suppress");
    w.Uint64(use.would_suppress);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

} // namespace tollgate::publish
