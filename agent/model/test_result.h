#pragma once
// Test results as every format reduces to them.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::model {

enum class TestStatus { passed, failed, errored, skipped, flaky };

const char* to_string(TestStatus status);

struct TestCase {
  std::string suite;     // the enclosing suite / assembly / fixture name
  std::string classname; // JUnit classname, xUnit type, NUnit fullname's class part
  std::string name;
  std::string file;      // as the report gives it (file attribute); may be empty
  int line = 0;          // 1-based, 0 when unknown (pytest's 0-based attribute already converted)
  TestStatus status = TestStatus::passed;
  double duration_s = 0;
  std::string message;   // failure/error message (first line, or the message attribute)
  std::string details;   // the trace / failure body
  std::string failure_type; // exception type when given
  std::string system_out; // kept only for failed tests (ctest puts the failure there)
  std::string system_err;
  int reruns = 0;        // flaky/rerun entries seen
  // How many tests this entry stands for: 1 for a test case. The entry for the failures and
  // errors a suite header counts beyond its test cases stands for that many errored tests.
  size_t count = 1;
  bool suite_header = false; // that entry: not a test case of the report
};

// Durations saturate here (about 31.7 years): a report's times are hostile, and two `time="1e308"`
// would sum to infinity, shown "inf" and written as invalid JSON. No real run comes near it.
inline constexpr double k_max_duration_s = 1e9;

// sum + d, with a non-finite or negative d read as 0 and the result capped at k_max_duration_s.
double add_duration(double sum, double d);

// A suite's tests as the summary's suite table counts them.
struct SuiteTally {
  std::string name; // TestCase::suite (empty: the caller names it after the report)
  size_t tests = 0, failed = 0, skipped = 0; // failed: failed or errored
  double duration_s = 0;
};

// The slowest folded passed tests a run keeps whole (publish::k_slowest_listed lists ten).
inline constexpr size_t k_slowest_folded = 10;

// Passed test cases a streamed reader folds instead of keeping one by one (issue 18): a report of
// millions of passing tests needs their count, durations, suites and slowest few, not each one
// (about 400 bytes apiece with their strings). On only where the caller asks for it (tests
// without --retries-as-flaky, which must see every passed test's name) and the reader does it
// (report/test_report_fold.h); off, every case is in TestRun::cases.
struct PassedFold {
  bool on = false;
  size_t count = 0;     // passed tests folded (not in cases)
  // Over every case of the run, kept or folded, in the report's order (so the sums are the ones
  // adding up the kept list would give): durations and the suites in order of first appearance.
  double duration_s = 0;
  std::vector<SuiteTally> suites;
  std::unordered_map<std::string, size_t> suite_index;
  size_t last_suite = 0; // the index of the suite of the case added last
  // The slowest folded cases, slowest first (ties: earlier first), each with how many kept
  // cases came before it and its place in the report.
  struct Slow {
    TestCase test;
    size_t kept_before = 0, ordinal = 0;
  };
  std::vector<Slow> slowest;
  size_t ordinal = 0; // cases seen
};

struct TestRun {
  std::string source;    // the report file this came from
  std::string format;    // "junit", "xunit", "nunit", "trx"
  std::string dialect;   // "surefire", "pytest", "jest", "ctest", ... when detected
  std::vector<TestCase> cases; // every test case, or (passed.on) all but the folded passed ones
  PassedFold passed;
};

} // namespace tollgate::model
