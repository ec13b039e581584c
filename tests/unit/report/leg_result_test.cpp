#include <doctest/doctest.h>

#include "report/leg_result.h"

using namespace tollgate;

namespace {

const char* k_tests_leg = R"J({"tool":"tollgate","version":"0.1.0","command":"tests","check_name":"Tests (linux, 3.11)",
  "passed":false,"conclusion":"failure","title":"2 tests, 1 failed",
  "gates":[{"name":"failed tests","threshold":0,"actual":1,"passed":false,"detail":"1 failed"}],
  "findings":[{"path":"src/a.py","start_line":3,"end_line":3,"level":"failure","title":"t › a","message":"boom","raw_details":"trace"}],
  "totals":{"tests":2,"passed":1,"failed":1,"errors":0,"skipped":0,"flaky":0,"duration_s":0.25}})J";

const char* k_coverage_leg = R"J({"tool":"tollgate","command":"coverage","check_name":"Coverage (linux)","passed":true,
  "gates":[{"name":"line coverage","threshold":60,"actual":66.7,"passed":true}],"findings":[],
  "baseline":{"line_pct":70.5},"outside_repository":["/usr/lib/x.py"],
  "coverage_data":{"version":1,"files":[{"path":"src/a.py","lines":[[3,0],[1,2],[3,1]],"branches":[[1,0,1,0],[1,0,0,4]]}]}})J";

} // namespace

TEST_SUITE("report::leg_result") {
  TEST_CASE("a tests leg: verdict, gates, findings and totals") {
    const auto leg = report::parse_leg_result(k_tests_leg);
    REQUIRE(leg);
    CHECK(leg->command == "tests");
    CHECK(leg->check_name == "Tests (linux, 3.11)");
    CHECK_FALSE(leg->passed);
    CHECK(leg->conclusion == model::Conclusion::failure);
    REQUIRE(leg->gates.size() == 1);
    CHECK(leg->gates[0].name == "failed tests");
    CHECK(leg->gates[0].actual == 1);
    REQUIRE(leg->findings.size() == 1);
    CHECK(leg->findings[0].path == "src/a.py");
    CHECK(leg->findings[0].start_line == 3);
    CHECK(leg->findings[0].raw_details == "trace");
    REQUIRE(leg->tests);
    CHECK(leg->tests->tests == 2);
    CHECK(leg->tests->failed == 1);
    CHECK(leg->tests->duration_s == doctest::Approx(0.25));
    CHECK_FALSE(leg->coverage);
  }

  TEST_CASE("a coverage leg: coverage data normalized, hits of repeated lines added") {
    const auto leg = report::parse_leg_result(k_coverage_leg);
    REQUIRE(leg);
    REQUIRE(leg->coverage);
    REQUIRE(leg->coverage->size() == 1);
    const auto& f = (*leg->coverage)[0];
    CHECK(f.path == "src/a.py");
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].line == 1);
    CHECK(f.lines[1].line == 3);
    CHECK(f.lines[1].hits == 1);
    REQUIRE(f.branches.size() == 2);
    CHECK(f.branches[0].branch == 0);
    CHECK(leg->baseline_line_pct == doctest::Approx(70.5));
    CHECK(leg->coverage_outside == std::vector<std::string>{"/usr/lib/x.py"});
  }

  TEST_CASE("a coverage result without coverage data names what to do") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message.find("coverage_data") != std::string::npos);
  }

  TEST_CASE("JSON that is not a Tollgate result is refused") {
    CHECK_FALSE(report::parse_leg_result(R"J({"command":"tests","passed":true})J"));
    CHECK_FALSE(report::parse_leg_result("[1,2]"));
    const auto broken = report::parse_leg_result("{\n  \"tool\": \"tollgate\",\n  \"command\": }");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().line == 3);
  }

  TEST_CASE("members with the wrong type are named") {
    const auto no_passed = report::parse_leg_result(R"J({"tool":"tollgate","command":"tests","passed":"yes"})J");
    REQUIRE_FALSE(no_passed);
    CHECK(no_passed.error().message == "result: \"passed\" must be true or false");
    const auto bad_level = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"x","passed":true,"findings":[{"title":"t","level":"fatal"}]})J");
    REQUIRE_FALSE(bad_level);
    CHECK(bad_level.error().message == "findings[0]: \"level\" must be notice, warning or failure");
    const auto bad_line = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":1,"files":[{"path":"a","lines":[[0,1]]}]}})J");
    REQUIRE_FALSE(bad_line);
    CHECK(bad_line.error().message == "coverage_data.files[0]: each of \"lines\" must be [line, hits]");
    const auto bad_version = report::parse_leg_result(
        R"J({"tool":"tollgate","command":"coverage","passed":true,"coverage_data":{"version":2,"files":[]}})J");
    REQUIRE_FALSE(bad_version);
    CHECK(bad_version.error().message.find("version 2 is not understood") != std::string::npos);
  }

  TEST_CASE("a command that is not a command name is refused: it names the merged check") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"<img src=x>","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message == "result: \"command\" must be a tollgate command name");
  }

  TEST_CASE("a tests result without totals is an error") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"tests","passed":true})J");
    REQUIRE_FALSE(leg);
    CHECK(leg.error().message == "a tests result needs \"totals\"");
  }

  TEST_CASE("a gate that measured nothing has a null actual and keeps measured=false") {
    const auto leg = report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true,
      "gates":[{"name":"patch coverage","threshold":80,"actual":null,"measured":false,"passed":true}],"findings":[],
      "coverage_data":{"version":1,"files":[]}})J");
    REQUIRE(leg);
    REQUIRE(leg->gates.size() == 1);
    CHECK_FALSE(leg->gates[0].measured);
    // A null actual on a gate that claims to be measured is still refused.
    CHECK_FALSE(report::parse_leg_result(R"J({"tool":"tollgate","command":"coverage","passed":true,
      "gates":[{"name":"patch coverage","threshold":80,"actual":null,"passed":true}],"findings":[],
      "coverage_data":{"version":1,"files":[]}})J"));
  }
}

TEST_SUITE("report::leg_result") {
  TEST_CASE("paths from a leg result are confined to the repository") {
    CHECK(report::confined_leg_path("src/a.py") == "src/a.py");
    CHECK(report::confined_leg_path("src/./b/../a.py") == "src/a.py");
    for (const char* hostile : {"../../../etc/passwd", "/etc/passwd", "src\\a.py", "C:/x.py", "src/../../x.py",
                                "a\n::warning::x", "", "."})
      CHECK_FALSE(report::confined_leg_path(hostile));
  }

  TEST_CASE("the writer is read back; a run id that is not digits is refused") {
    auto leg = report::parse_leg_result(
        R"({"tool":"tollgate","command":"tests","passed":true,"writer":{"run_id":"1001","run_attempt":"1","job":"test","leg":"3.12"},)"
        R"("totals":{"tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"flaky":0}})");
    REQUIRE(leg);
    CHECK(leg->has_writer);
    CHECK(leg->job == "test");
    CHECK(leg->leg == "3.12");
    CHECK(leg->run_id == "1001");
    CHECK_FALSE(report::parse_leg_result(
        R"({"tool":"tollgate","command":"tests","passed":true,"writer":{"run_id":"1/../../x"},)"
        R"("totals":{"tests":1,"passed":1,"failed":0,"errors":0,"skipped":0,"flaky":0}})"));
  }
}
