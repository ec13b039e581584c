#include <doctest/doctest.h>

#include "publish/scan_summary.h"
#include "report/sarif.h"

using namespace tollgate;

namespace {

struct Input {
  std::vector<model::ScanFinding> findings, fixed;
  gate::ScanTotals totals;
  std::vector<model::Gate> gates;
  std::vector<publish::ScanRunSource> runs;
  std::vector<std::pair<std::string, size_t>> notes;
  std::vector<gate::ScanAllowEntry> entries;
  std::vector<gate::ScanAllowUse> uses;

  publish::ScanSummaryInput view(bool has_baseline) {
    totals = gate::count_scan(findings, fixed);
    gates = gate::decide_scan(findings, {});
    publish::ScanSummaryInput in;
    in.findings = &findings;
    in.fixed = &fixed;
    in.totals = &totals;
    in.gates = &gates;
    in.runs = &runs;
    in.notes = &notes;
    in.allowlist = &uses;
    in.has_baseline = has_baseline;
    return in;
  }
};

} // namespace

TEST_SUITE("publish::scan_summary") {
  TEST_CASE("hostile texts are escaped; message.markdown never shows") {
    const auto log = report::parse_sarif(R"J({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Evil | tool","rules":[
      {"id":"r|1","helpUri":"https://evil.example/x","properties":{"security-severity":"9"}}]}},
      "results":[{"ruleId":"r|1","message":{"text":"@admin see #1 <img src=x> | cell\n::error::x","markdown":"**MARKDOWN-ONLY** [x](https://evil)"},
      "locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/a|b.c"},"region":{"startLine":3}}}]}]}]})J");
    REQUIRE(log);
    Input in;
    in.findings = log->findings;
    in.findings[0].path = "src/a|b.c";
    in.runs = {{"results/x.sarif", log->runs[0]}};
    const std::string md = publish::scan_summary(in.view(false));
    CHECK(md.find("MARKDOWN-ONLY") == std::string::npos);
    CHECK(md.find("<img") == std::string::npos);
    CHECK(md.find("@admin") == std::string::npos); // the mention is broken
    CHECK(md.find("::error::") == std::string::npos); // only the message's first line, escaped
    CHECK(md.find("https://evil") == std::string::npos); // no link is made
    CHECK(md.find("Evil \\| tool") != std::string::npos);
    CHECK(md.find("src/a\\|b.c:3") != std::string::npos);
    // Each table row keeps its column count: the counts table, the gates, the findings, the runs.
    for (size_t at = md.find("\n|"); at != std::string::npos; at = md.find("\n|", at + 1)) {
      const std::string row = md.substr(at + 1, md.find('\n', at + 1) - at - 1);
      size_t bars = 0;
      for (size_t i = 0; i < row.size(); ++i)
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++bars;
      CHECK_MESSAGE((bars == 4 || bars == 5 || bars == 6), row);
    }
  }

  TEST_CASE("counts by severity × tool × state; fixed, suppressed, expired entries, notes") {
    Input in;
    model::ScanFinding a;
    a.tool = "Trivy";
    a.rule_id = "CVE-1";
    a.severity = model::ScanSeverity::critical;
    a.state = model::ScanState::new_finding;
    a.uri = "pkg:npm/lodash@4.17.0";
    model::ScanFinding b = a;
    b.state = model::ScanState::unchanged;
    model::ScanFinding c = a;
    c.rule_id = "CVE-2";
    c.suppression = model::Suppression::allowlist;
    c.suppression_reason = "no fix yet";
    model::ScanFinding gone = a;
    gone.rule_id = "CVE-3";
    gone.state = model::ScanState::fixed;
    in.findings = {a, b, c};
    in.fixed = {gone};
    in.entries = {{"CVE-9", "", "old", "2020-01-01", "t.yml:4:7"}};
    in.uses = {{&in.entries[0], 0, 2, true}};
    in.notes = {{"ruleIds naming no rule of the run", 3}};
    const std::string md = publish::scan_summary(in.view(true));
    CHECK(md.find("| 🟣 critical | Trivy | 1 | 1 | 1 |") != std::string::npos);
    CHECK(md.find("#### Fixed (1)") != std::string::npos);
    CHECK(md.find("#### Suppressed (1)") != std::string::npos);
    CHECK(md.find("no fix yet") != std::string::npos);
    CHECK(md.find("`CVE-9` expired on 2020-01-01 (t.yml:4:7): no longer suppresses 2 finding(s)") != std::string::npos);
    CHECK(md.find("- 3 × ruleIds naming no rule of the run") != std::string::npos);
    CHECK(md.find("pkg:") != std::string::npos); // a finding without a file shows its location
  }
}
