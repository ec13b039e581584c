#pragma once
// JUnit XML and its dialects: Maven Surefire/Gradle (flaky and rerun elements), pytest (xunit1
// and xunit2), jest-junit, mocha-junit-reporter, node --test, go-junit-report/gotestsum, ctest
// --output-junit, PHPUnit, Catch2/doctest/Google Test, cargo-nextest and Bazel's test.xml.
// Read two ways with one set of rules: from a loaded document (parse_junit, the whole-file
// path) and element by element (JunitStream, report/junit_stream.cpp).
#include "model/test_result.h"
#include "report/xml_stream.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::report {

// Appends the test cases under root (<testsuites> or <testsuite>, suites nested to any depth)
// to run.cases, and names run.dialect when it can tell. A test is flaky only where the report
// proves a rerun (Surefire's flakyFailure/flakyError); same-named test cases stay separate
// tests. Failures and errors a suite header counts beyond its test cases become one errored
// entry of that suite (TestCase::suite_header). Never fails: missing attributes leave defaults.
void parse_junit(pugi::xml_node root, model::TestRun& run);

// The parts both readers share.
struct JunitHints { // what names the tool that wrote the report
  bool pytest = false;
  bool surefire_reruns = false;
  bool case_under_root = false;
  bool go = false;
  bool ctest_status = false; // status="run|fail|notrun" as ctest writes it
  bool gtest_result = false; // status="run" with result="completed" (Google Test)
  bool catch2_status = false;
  bool phpunit = false;
  bool bazel = false; // suites named after Bazel targets ("//pkg:target")
};
struct JunitScope { // what a test case inherits from its suites
  std::string_view name, file;
  bool pytest = false;
};
struct JunitWants { // a failed test with no details that may take its suite's output
  bool out = false, err = false;
};
struct JunitHeader { // a suite's header counts and what it carries
  std::string_view name, file, element;
  size_t failures = 0, errors = 0, carried = 0;
  bool web_test_runner = false;
};
// A test case; when *wants says so, the caller gives it the suite's output (only when the suite
// holds that one test case) and calls finish_junit_case.
model::TestCase read_junit_case(pugi::xml_node node, const JunitScope& scope, JunitHints& hints,
                                JunitWants* wants);
void finish_junit_case(model::TestCase& test);
// A plainly passed test case (no child element, no status that says otherwise) of a run that
// folds: its hints are taken as read_junit_case takes them and it is folded
// (report/test_report_fold.h), made whole only when it is among the slowest so far. False, with
// nothing done, for any other test case.
bool fold_junit_case(pugi::xml_node node, const JunitScope& scope, JunitHints& hints,
                     model::TestRun& run);
size_t junit_failure_marks(pugi::xml_node node, const model::TestCase& test);
bool has_property(pugi::xml_node properties, const char* name);
// The entry for failures a header counts beyond its cases (then the caller adds the suite's
// output and calls finish_junit_header_entry); *carried is what the suite carries upward.
std::optional<model::TestCase> junit_header_entry(const JunitHeader& header, size_t* carried);
void finish_junit_header_entry(model::TestCase& entry);
std::string junit_dialect(pugi::xml_node root, const JunitHints& hints);

// The same as parse_junit, fed by stream_xml (report/test_report_stream.cpp) with the events of
// one top-level element's subtree (depth 0: that element). The result equals parse_junit's; with
// fold_passed, its passed test cases are folded (model::PassedFold) instead of kept.
class JunitStream {
public:
  explicit JunitStream(model::TestRun& run, bool fold_passed = false)
      : m_run(run), m_fold_passed(fold_passed) {}
  static bool is_record(std::string_view name, size_t depth, std::string_view parent);
  void open(pugi::xml_node element, size_t depth);
  void close(pugi::xml_node element, size_t depth);
  void record(pugi::xml_node element, size_t depth);

private:
  struct Suite {
    bool walked = false; // a suite scope: the top element, or a <testsuite> in a walked one
    std::string name, file, element;
    bool pytest = false;
    size_t carried = 0, cases = 0;
    bool properties_seen = false, web_test_runner = false;
    std::optional<std::string> out, err; // the text of its first <system-out>, <system-err>
    std::vector<std::pair<size_t, JunitWants>> waiting; // cases that may take that output
  };
  model::TestRun& m_run;
  bool m_fold_passed = false;
  JunitHints m_hints;
  bool m_top_is_testsuites = false;
  std::vector<Suite> m_suites; // every open element from the top-level one down
};

} // namespace tollgate::report
