#include <doctest/doctest.h>

#include <string>

#include "command/scan_inputs.h"
#include "gate/scan_match.h"
#include "report/sarif.h"
#include "util/files.h"

using namespace tollgate;
using model::ScanState;

namespace {

const std::string k_data = std::string(TOLLGATE_TEST_DATA) + "/scan/clang-moved";

std::vector<model::ScanFinding> scan_of(const std::string& side) {
  auto bytes = util::read_file(k_data + "/" + side + "/store.sarif");
  REQUIRE(bytes);
  auto log = report::parse_sarif(*bytes);
  REQUIRE(log);
  // The repository holds store.c; the analyzer wrote /tmp/scanproj/<side>/store.c.
  const report::RepoPaths paths("/work/repo", std::vector<std::string>{"store.c"});
  std::map<std::string, size_t> notes;
  command::resolve_scan_paths(log->findings, paths, notes);
  command::hash_contexts(log->findings, [&](const std::string& path) -> std::optional<std::string> {
    auto text = util::read_file(k_data + "/" + side + "/" + path);
    return text ? std::optional<std::string>(*text) : std::nullopt;
  });
  return log->findings;
}

} // namespace

TEST_SUITE("command::scan_inputs") {
  TEST_CASE("clang analyzer scans of a base and a head where code moved: hand-checked states") {
    const auto base = scan_of("base");
    auto head = scan_of("head");
    REQUIRE(base.size() == 3);
    REQUIRE(head.size() == 3);
    for (const auto& f : head) {
      CHECK(f.path == "store.c");
      CHECK_FALSE(f.context_hash.empty());
    }
    const gate::ScanComparison cmp = gate::compare_scans(head, base);

    std::vector<std::tuple<std::string, int, std::string>> got;
    for (const auto& f : head) got.emplace_back(f.rule_id, f.start_line, model::to_string(f.state));
    for (const auto& f : cmp.fixed) got.emplace_back(f.rule_id, f.start_line, model::to_string(f.state));
    const std::vector<std::tuple<std::string, int, std::string>> expected = {
        {"unix.Malloc", 10, "unchanged"},          // the leak of p, base line 6
        {"core.NullDereference", 22, "unchanged"}, // base line 18
        {"unix.Malloc", 28, "new"},                // the use after free of r
        {"core.DivideZero", 13, "fixed"},          // fixed on the head
    };
    CHECK(got == expected);
    CHECK(cmp.by_context == 2);
  }

  TEST_CASE("context hashes: findings on the same lines of a file share one, other spans and files differ") {
    const std::string a = "int x = 1;\n  int y = x + 1;\nreturn y;\n", b = "int x = 2;\n  int y = x + 1;\nreturn y;\n";
    std::vector<model::ScanFinding> findings(6);
    const auto at = [&](size_t i, std::string path, int start, int end) {
      findings[i].path = std::move(path);
      findings[i].start_line = start;
      findings[i].end_line = end;
    };
    at(0, "a.c", 2, 2);
    at(1, "a.c", 2, 2); // the same lines as 0
    at(2, "a.c", 2, 3); // the same start, one more line
    at(3, "b.c", 1, 1); // line 1 differs between the files
    at(4, "a.c", 1, 1);
    at(5, "b.c", 2, 2); // line 2 is the same text in both files
    size_t reads = 0;
    command::hash_contexts(findings, [&](const std::string& path) -> std::optional<std::string> {
      ++reads;
      return path == "a.c" ? a : b;
    });
    CHECK(reads == 2); // each file read once
    CHECK(findings[0].context_hash == gate::context_hash("  int y = x + 1;\nreturn y;\n", 1));
    CHECK(findings[1].context_hash == findings[0].context_hash);
    CHECK(findings[2].context_hash == gate::context_hash("  int y = x + 1;\nreturn y;\n", 2));
    CHECK(findings[2].context_hash != findings[0].context_hash);
    CHECK(findings[3].context_hash != findings[4].context_hash);
    CHECK(findings[5].context_hash == findings[0].context_hash);
  }

  TEST_CASE("without the head's sources, findings match by message only") {
    const auto base = scan_of("base");
    auto head = scan_of("head");
    for (auto& f : head) f.context_hash.clear();
    const gate::ScanComparison cmp = gate::compare_scans(head, base);
    // The leak and the dereference have the base's messages; the use after free has none of them.
    CHECK(cmp.by_message == 2);
    CHECK(head[2].state == ScanState::new_finding);
  }

  TEST_CASE("the allowlist: entries checked, expired ones named") {
    const YAML::Node config = YAML::Load("scan:\n  allow:\n    - rule: unix.Malloc\n      path: '*.c'\n      reason: tracked in #12\n      expires: 2026-02-30\n");
    CHECK_THROWS_WITH_AS(command::scan_allowlist(config, "t.yml"),
                         "t.yml:6:16: scan.allow \"expires\" must be a date YYYY-MM-DD, not \"2026-02-30\"", util::InputError);
    const YAML::Node no_expiry = YAML::Load("scan:\n  allow:\n    - rule: x\n      reason: r\n");
    CHECK_THROWS_WITH_AS(command::scan_allowlist(no_expiry, "t.yml"),
                         "t.yml:3:7: a scan.allow entry needs \"expires\" (YYYY-MM-DD): an allowlist entry ends",
                         util::InputError);
    const YAML::Node ok = YAML::Load("scan:\n  allow:\n    - {rule: unix.Malloc, path: 'src/**', reason: r, expires: 2027-01-31}\n");
    const auto entries = command::scan_allowlist(ok, "t.yml");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].path == "src/**");
    CHECK(entries[0].where == "t.yml:3:7");
  }
}
