#include <doctest/doctest.h>

#include <string>

#include "report/sarif.h"
#include "report/sarif_limits.h"
#include "report/sarif_run.h"

using namespace tollgate;
using model::ScanSeverity;

namespace {

// Two runs of two tools; rules in the driver and in an extension; bases and artifacts after the
// results (the reader decides a run at its end).
const char* k_two_runs = R"J({
  "version": "2.1.0",
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "runs": [
    {
      "results": [
        {"ruleId": "js/sql-injection", "ruleIndex": 0, "level": "warning",
         "message": {"text": "Query built from {0}.", "markdown": "[click](https://evil)"},
         "message2": 1,
         "arguments": [],
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/db.js", "uriBaseId": "SRC"},
                        "region": {"startLine": 12, "startColumn": 5, "endLine": 13}}},
                       {"physicalLocation": {"artifactLocation": {"uri": "other.js"}, "region": {"startLine": 99}}}],
         "partialFingerprints": {"primaryLocationLineHash": "abc:1"},
         "properties": {"security-severity": "8.8"}},
        {"ruleId": "js/unused", "ruleIndex": 7, "message": {"text": "unused"},
         "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 0}}}],
         "suppressions": []},
        {"rule": {"id": "ext/rule", "toolComponent": {"index": 0}}, "message": {"text": "from a pack"},
         "suppressions": [{"kind": "inSource", "justification": "reviewed"}]}
      ],
      "tool": {"driver": {"name": "CodeQL", "semanticVersion": "2.15.0",
                          "rules": [{"id": "js/sql-injection", "helpUri": "https://codeql.github.com/x",
                                     "defaultConfiguration": {"level": "error"},
                                     "properties": {"security-severity": "9.9"}},
                                    {"id": "js/unused", "name": "UnusedVariable",
                                     "defaultConfiguration": {"level": "note"}}]},
               "extensions": [{"name": "pack", "rules": [{"id": "ext/rule", "defaultConfiguration": {"level": "error"}}]}]},
      "originalUriBaseIds": {"SRC": {"uri": "file:///work/repo/"}},
      "artifacts": [{"location": {"uri": "lib/util.js", "uriBaseId": "%SRCROOT%"}}]
    },
    {"tool": {"driver": {"name": "Trivy", "rules": [
        {"id": "CVE-2024-1", "shortDescription": {"text": "x"}, "properties": {"tags": ["vulnerability", "CRITICAL"]}}]}},
     "results": [{"ruleId": "CVE-2024-1", "level": "error", "message": {"text": "lodash 4.17.0"},
                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "package-lock.json", "uriBaseId": "ROOT"},
                                 "region": {"startLine": 1}}}]}]}
  ]
})J";

} // namespace

