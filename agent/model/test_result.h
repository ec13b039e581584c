#pragma once
// Test results as every format reduces to them.
#include <string>
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

struct TestRun {
  std::string source;    // the report file this came from
  std::string format;    // "junit", "xunit", "nunit", "trx"
  std::string dialect;   // "surefire", "pytest", "jest", "ctest", ... when detected
  std::vector<TestCase> cases;
};

} // namespace tollgate::model
