#include <doctest/doctest.h>

#include "gate/scan_allowlist.h"

using namespace tollgate;

namespace {

model::ScanFinding finding(std::string rule, std::string path) {
  model::ScanFinding f;
  f.rule_id = std::move(rule);
  f.path = std::move(path);
  return f;
}

} // namespace

TEST_SUITE("gate::scan_allowlist") {
  TEST_CASE("an entry suppresses through its expiry day, not after") {
    const std::vector<gate::ScanAllowEntry> entries = {{"r1", "src/**", "accepted risk", "2026-12-04", "t.yml:3:7"}};
    std::vector<model::ScanFinding> findings = {finding("r1", "src/a/b.c"), finding("r1", "test/b.c"), finding("r2", "src/x.c")};
    auto uses = gate::apply_allowlist(findings, entries, "2026-12-04");
    CHECK(findings[0].suppression == model::Suppression::allowlist);
    CHECK(findings[0].suppression_reason == "accepted risk");
    CHECK(findings[1].suppression == model::Suppression::none); // outside the glob
    CHECK(findings[2].suppression == model::Suppression::none); // another rule
    CHECK(uses[0].suppressed == 1);
    CHECK_FALSE(uses[0].expired);

    findings[0].suppression = model::Suppression::none;
    uses = gate::apply_allowlist(findings, entries, "2026-12-05");
    CHECK(findings[0].suppression == model::Suppression::none);
    CHECK(uses[0].expired);
    CHECK(uses[0].would_suppress == 1);
  }

  TEST_CASE("an entry without a path covers findings without one; SARIF suppressions are kept") {
    const std::vector<gate::ScanAllowEntry> entries = {{"CVE-1", "", "no fix yet", "2099-01-01", ""}};
    std::vector<model::ScanFinding> findings = {finding("CVE-1", ""), finding("CVE-1", "a.c")};
    findings[1].suppression = model::Suppression::sarif;
    findings[1].suppression_reason = "tool";
    const auto uses = gate::apply_allowlist(findings, entries, "2026-01-01");
    CHECK(findings[0].suppression == model::Suppression::allowlist);
    CHECK(findings[1].suppression_reason == "tool");
    CHECK(uses[0].suppressed == 1);
  }

  TEST_CASE("calendar dates") {
    CHECK(gate::is_calendar_date("2024-02-29"));
    CHECK_FALSE(gate::is_calendar_date("2023-02-29"));
    CHECK_FALSE(gate::is_calendar_date("2023-13-01"));
    CHECK_FALSE(gate::is_calendar_date("2023-1-01"));
    CHECK_FALSE(gate::is_calendar_date("tomorrow"));
  }
}
