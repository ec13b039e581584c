#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "command/command.h"

using namespace tollgate;

namespace {

namespace fs = std::filesystem;

// A scratch directory with the files given, removed afterwards.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("tollgate-scan-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

struct Run {
  int status;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  std::vector<const char*> argv = {"tollgate"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int status = command::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

const char* k_log = R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"osv-scanner","rules":[
  {"id":"GHSA-1","properties":{"security-severity":"9.8"}},{"id":"GHSA-2","properties":{"security-severity":"5.0"}}]}},
  "results":[{"ruleId":"GHSA-1","message":{"text":"lodash 4.17.0"}},{"ruleId":"GHSA-2","message":{"text":"minimist 1.2.0"}}]}]})";

} // namespace

TEST_SUITE("command::scan_command") {
  TEST_CASE("bad SARIF: exit 2 naming the file, line and column") {
    Scratch s;
    const std::string bad = s.write("bad.sarif", "{\"version\": \"2.1.0\",\n  \"runs\": [ {\"results\": [1,] } ]}");
    const Run r = run({"scan", "--report", bad, "--dry-run"});
    CHECK(r.status == 2);
    // Column 28 is the "]" where a value should follow the comma.
    CHECK(r.err.find(bad + ":2:28: not JSON: Invalid value") != std::string::npos);
  }

  TEST_CASE("options the command does not use are refused; --new-only needs a baseline") {
    Scratch s;
    const std::string log = s.write("a.sarif", k_log);
    Run r = run({"scan", "--report", log, "--format", "sarif"});
    CHECK(r.status == 2);
    CHECK(r.err.find("tollgate scan: unknown option --format") != std::string::npos);
    r = run({"scan", "--report", log, "--new-only", "--dry-run"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--new-only needs --baseline") != std::string::npos);
    r = run({"scan", "--report", log, "--fail-on", "severe"});
    CHECK(r.status == 2);
  }

  TEST_CASE("a --json result is the next run's baseline: nothing new, nothing fixed") {
    Scratch s;
    const std::string log = s.write("a.sarif", k_log);
    const std::string json = (s.dir / "scan.json").string();
    Run r = run({"scan", "--report", log, "--dry-run", "--json", json});
    CHECK(r.status == 1); // a critical finding fails --fail-on high
    CHECK(r.out.find("failure — 1 critical, 1 medium") != std::string::npos);
    r = run({"scan", "--report", log, "--dry-run", "--baseline", json, "--new-only"});
    CHECK(r.status == 0);
    CHECK(r.out.find("success — no new findings · 2 unchanged") != std::string::npos);
    // Without --new-only outside a pull request, unchanged findings are judged too.
    r = run({"scan", "--report", log, "--dry-run", "--baseline", json, "--all"});
    CHECK(r.status == 1);
    // The baseline as SARIF works the same.
    r = run({"scan", "--report", log, "--dry-run", "--baseline", log, "--new-only", "--fail-on", "low"});
    CHECK(r.status == 0);
  }

  TEST_CASE("--fail-on and --max-findings") {
    Scratch s;
    const std::string log = s.write("a.sarif", k_log);
    CHECK(run({"scan", "--report", log, "--dry-run", "--fail-on", "critical"}).status == 1);
    CHECK(run({"scan", "--report", log, "--dry-run", "--fail-on", "never"}).status == 0);
    CHECK(run({"scan", "--report", log, "--dry-run", "--fail-on", "never", "--max-findings", "1"}).status == 1);
    CHECK(run({"scan", "--report", log, "--dry-run", "--fail-on", "never", "--max-findings", "2"}).status == 0);
  }
}
