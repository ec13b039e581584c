#include <doctest/doctest.h>

#include "gate/merge_scan.h"

using namespace tollgate;

namespace {

model::ScanFinding finding(std::string tool, std::string rule, std::string path, int line,
                           model::ScanSeverity severity = model::ScanSeverity::high,
                           model::ScanState state = model::ScanState::new_finding) {
  model::ScanFinding f;
  f.tool = std::move(tool);
  f.rule_id = std::move(rule);
  f.path = std::move(path);
  f.uri = f.path;
  f.start_line = f.end_line = line;
  f.severity = severity;
  f.state = state;
  f.message = "m";
  return f;
}

model::LegResult scan_leg(std::string name, std::vector<model::ScanFinding> findings) {
  model::LegResult leg;
  leg.command = "scan";
  leg.check_name = std::move(name);
  model::ScanLegData data;
  for (auto& f : findings) (f.state == model::ScanState::fixed ? data.fixed : data.findings).push_back(std::move(f));
  leg.scan = std::move(data);
  return leg;
}

std::vector<std::string> reporter_names(const gate::FoldedScanFinding& f) {
  std::vector<std::string> out;
  for (const auto& r : f.reporters) out.push_back(r.tool + " @ " + r.leg);
  return out;
}

} // namespace

TEST_SUITE("gate::merge_scan") {
  TEST_CASE("advisory ids are found in the rule ids scanners write") {
    CHECK(gate::advisory_id("CVE-2019-1549") == "CVE-2019-1549");                    // Trivy, osv-scanner
    CHECK(gate::advisory_id("CVE-1999-0001-package-1") == "CVE-1999-0001");          // Grype
    CHECK(gate::advisory_id("SNYK-JS-LODASH-567746") == "");                         // Snyk's own id: no advisory
    CHECK(gate::advisory_id("ghsa-jfh8-c2jp-5v3q") == "GHSA-JFH8-C2JP-5V3Q");
    CHECK(gate::advisory_id("[HIGH] CVE-2021-44228") == "CVE-2021-44228");           // Trivy's SARIF template
    CHECK(gate::advisory_id("XCVE-2021-44228") == "");                              // not at a word start
    CHECK(gate::advisory_id("CVE-2021-123") == "");                                  // too few digits
    CHECK(gate::advisory_id("no-eval") == "");
    CHECK(gate::advisory_id("CVE-") == "");
  }

  TEST_CASE("one vulnerability reported by three tools in two legs is one finding with every reporter") {
    const std::vector<model::LegResult> legs = {
        scan_leg("Security (linux)", {finding("Trivy", "CVE-2022-24713", "go.sum", 1),
                                      finding("Grype", "CVE-2022-24713-regex", "go.sum", 0)}),
        scan_leg("Security (mac)", {finding("osv-scanner", "CVE-2022-24713", "go.sum", 1),
                                    finding("Trivy", "CVE-2022-24713", "go.sum", 1)}),
    };
    const auto folded = gate::fold_scan_findings(legs);
    REQUIRE(folded.size() == 1);
    CHECK(reporter_names(folded[0]) == std::vector<std::string>{"Trivy @ Security (linux)", "Grype @ Security (linux)",
                                                                  "osv-scanner @ Security (mac)", "Trivy @ Security (mac)"});
  }

  TEST_CASE("the same advisory in another file is another finding") {
    const auto folded = gate::fold_scan_findings({scan_leg("S", {finding("Trivy", "CVE-2022-24713", "a/go.sum", 1),
                                                                 finding("Trivy", "CVE-2022-24713", "b/go.sum", 1)})});
    CHECK(folded.size() == 2);
  }

  TEST_CASE("code findings match on rule, file and context hash, so a line shift between legs is one finding") {
    auto a = finding("ESLint", "no-eval", "src/cart.js", 13);
    auto b = finding("ESLint", "no-eval", "src/cart.js", 20);
    a.context_hash = b.context_hash = *model::ContextHash::from("9f1c");
    auto other_rule = finding("ESLint", "no-implied-eval", "src/cart.js", 20);
    other_rule.context_hash = *model::ContextHash::from("9f1c");
    const auto folded = gate::fold_scan_findings({scan_leg("L1", {a}), scan_leg("L2", {b, other_rule})});
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].finding.rule_id == "no-eval");
    CHECK(reporter_names(folded[0]) == std::vector<std::string>{"ESLint @ L1", "ESLint @ L2"});
    CHECK(reporter_names(folded[1]) == std::vector<std::string>{"ESLint @ L2"});
  }

  TEST_CASE("without a context hash the line decides") {
    const auto folded = gate::fold_scan_findings({scan_leg("L1", {finding("clang", "core.DivideZero", "a.c", 13)}),
                                                  scan_leg("L2", {finding("clang", "core.DivideZero", "a.c", 13),
                                                                  finding("clang", "core.DivideZero", "a.c", 14)})});
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].reporters.size() == 2);
  }

  TEST_CASE("findings without a file are keyed by the location the report wrote") {
    auto img1 = finding("Trivy", "DS002", "", 0);
    img1.uri = "library/alpine:3.10";
    auto img2 = img1;
    auto other = img1;
    other.uri = "library/debian:12";
    const auto folded = gate::fold_scan_findings({scan_leg("L1", {img1}), scan_leg("L2", {img2, other})});
    CHECK(folded.size() == 2);
    // A file path and a location outside the repository never collide, even with equal text.
    auto in_repo = finding("Trivy", "DS002", "Dockerfile", 0);
    auto outside = finding("Trivy", "DS002", "", 0);
    outside.uri = "Dockerfile";
    CHECK(gate::scan_fold_key(in_repo) != gate::scan_fold_key(outside));
  }

  TEST_CASE("the most severe report wins, new wins over unchanged, and a finding still reported is not fixed") {
    auto low = finding("T", "CVE-2020-0001", "p.lock", 1, model::ScanSeverity::low, model::ScanState::unchanged);
    auto high = finding("G", "CVE-2020-0001", "p.lock", 1, model::ScanSeverity::high, model::ScanState::unchanged);
    auto newer = finding("O", "CVE-2020-0001", "p.lock", 1, model::ScanSeverity::medium, model::ScanState::new_finding);
    auto fixed = finding("T", "CVE-2020-0001", "p.lock", 1, model::ScanSeverity::critical, model::ScanState::fixed);
    const auto folded = gate::fold_scan_findings({scan_leg("L1", {low, fixed}), scan_leg("L2", {high, newer})});
    REQUIRE(folded.size() == 1);
    CHECK(folded[0].finding.severity == model::ScanSeverity::high);
    CHECK(folded[0].finding.state == model::ScanState::new_finding);
    CHECK(folded[0].reporters.size() == 3);
  }

  TEST_CASE("a finding fixed in every leg stays fixed, after the present ones") {
    const auto folded = gate::fold_scan_findings(
        {scan_leg("L1", {finding("E", "no-new-func", "r.js", 9, model::ScanSeverity::error, model::ScanState::fixed),
                         finding("E", "eqeqeq", "c.js", 13, model::ScanSeverity::warning, model::ScanState::unchanged)}),
         scan_leg("L2", {finding("E", "no-new-func", "r.js", 9, model::ScanSeverity::error, model::ScanState::fixed)})});
    REQUIRE(folded.size() == 2);
    CHECK(folded[0].finding.rule_id == "eqeqeq");
    CHECK(folded[1].finding.state == model::ScanState::fixed);
    const auto totals = gate::scan_fold_totals(folded);
    CHECK(totals.total_fixed() == 1);
    CHECK(totals.at_rank(2) == 1);
    CHECK(totals.total_unchanged() == 1);
  }

  TEST_CASE("one leg's suppression does not hide what another leg's tool reports") {
    auto suppressed = finding("Semgrep", "rules.regex.aws-id", "config.js", 3);
    suppressed.suppression = model::Suppression::sarif;
    suppressed.suppression_reason = "nosemgrep";
    const auto open = finding("Semgrep", "rules.regex.aws-id", "config.js", 3);
    auto folded = gate::fold_scan_findings({scan_leg("L1", {suppressed}), scan_leg("L2", {open})});
    REQUIRE(folded.size() == 1);
    CHECK(folded[0].finding.suppression == model::Suppression::none);
    CHECK(gate::scan_fold_totals(folded).at_rank(3) == 1);

    folded = gate::fold_scan_findings({scan_leg("L1", {suppressed}), scan_leg("L2", {suppressed})});
    REQUIRE(folded.size() == 1);
    CHECK(folded[0].finding.suppression == model::Suppression::sarif);
    CHECK(folded[0].finding.suppression_reason == "nosemgrep");
    CHECK(gate::scan_fold_totals(folded).at_rank(3) == 0);
    CHECK(gate::scan_fold_totals(folded).suppressed == 1);
  }

  TEST_CASE("the same tool in the same leg twice is one reporter") {
    const auto folded = gate::fold_scan_findings(
        {scan_leg("L1", {finding("Trivy", "CVE-2020-0002", "a.lock", 1), finding("Trivy", "CVE-2020-0002", "a.lock", 7)})});
    REQUIRE(folded.size() == 1);
    CHECK(folded[0].reporters.size() == 1);
  }

  TEST_CASE("legs without scan results are left out; the order is by severity, then first report") {
    model::LegResult tests;
    tests.command = "tests";
    const auto folded = gate::fold_scan_findings(
        {tests, scan_leg("L1", {finding("E", "a", "x.js", 1, model::ScanSeverity::note),
                                finding("E", "b", "x.js", 2, model::ScanSeverity::critical),
                                finding("E", "c", "x.js", 3, model::ScanSeverity::error),
                                finding("E", "d", "x.js", 4, model::ScanSeverity::high)})});
    REQUIRE(folded.size() == 4);
    CHECK(folded[0].finding.rule_id == "b");
    CHECK(folded[1].finding.rule_id == "c"); // error and high share a rank: first reported first
    CHECK(folded[2].finding.rule_id == "d");
    CHECK(folded[3].finding.rule_id == "a");
  }

  TEST_CASE("the merged title reads like a single scan's over the folded findings") {
    using S = model::ScanSeverity;
    using St = model::ScanState;
    const auto folded = gate::fold_scan_findings(
        {scan_leg("L1", {finding("T", "CVE-2020-0001", "a", 1, S::high), finding("G", "CVE-2020-0001-pkg", "a", 1, S::high),
                         finding("T", "CVE-2020-0003", "a", 1, S::medium),
                         finding("T", "CVE-2020-0004", "a", 1, S::low, St::unchanged),
                         finding("T", "CVE-2020-0005", "a", 1, S::low, St::fixed)}),
         scan_leg("L2", {finding("T", "CVE-2020-0001", "a", 1, S::high)})});
    const std::string title = gate::scan_fold_title(folded, true);
    CHECK(title.rfind("Security: 1 new high, 1 new medium", 0) == 0);
    CHECK(title.find("1 unchanged") != std::string::npos);
    CHECK(title.find("1 fixed") != std::string::npos);
  }
}
