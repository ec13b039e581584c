#include <doctest/doctest.h>

#include "gate/scan_gate.h"

using namespace tollgate;
using model::ScanSeverity;
using model::ScanState;

namespace {

model::ScanFinding finding(ScanSeverity s, ScanState state = ScanState::new_finding) {
  model::ScanFinding f;
  f.severity = s;
  f.state = state;
  return f;
}

} // namespace

TEST_SUITE("gate::scan_gate") {
  TEST_CASE("fail-on is the least severity that fails, on one scale with the levels") {
    const std::vector<model::ScanFinding> findings = {finding(ScanSeverity::error), finding(ScanSeverity::medium)};
    gate::ScanGateOptions o;
    o.fail_on = ScanSeverity::critical;
    CHECK(gate::decide_scan(findings, o)[0].passed);
    o.fail_on = ScanSeverity::high; // error counts as high
    auto gates = gate::decide_scan(findings, o);
    CHECK_FALSE(gates[0].passed);
    CHECK(gates[0].actual == 1);
    o.fail_on = ScanSeverity::warning; // warning is medium's rank
    CHECK(gate::decide_scan(findings, o)[0].actual == 2);
    o.fail_never = true;
    CHECK(gate::decide_scan(findings, o).empty());
  }

  TEST_CASE("new-only judges new findings; suppressed and non-failing kinds never count") {
    std::vector<model::ScanFinding> findings = {finding(ScanSeverity::critical, ScanState::unchanged),
                                                finding(ScanSeverity::high), finding(ScanSeverity::high),
                                                finding(ScanSeverity::critical)};
    findings[2].suppression = model::Suppression::allowlist;
    findings[3].kind = "review";
    gate::ScanGateOptions o;
    o.new_only = true;
    o.max_findings = 0;
    auto gates = gate::decide_scan(findings, o);
    REQUIRE(gates.size() == 2);
    CHECK(gates[0].actual == 1);
    CHECK(gates[1].name == gate::k_gate_max_findings);
    CHECK(gates[1].actual == 1);
    CHECK_FALSE(gates[1].passed);
    o.new_only = false;
    CHECK(gate::decide_scan(findings, o)[0].actual == 2);
  }

  TEST_CASE("an incomplete run fails the gate: no results is no proof") {
    gate::ScanGateOptions o;
    o.incomplete_runs = 1;
    const auto gates = gate::decide_scan({}, o);
    REQUIRE(gates.size() == 2);
    CHECK_FALSE(gates[1].passed);
    CHECK(gate::scan_title(gate::count_scan({}, {}), false, gates) == "1 scanner run(s) incomplete · no findings");
  }

  TEST_CASE("titles") {
    std::vector<model::ScanFinding> findings = {finding(ScanSeverity::high), finding(ScanSeverity::medium),
                                                finding(ScanSeverity::high)};
    for (int i = 0; i < 14; ++i) findings.push_back(finding(ScanSeverity::low, ScanState::unchanged));
    std::vector<model::ScanFinding> fixed = {finding(ScanSeverity::note, ScanState::fixed)};
    auto totals = gate::count_scan(findings, fixed);
    CHECK(gate::scan_title(totals, true, {}) == "2 new high, 1 new medium · 14 unchanged · 1 fixed");
    CHECK(gate::scan_title(gate::count_scan({findings[0]}, {}), false, {}) == "1 high");
    CHECK(gate::scan_title(gate::count_scan({findings[5]}, {}), true, {}) == "no new findings · 1 unchanged");
    CHECK(gate::scan_title(gate::count_scan({}, {}), false, {}) == "no findings");
    CHECK(gate::scan_title(gate::count_scan({finding(ScanSeverity::none)}, {}), true, {}) == "1 new without severity");
    CHECK(totals.at_rank(3) == 2);
    CHECK(totals.at_rank(1) == 14);
  }

  TEST_CASE("shown in order: changed lines first, then by severity rank, equal ones as they came") {
    std::vector<model::ScanFinding> findings;
    const auto add = [&](ScanSeverity s, bool changed, std::string message) {
      findings.push_back(finding(s));
      findings.back().on_changed_line = changed;
      findings.back().message = std::move(message);
    };
    add(ScanSeverity::note, false, "note 1");
    add(ScanSeverity::high, false, "high 1");
    add(ScanSeverity::low, true, "low on a changed line");
    add(ScanSeverity::error, false, "error (high's rank) 2");
    add(ScanSeverity::critical, false, "critical");
    add(ScanSeverity::none, false, "none");
    add(ScanSeverity::high, false, "high 3");
    add(ScanSeverity::medium, true, "medium on a changed line");
    std::vector<const model::ScanFinding*> order;
    for (const auto& f : findings) order.push_back(&f);
    gate::order_for_showing(order);
    std::vector<std::string> messages;
    for (const auto* f : order) messages.push_back(f->message);
    CHECK(messages == std::vector<std::string>{"medium on a changed line", "low on a changed line", "critical", "high 1",
                                              "error (high's rank) 2", "high 3", "note 1", "none"});
  }
}
