#include <doctest/doctest.h>

#include "publish/json_result.h"
#include "publish/scan_json.h"
#include "report/leg_result.h"
#include "report/scan_json.h"

using namespace tollgate;

namespace {

struct Written {
  std::vector<model::ScanFinding> findings, fixed;
  gate::ScanTotals totals;
  std::vector<publish::ScanRunSource> runs;
  std::vector<std::pair<std::string, size_t>> notes;
  std::vector<gate::ScanAllowEntry> entries;
  std::vector<gate::ScanAllowUse> uses;
};

model::Outcome scan_outcome(Written& w) {
  model::ScanFinding f;
  f.tool = "Semgrep";
  f.rule_id = "python.lang.security.audit.exec";
  f.rule_name = "exec";
  f.help_uri = "https://semgrep.dev/r/x";
  f.message = "exec() with \"user\" input\n<script>";
  f.uri = "/w/src/app.py";
  f.path = "src/app.py";
  f.start_line = 12;
  f.end_line = 14;
  f.start_column = 3;
  f.severity = model::ScanSeverity::high;
  f.security_severity = 7.5;
  f.state = model::ScanState::new_finding;
  f.fingerprints = {{"partial/primaryLocationLineHash", "abc:1"}};
  f.context_hash = *model::ContextHash::from("0123456789abcdef");
  f.on_changed_line = true;
  f.source = "results/semgrep.sarif";
  model::ScanFinding dep;
  dep.tool = "Trivy";
  dep.rule_id = "CVE-2024-1";
  dep.uri = "pkg:npm/lodash@4.17.0";
  dep.severity = model::ScanSeverity::critical;
  dep.state = model::ScanState::unchanged;
  dep.suppression = model::Suppression::allowlist;
  dep.suppression_reason = "no fix released";
  w.findings = {f, dep};
  model::ScanFinding gone = f;
  gone.state = model::ScanState::fixed;
  gone.start_line = 3;
  w.fixed = {gone};
  w.totals = gate::count_scan(w.findings, w.fixed);
  w.runs = {{"results/semgrep.sarif", {"Semgrep", "1.50.0", 1, false}}};
  w.notes = {{"ruleIds naming no rule of the run", 2}};
  w.entries = {{"CVE-2024-1", "", "no fix released", "2027-01-01", "t.yml:3:7"}};
  w.uses = {{&w.entries[0], 1, 0, false}};
  model::Outcome o;
  o.command = "scan";
  o.check_name = "Security";
  o.passed = false;
  o.conclusion = model::Conclusion::failure;
  o.title = "1 new high · 1 fixed · 1 suppressed";
  o.write_json_extra = [&w](util::JsonWriter& writer) {
    publish::ScanJsonInput in;
    in.findings = &w.findings;
    in.fixed = &w.fixed;
    in.totals = &w.totals;
    in.runs = &w.runs;
    in.notes = &w.notes;
    in.allowlist = &w.uses;
    in.fail_on = "high";
    in.new_only = true;
    in.baseline = "base.json";
    publish::write_scan_json(writer, in);
  };
  return o;
}

} // namespace

TEST_SUITE("publish::scan_json") {
  TEST_CASE("the --json result reads back as a baseline and as a merge leg, finding for finding") {
    Written w;
    const std::string json = publish::result_json(scan_outcome(w));
    const auto baseline = report::parse_scan_baseline(json);
    if (!baseline) FAIL(baseline.error().message);
    CHECK_FALSE(baseline->from_sarif);
    REQUIRE(baseline->findings.size() == 2);
    const auto& f = baseline->findings[0];
    const auto& want = w.findings[0];
    CHECK(f.tool == want.tool);
    CHECK(f.rule_id == want.rule_id);
    CHECK(f.rule_name == want.rule_name);
    CHECK(f.help_uri == want.help_uri);
    CHECK(f.message == want.message);
    CHECK(f.uri == want.uri);
    CHECK(f.path == want.path);
    CHECK(f.start_line == 12);
    CHECK(f.end_line == 14);
    CHECK(f.start_column == 3);
    CHECK(f.severity == model::ScanSeverity::high);
    CHECK(f.security_severity == doctest::Approx(7.5));
    CHECK(f.state == model::ScanState::new_finding);
    CHECK(f.fingerprints == want.fingerprints);
    CHECK(f.context_hash == want.context_hash);
    CHECK(f.on_changed_line);
    CHECK(f.source == want.source);
    const auto& dep = baseline->findings[1];
    CHECK(dep.path.empty());
    CHECK(dep.suppression == model::Suppression::allowlist);
    CHECK(dep.suppression_reason == "no fix released");
    CHECK(dep.severity == model::ScanSeverity::critical);

    const auto leg = report::parse_leg_result(json);
    if (!leg) FAIL(leg.error().message);
    REQUIRE(leg->scan);
    CHECK(leg->scan->findings.size() == 2);
    REQUIRE(leg->scan->fixed.size() == 1);
    CHECK(leg->scan->fixed[0].state == model::ScanState::fixed);
    CHECK(leg->scan->fail_on == "high");
    CHECK(leg->scan->new_only);
    CHECK(leg->scan->has_baseline);
  }

  TEST_CASE("counts and outputs by rank") {
    Written w;
    const std::string json = publish::result_json(scan_outcome(w));
    CHECK(json.find(R"("counts":{"critical":0,"high":1,"medium":0,"low":0,"new":1,"unchanged":0,"fixed":1,"suppressed":1,"not_failures":0})") !=
          std::string::npos);
    CHECK(json.find(R"("allowlist":[{"rule":"CVE-2024-1","path":"","reason":"no fix released","expires":"2027-01-01","expired":false,"suppressed":1,"would_suppress":0}])") !=
          std::string::npos);
  }

  TEST_CASE("hostile paths in a result are refused") {
    Written w;
    std::string json = publish::result_json(scan_outcome(w));
    const std::string from = "\"path\":\"src/app.py\"";
    json.replace(json.find(from), from.size(), "\"path\":\"../../etc/passwd\"");
    const auto baseline = report::parse_scan_baseline(json);
    REQUIRE_FALSE(baseline);
    CHECK(baseline.error().message == "scan.results[0]: \"path\" is not a path inside the repository");
    CHECK_FALSE(report::parse_leg_result(json));
  }

  TEST_CASE("a context hash longer than Tollgate writes is refused, not cut to a hash it is not") {
    Written w;
    std::string json = publish::result_json(scan_outcome(w));
    const std::string from = "\"context_hash\":\"0123456789abcdef\"";
    REQUIRE(json.find(from) != std::string::npos);
    json.replace(json.find(from), from.size(), "\"context_hash\":\"0123456789abcdef0\"");
    const auto baseline = report::parse_scan_baseline(json);
    REQUIRE_FALSE(baseline);
    CHECK(baseline.error().message == "scan.results[0]: \"context_hash\" must be at most 16 characters");
    CHECK(model::ContextHash::from("0123456789abcdef"));
    CHECK_FALSE(model::ContextHash::from(std::string_view("01234567\0abcdef", 16)));
    CHECK(model::ContextHash::from("9f1c")->view() == "9f1c");
    CHECK(model::ContextHash().empty());
  }

  TEST_CASE("a result of another command is no baseline") {
    const auto baseline = report::parse_scan_baseline(R"({"tool":"tollgate","command":"tests","passed":true})");
    REQUIRE_FALSE(baseline);
    CHECK(baseline.error().message == "a tollgate --json result of another command than scan");
  }
}
