// libFuzzer target: the SARIF reader must never crash, hang or grow without bound on any input;
// what the scan summary renders from it must print no workflow command and keep the structure of
// the same findings with every text replaced (tests/fuzz/fuzz_checks.h); the --json result must
// read back as a baseline.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>

#include "fuzz_checks.h"
#include "gate/scan_gate.h"
#include "publish/json_result.h"
#include "publish/scan_json.h"
#include "publish/scan_summary.h"
#include "report/sarif.h"
#include "report/scan_json.h"

namespace {

using namespace tollgate;

std::string summary_of(const std::vector<model::ScanFinding>& findings, const std::vector<publish::ScanRunSource>& runs,
                       const std::vector<std::pair<std::string, size_t>>& notes) {
  const std::vector<model::ScanFinding> fixed;
  const auto totals = gate::count_scan(findings, fixed);
  const auto gates = gate::decide_scan(findings, {});
  const std::vector<gate::ScanAllowUse> uses;
  publish::ScanSummaryInput in;
  in.findings = &findings;
  in.fixed = &fixed;
  in.totals = &totals;
  in.gates = &gates;
  in.runs = &runs;
  in.notes = &notes;
  in.allowlist = &uses;
  return publish::scan_summary(in);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto log = report::parse_sarif(text);
  if (!log) return 0;
  std::vector<publish::ScanRunSource> runs;
  for (const auto& r : log->runs) runs.push_back({"f.sarif", r});
  std::vector<std::pair<std::string, size_t>> notes(log->notes.begin(), log->notes.end());
  for (auto& f : log->findings)
    f.path = f.uri.empty() || f.uri.view().find("..") != std::string_view::npos ? "" : "src/x.c";
  const std::string rendered = summary_of(log->findings, runs, notes);
  fuzz::check_log(rendered);

  // Each distinct text becomes a distinct placeholder: rows grouped by tool stay grouped alike.
  std::map<std::string, std::string> placeholders;
  const auto plain_text = [&](auto* s) { // a std::string or a util::Interned
    if (s->empty()) return;
    auto [it, added] = placeholders.emplace(std::string(std::string_view(*s)), "x" + std::to_string(placeholders.size()));
    *s = it->second;
  };
  std::vector<model::ScanFinding> plain = log->findings;
  for (auto& f : plain) {
    fuzz::check_escapes(f.message);
    fuzz::check_escapes(f.rule_id);
    for (util::Interned* s : {&f.tool, &f.rule_id, &f.rule_name, &f.help_uri, &f.uri, &f.suppression_reason})
      plain_text(s);
    plain_text(&f.message);
  }
  std::vector<publish::ScanRunSource> plain_runs = runs;
  for (auto& r : plain_runs)
    for (std::string* s : {&r.run.tool, &r.run.version}) plain_text(s);
  std::vector<std::pair<std::string, size_t>> plain_notes = notes;
  for (auto& n : plain_notes) n.first = "x";
  if (fuzz::markdown_skeleton(rendered) != fuzz::markdown_skeleton(summary_of(plain, plain_runs, plain_notes)))
    fuzz::fail("the summary's structure depends on the report's text", rendered);

  // The --json result of these findings is a baseline again.
  model::Outcome outcome;
  outcome.command = "scan";
  const auto totals = gate::count_scan(log->findings, {});
  const std::vector<model::ScanFinding> none;
  const std::vector<gate::ScanAllowUse> uses;
  outcome.write_json_extra = [&](util::JsonWriter& w) {
    publish::ScanJsonInput in;
    in.findings = &log->findings;
    in.fixed = &none;
    in.totals = &totals;
    in.runs = &runs;
    in.notes = &notes;
    in.allowlist = &uses;
    in.fail_on = "high";
    publish::write_scan_json(w, in);
  };
  const auto back = report::parse_scan_baseline(publish::result_json(outcome));
  if (!back || back->findings.size() != log->findings.size()) fuzz::fail("the --json result does not read back", text);
  return 0;
}
