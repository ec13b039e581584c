#include <doctest/doctest.h>

#include "gate/scan_match.h"

using namespace tollgate;
using model::ScanFinding;
using model::ScanState;

namespace {

ScanFinding finding(std::string rule, std::string path, int line, std::string context, std::string message = "m") {
  ScanFinding f;
  f.tool = "t";
  f.rule_id = std::move(rule);
  f.path = std::move(path);
  f.start_line = f.end_line = line;
  f.context_hash = context.empty() ? model::ContextHash() : gate::context_hash(context);
  f.message = std::move(message);
  return f;
}

} // namespace

TEST_SUITE("gate::scan_match") {
  TEST_CASE("the context hash ignores blanks and the lines after a long enough line") {
    CHECK(gate::context_hash("  os.system(cmd)\nnext") == gate::context_hash("os.system( cmd )\nother"));
    CHECK(gate::context_hash("os.system(cmd)") != gate::context_hash("os.system(cmd2)"));
    // A short line takes the next ones in: "}" alone says nothing.
    CHECK(gate::context_hash("}\nfoo()") != gate::context_hash("}\nbar()"));
    CHECK(gate::context_hash(" \n\t") == "");
    // Two lines of a region both count.
    CHECK(gate::context_hash("first(line)\nsecond(line)", 2) != gate::context_hash("first(line)\nother(line)", 2));
  }

  TEST_CASE("fingerprints decide when both sides carry the key") {
    std::vector<ScanFinding> head = {finding("r", "a.c", 40, "x = 1;")};
    head[0].fingerprints = {{"partial/primaryLocationLineHash", "h1"}};
    std::vector<ScanFinding> base = {finding("r", "a.c", 10, "x = 1;")};
    base[0].fingerprints = {{"partial/primaryLocationLineHash", "h2"}};
    // The same context, but the tool's fingerprints differ: different findings.
    auto cmp = gate::compare_scans(head, base);
    CHECK(head[0].state == ScanState::new_finding);
    REQUIRE(cmp.fixed.size() == 1);
    CHECK(cmp.fixed[0].state == ScanState::fixed);

    base[0].fingerprints = {{"partial/primaryLocationLineHash", "h1"}};
    base[0].path = "moved.c";
    cmp = gate::compare_scans(head, base);
    CHECK(head[0].state == ScanState::unchanged);
    CHECK(cmp.by_fingerprint == 1);
    CHECK(cmp.fixed.empty());
  }

  TEST_CASE("identical lines pair in line order; a third is new") {
    std::vector<ScanFinding> base = {finding("r", "a.c", 9, "free(p);"), finding("r", "a.c", 3, "free(p);")};
    std::vector<ScanFinding> head = {finding("r", "a.c", 30, "free(p);"), finding("r", "a.c", 5, "free(p);"),
                                     finding("r", "a.c", 12, "free(p);")};
    const auto cmp = gate::compare_scans(head, base);
    CHECK(head[1].state == ScanState::unchanged); // line 5 ↔ base line 3
    CHECK(head[2].state == ScanState::unchanged); // line 12 ↔ base line 9
    CHECK(head[0].state == ScanState::new_finding);
    CHECK(cmp.by_context == 2);
    CHECK(cmp.fixed.empty());
  }

  TEST_CASE("the message matches only where a side has no context") {
    std::vector<ScanFinding> base = {finding("CVE-1", "package-lock.json", 0, "", "lodash 4.17.0")};
    std::vector<ScanFinding> head = {finding("CVE-1", "package-lock.json", 0, "", "lodash 4.17.0"),
                                     finding("r", "a.c", 4, "gets(b);", "same")};
    std::vector<ScanFinding> base2 = {finding("r", "a.c", 4, "strcpy(b);", "same")};
    auto cmp = gate::compare_scans(head, base);
    CHECK(head[0].state == ScanState::unchanged);
    CHECK(cmp.by_message == 1);
    // Both sides have a context and it differs: the same message does not make them one.
    cmp = gate::compare_scans(head, base2);
    CHECK(head[1].state == ScanState::new_finding);
    CHECK(cmp.fixed.size() == 1);
  }

  TEST_CASE("suppressed or non-failing base findings are not reported fixed") {
    std::vector<ScanFinding> base = {finding("r", "a.c", 1, "a();"), finding("s", "a.c", 2, "b();")};
    base[0].suppression = model::Suppression::sarif;
    base[1].kind = "pass";
    std::vector<ScanFinding> head;
    CHECK(gate::compare_scans(head, base).fixed.empty());
  }
}

TEST_SUITE("gate::scan_match") {
  TEST_CASE("exact repeats are dropped and counted; a different column is another finding") {
    ScanFinding a = finding("r", "a.c", 3, "x();");
    a.uri = "a.c";
    ScanFinding b = a;
    b.start_column = 9;
    std::vector<ScanFinding> findings = {a, b, a, a};
    CHECK(gate::drop_duplicates(findings) == 2);
    CHECK(findings.size() == 2);
  }

  TEST_CASE("the first of each repeat is kept, in input order; every identifying field tells findings apart") {
    ScanFinding a = finding("r", "a.c", 3, "x();");
    a.uri = "a.c";
    a.message = "first";
    std::vector<ScanFinding> distinct(6, a);
    distinct[1].tool = "other";
    distinct[2].rule_id = "r2";
    distinct[3].uri = "b.c";
    distinct[4].message = "second";
    distinct[5].start_line = 4;
    // Repeats interleaved with the originals, far from them; the kept ones keep their order.
    std::vector<ScanFinding> findings;
    for (const auto& f : distinct) findings.push_back(f);
    for (size_t i = distinct.size(); i-- > 0;) findings.push_back(distinct[i]);
    findings.insert(findings.begin() + 2, distinct[4]);
    for (size_t i = 0; i < findings.size(); ++i) findings[i].snippet = std::to_string(i); // not identifying
    CHECK(gate::drop_duplicates(findings) == 7);
    REQUIRE(findings.size() == 6);
    CHECK(findings[0].tool == "t");
    CHECK(findings[1].tool == "other");
    CHECK(findings[2].message == "second"); // the early repeat of distinct[4] is the one kept
    CHECK(findings[2].snippet == "2");
    CHECK(findings[3].rule_id == "r2");
    CHECK(findings[4].uri == "b.c");
    CHECK(findings[5].start_line == 4);
  }
}