TEST_SUITE("report::sarif") {
  TEST_CASE("several runs, rules in the driver and in extensions, bases resolved at the run's end") {
    const auto log = report::parse_sarif(k_two_runs);
    if (!log) FAIL(log.error().message);
    REQUIRE(log->runs.size() == 2);
    CHECK(log->runs[0].tool == "CodeQL");
    CHECK(log->runs[0].version == "2.15.0");
    CHECK(log->runs[0].results == 3);
    REQUIRE(log->findings.size() == 4);

    const auto& sql = log->findings[0];
    CHECK(sql.rule_id == "js/sql-injection");
    CHECK(sql.uri == "/work/repo/src/db.js");
    CHECK(sql.start_line == 12);
    CHECK(sql.end_line == 13);
    CHECK(sql.start_column == 5);
    // The result's own score wins over its rule's and over the level: 8.8 is high.
    CHECK(sql.severity == ScanSeverity::high);
    CHECK(sql.security_severity == doctest::Approx(8.8));
    CHECK(sql.help_uri == "https://codeql.github.com/x");
    CHECK(sql.message == "Query built from {0}.");
    CHECK(sql.fingerprints == std::vector<std::pair<util::Interned, std::string>>{{"partial/primaryLocationLineHash", "abc:1"}});
    CHECK(sql.suppression == model::Suppression::none);

    const auto& unused = log->findings[1];
    // ruleIndex 7 is past the end: ruleId is trusted, and the rule's default level applies.
    CHECK(unused.rule_name == "UnusedVariable");
    CHECK(unused.severity == ScanSeverity::note);
    CHECK(unused.uri == "lib/util.js");
    CHECK(unused.start_line == 0);
    CHECK(unused.suppression == model::Suppression::none);

    const auto& ext = log->findings[2];
    CHECK(ext.rule_id == "ext/rule");
    CHECK(ext.severity == ScanSeverity::error);
    CHECK(ext.uri.empty());
    CHECK(ext.suppression == model::Suppression::sarif);
    CHECK(ext.suppression_reason == "reviewed");

    const auto& cve = log->findings[3];
    CHECK(cve.tool == "Trivy");
    CHECK(cve.severity == ScanSeverity::critical); // from the rule's tags, over level "error"
    CHECK(cve.uri == "package-lock.json");

    CHECK(log->notes.count("ruleIndex past the end of the rules (ruleId trusted)") == 1);
    CHECK(log->notes.count("empty suppressions arrays (not suppressed)") == 1);
    CHECK(log->notes.count("uriBaseId \"ROOT\" never defined (taken as the workspace root)") == 1);
    CHECK(log->notes.count("results without a physical location (shown without a line)") == 1);
  }

  TEST_CASE("a location named by many results: each resolved by its own base, each note counted") {
    // The same uri under two bases, three times each, and an undefined base twice: the run resolves
    // each (base, uri) once, and must neither mix the bases nor count a note only once.
    const auto log = report::parse_sarif(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},
      "originalUriBaseIds":{"A":{"uri":"file:///w/a/"},"B":{"uri":"file:///w/b/"}},
      "results":[
        {"ruleId":"r","message":{"text":"1"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"A"}}}]},
        {"ruleId":"r","message":{"text":"2"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"B"}}}]},
        {"ruleId":"r","message":{"text":"3"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"A"}}}]},
        {"ruleId":"r","message":{"text":"4"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"B"}}}]},
        {"ruleId":"r","message":{"text":"5"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"NOPE"}}}]},
        {"ruleId":"r","message":{"text":"6"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js","uriBaseId":"NOPE"}}}]},
        {"ruleId":"r","message":{"text":"7"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"x.js"}}}]}]}]})");
    REQUIRE(log);
    REQUIRE(log->findings.size() == 7);
    const std::vector<std::string> expected = {"/w/a/x.js", "/w/b/x.js", "/w/a/x.js", "/w/b/x.js", "x.js", "x.js", "x.js"};
    for (size_t i = 0; i < expected.size(); ++i) CHECK(log->findings[i].uri == expected[i]);
    CHECK(log->notes.at("uriBaseId \"NOPE\" never defined (taken as the workspace root)") == 2);
  }

  TEST_CASE("ruleIndex pointing at another rule: ruleId wins") {
    const auto log = report::parse_sarif(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[
      {"id":"A","properties":{"security-severity":"2"}},{"id":"B","properties":{"security-severity":"9.5"}}]}},
      "results":[{"ruleId":"B","ruleIndex":0,"message":{"text":"m"}}]}]})");
    REQUIRE(log);
    REQUIRE(log->findings.size() == 1);
    CHECK(log->findings[0].severity == ScanSeverity::critical);
    CHECK(log->notes.count("ruleIndex pointing at another rule than ruleId (ruleId trusted)") == 1);
  }

  TEST_CASE("a warning line before the JSON is skipped and said") {
    const auto log = report::parse_sarif("npm WARN deprecated x\n\n{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[]}]}");
    REQUIRE(log);
    CHECK(log->preamble_lines == 1);
    CHECK(log->preamble_first == "npm WARN deprecated x");
  }

  TEST_CASE("errors name the line and column") {
    auto log = report::parse_sarif("{\"version\":\"2.1.0\",\n\"runs\":[{\"results\":[}]}");
    REQUIRE_FALSE(log);
    CHECK(log.error().line == 2);
    CHECK(log.error().column == 21); // the "}" where a value should be
    log = report::parse_sarif("{\"version\":\"2.0.0\",\"runs\":[]}");
    REQUIRE_FALSE(log);
    CHECK(log.error().message.find("not 2.1.0") != std::string::npos);
    log = report::parse_sarif("{\"version\":\"2.1.0\"}");
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "not SARIF: no \"runs\" array");
    log = report::parse_sarif("no json here\nat all\n");
    REQUIRE_FALSE(log);
    CHECK(log.error().message.find("not SARIF") == 0);
    log = report::parse_sarif("{\"version\":\"2.1.0\",\"runs\":[{\"results\":{}}]}");
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "\"results\" must be an array");
  }

  TEST_CASE("nesting past the limit is an error, not a stack overflow") {
    std::string deep = "{\"version\":\"2.1.0\",\"runs\":[{\"properties\":";
    for (size_t i = 0; i < report::k_sarif_max_depth + 5; ++i) deep += "[";
    const auto log = report::parse_sarif(deep);
    REQUIRE_FALSE(log);
    CHECK(log.error().message.find("nesting deeper") == 0);
  }

  TEST_CASE("a run without results, or whose invocation failed, is incomplete") {
    const auto log = report::parse_sarif(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"a"}}},
      {"tool":{"driver":{"name":"b"}},"results":null},
      {"tool":{"driver":{"name":"c"}},"invocations":[{"executionSuccessful":false}],"results":[]},
      {"tool":{"driver":{"name":"d"}},"results":[]}]})");
    REQUIRE(log);
    REQUIRE(log->runs.size() == 4);
    CHECK(log->runs[0].incomplete);
    CHECK(log->runs[1].incomplete);
    CHECK(log->runs[2].incomplete);
    CHECK_FALSE(log->runs[3].incomplete);
  }

  TEST_CASE("severity as code scanning computes it") {
    using report::severity_of;
    CHECK(severity_of({"9.0", "", {}, "note", ""}).severity == ScanSeverity::critical);
    CHECK(severity_of({"8.9", "", {}, "", ""}).severity == ScanSeverity::high);
    CHECK(severity_of({"", "7", {}, "", ""}).severity == ScanSeverity::high);
    CHECK(severity_of({"6.9", "", {}, "", ""}).severity == ScanSeverity::medium);
    CHECK(severity_of({"0.1", "", {}, "", ""}).severity == ScanSeverity::low);
    CHECK(severity_of({"0", "", {}, "error", ""}).severity == ScanSeverity::error);
    CHECK(severity_of({"n/a", "", {}, "", "note"}).severity == ScanSeverity::note);
    CHECK(severity_of({"", "", {}, "", ""}).severity == ScanSeverity::warning);
    CHECK(severity_of({"", "", {}, "none", "error"}).severity == ScanSeverity::none);
    CHECK(severity_of({"", "", ScanSeverity::medium, "error", ""}).severity == ScanSeverity::medium);
  }

  TEST_CASE("severity words in tags and descriptions") {
    CHECK(report::severity_in_text("HIGH") == ScanSeverity::high);
    CHECK(report::severity_in_text("Severity: Critical. Upgrade.") == ScanSeverity::critical);
    CHECK(report::severity_in_text("security-severity:low") == ScanSeverity::low);
    CHECK_FALSE(report::severity_in_text("high entropy string"));
    CHECK_FALSE(report::severity_in_text("security"));
  }

  TEST_CASE("file URIs: hosts, drive letters, percent-encoding; other schemes kept") {
    CHECK(report::sarif_uri_to_path("file:///w/a%20b.js") == "/w/a b.js");
    CHECK(report::sarif_uri_to_path("file://builder/w/x.c") == "/w/x.c");
    CHECK(report::sarif_uri_to_path("file:///C:/src/x.cs") == "C:/src/x.cs");
    CHECK(report::sarif_uri_to_path("src/x.c?x=1") == "src/x.c");
    CHECK(report::sarif_uri_to_path("pkg:npm/lodash@4.17.0") == "pkg:npm/lodash@4.17.0");
  }
}

TEST_SUITE("report::sarif") {
  TEST_CASE("results that are not objects are skipped and counted; runs must be objects") {
    auto log = report::parse_sarif(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[1,[{"ruleId":"x"}],{"ruleId":"r","message":{"text":"m"}}]}]})");
    REQUIRE(log);
    CHECK(log->findings.size() == 1);
    CHECK(log->notes["results that are not objects (skipped)"] == 2);
    log = report::parse_sarif(R"({"version":"2.1.0","runs":[1]})");
    REQUIRE_FALSE(log);
    CHECK(log.error().message == "each of \"runs\" must be an object");
  }
}
