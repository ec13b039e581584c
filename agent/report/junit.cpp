#include "report/junit.h"

#include "report/test_report_fold.h"
#include "report/xml.h"
#include "util/text.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <optional>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

bool named(pugi::xml_node node, const char* name) {
  return std::strcmp(node.name(), name) == 0;
}

// What a test case inherits from the suites around it.
struct Scope {
  pugi::xml_node suite;  // nearest <testsuite>, or the root
  std::string_view name; // its name
  std::string_view file; // nearest suite file attribute (mocha-junit-reporter, PHPUnit)
  bool pytest = false;   // inside pytest's <testsuite name="pytest">
  // Failures and errors carried inside this suite: its test cases' failure marks, plus what the
  // headers of suites nested in it counted beyond their own cases (so nothing counts twice).
  size_t carried = 0;
};

Scope enter(pugi::xml_node suite, const Scope* outer) {
  Scope scope;
  scope.suite = suite;
  scope.name = attr(suite, "name");
  scope.file = attr(suite, "file");
  scope.pytest = scope.name == "pytest";
  if (outer) {
    if (scope.file.empty()) scope.file = outer->file;
    scope.pytest = scope.pytest || outer->pytest;
  }
  return scope;
}

// pytest's xunit1 file attribute is the path its classname was made from: file
// "tests/test_x.py" goes with classname "tests.test_x" or "tests.test_x.TestClass".
bool pytest_shaped(std::string_view file, std::string_view classname) {
  if (!util::ends_with(file, ".py")) return false;
  std::string module(file.substr(0, file.size() - 3));
  for (char& c : module) {
    if (c == '/' || c == '\\') c = '.';
  }
  if (!util::starts_with(classname, module)) return false;
  return classname.size() == module.size() || classname[module.size()] == '.';
}

// The line of captured output that best says what failed (doctest "file:line: ERROR: ...",
// Google Test "file:line: Failure"), else the first line.
std::string_view failure_line(std::string_view output) {
  static constexpr const char* k_markers[] = {
      "ERROR:", "FAILED", "Failure", "error:", "Error:", "Assertion", "panic:"};
  std::string_view rest = output;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    for (const char* marker : k_markers) {
      if (line.find(marker) != std::string_view::npos) return util::trim(line);
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return first_line(output);
}

// A suite-level <system-out> belongs to a test only when the suite holds that one test
// (Bazel's generated test.xml puts the whole test log there).
pugi::xml_node single_case_output(pugi::xml_node suite, const char* stream) {
  int cases = 0;
  for (pugi::xml_node child = suite.child("testcase"); child;
       child = child.next_sibling("testcase")) {
    if (++cases > 1) return {};
  }
  return suite.child(stream);
}

// An element's text as node_text gives it, without a copy when it is one text node (a trace, a
// captured output: the bulk of a report's bytes).
struct Text {
  bool single = false;
  std::string_view node; // the one text node's value, when single
  std::string owned;     // else node_text's
  std::string_view view() const { return single ? node : std::string_view(owned); }
};
Text text_of(pugi::xml_node node) {
  const pugi::xml_node child = node.first_child();
  if (child && !child.next_sibling() &&
      (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata))
    return {true, child.value(), {}};
  return {false, {}, node_text(node)};
}

// The attributes of a <testcase> read_junit_case uses, found in one pass over them (a lookup
// by name compares every attribute each time). Null: absent; the first of duplicates counts, as
// pugixml's attribute(name) finds it.
struct CaseAttributes {
  const char *classname = nullptr, *name = nullptr, *time = nullptr, *status = nullptr,
             *result = nullptr, *file = nullptr, *line = nullptr, *assertions = nullptr;
};
CaseAttributes case_attributes(pugi::xml_node node) {
  CaseAttributes a;
  // A case's attributes are read once for each of millions of cases: by the first byte, then one
  // comparison in line with the constant name (the loop unrolls; a chain of comparisons after a
  // strlen was 8% of a bare 1 GB file, strcmp calls 7%). Stops at the first difference, the
  // name's NUL at the latest.
  const auto is = [](const char* name, std::string_view want) {
    for (size_t i = 0; i < want.size(); ++i)
      if (name[i] != want[i]) return false;
    return name[want.size()] == '\0';
  };
  for (pugi::xml_attribute at = node.first_attribute(); at; at = at.next_attribute()) {
    const char* name = at.name();
    const char** slot = nullptr;
    switch (name[0]) {
    case 'c': slot = is(name, "classname") ? &a.classname : nullptr; break;
    case 'n': slot = is(name, "name") ? &a.name : nullptr; break;
    case 't': slot = is(name, "time") ? &a.time : nullptr; break;
    case 's': slot = is(name, "status") ? &a.status : nullptr; break;
    case 'r': slot = is(name, "result") ? &a.result : nullptr; break;
    case 'f': slot = is(name, "file") ? &a.file : nullptr; break;
    case 'l': slot = is(name, "line") ? &a.line : nullptr; break;
    case 'a': slot = is(name, "assertions") ? &a.assertions : nullptr; break;
    default: break;
    }
    if (slot && !*slot) *slot = at.value();
  }
  return a;
}
std::string_view value(const char* attribute) {
  return attribute ? std::string_view(attribute) : std::string_view();
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

} // namespace

TestCase read_junit_case(pugi::xml_node node, const JunitScope& scope, JunitHints& hints,
                         JunitWants* wants) {
  *wants = {};
  TestCase test;
  test.suite = scope.name;
  if (scope.name.starts_with("//")) hints.bazel = true;
  const CaseAttributes attributes = case_attributes(node);
  test.classname = value(attributes.classname);
  test.name = value(attributes.name);
  test.duration_s = parse_seconds(value(attributes.time));

  pugi::xml_node failure, error, skipped, flaky, rerun, out, err;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name == "failure") {
      if (!failure) failure = child;
    } else if (name == "error") {
      if (!error) error = child;
    } else if (name == "skipped") {
      skipped = child;
    } else if (name == "flakyFailure" || name == "flakyError") {
      if (!flaky) flaky = child;
      ++test.reruns;
    } else if (name == "rerunFailure" || name == "rerunError") {
      if (!rerun) rerun = child;
      ++test.reruns;
    } else if (name == "system-out") {
      out = child;
    } else if (name == "system-err") {
      err = child;
    }
  }
  if (flaky || rerun) hints.surefire_reruns = true;

  const std::string_view status = value(attributes.status);
  if (!status.empty()) {
    if (is_one_of(status, {"run", "fail", "notrun"})) hints.ctest_status = true;
    if (status == "run" && !value(attributes.result).empty()) hints.gtest_result = true;
    if (status == "run" && value(attributes.result).empty()) hints.catch2_status = true;
  }
  if (attributes.assertions) hints.phpunit = true;

  // A disabled test did not run, whatever else the report says about it.
  pugi::xml_node source;
  if (is_one_of(status, {"disabled", "skipped", "notrun", "ignored"})) {
    test.status = TestStatus::skipped;
    source = skipped;
  } else if (failure) {
    test.status = TestStatus::failed;
    source = failure;
  } else if (error) {
    test.status = TestStatus::errored;
    source = error;
  } else if (rerun) {
    test.status = TestStatus::failed;
    source = rerun;
  } else if (flaky) {
    test.status = TestStatus::flaky;
    source = flaky;
  } else if (skipped) {
    test.status = TestStatus::skipped;
    source = skipped;
  } else if (is_one_of(status, {"fail", "failed", "failure"})) {
    test.status = TestStatus::failed;
  } else if (is_one_of(status, {"error", "errored"})) {
    test.status = TestStatus::errored;
  }

  std::string_view file = value(attributes.file);
  int line = parse_count(value(attributes.line));
  const bool pytest = scope.pytest || pytest_shaped(file, test.classname);
  if (pytest) hints.pytest = true;
  // pytest's xunit1 line attribute is 0-based (the def line minus one).
  if (pytest && attributes.line) ++line;

  if (source) {
    Text body = text_of(source);
    if (util::trim(body.view()).empty()) {
      if (pugi::xml_node trace = source.child("stackTrace")) body = text_of(trace);
    }
    test.details = clean_text(body.view());
    const std::string_view message = attr(source, "message");
    test.message = clean_text(util::trim(message).empty() ? first_line(test.details) : message);
    test.failure_type = attr(source, "type");
    if (file.empty()) file = attr(source, "file");
    if (line == 0) line = parse_count(attr(source, "line"));
  }
  if (file.empty()) file = scope.file;
  test.file = file;
  test.line = line;

  if (test.status == TestStatus::failed || test.status == TestStatus::errored) {
    // Without details or output of its own, the suite's output may be the test's (when the
    // suite holds only this test): the caller decides, then calls finish_junit_case.
    wants->out = test.details.empty() && !out;
    wants->err = test.details.empty() && !err;
    if (out) test.system_out = keep_output(text_of(out).view());
    if (err) test.system_err = keep_output(text_of(err).view());
    if (!wants->out && !wants->err) finish_junit_case(test);
  }
  return test;
}

bool fold_junit_case(pugi::xml_node node, const JunitScope& scope, JunitHints& hints,
                     model::TestRun& run) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling())
    if (child.type() == pugi::node_element) return false;
  const CaseAttributes attributes = case_attributes(node);
  const std::string_view status = value(attributes.status);
  if (is_one_of(status, {"disabled", "skipped", "notrun", "ignored", "fail", "failed", "failure",
                         "error", "errored"}))
    return false;
  // The hints read_junit_case takes, in its order.
  if (scope.name.starts_with("//")) hints.bazel = true;
  if (!status.empty()) {
    if (is_one_of(status, {"run", "fail", "notrun"})) hints.ctest_status = true;
    if (status == "run" && !value(attributes.result).empty()) hints.gtest_result = true;
    if (status == "run" && value(attributes.result).empty()) hints.catch2_status = true;
  }
  if (attributes.assertions) hints.phpunit = true;
  if (scope.pytest || pytest_shaped(value(attributes.file), value(attributes.classname)))
    hints.pytest = true;
  if (fold_passed_case(run, scope.name, parse_seconds(value(attributes.time)))) {
    JunitWants wants;
    keep_slowest(run, read_junit_case(node, scope, hints, &wants));
  }
  return true;
}

void finish_junit_case(TestCase& test) {
  // ctest and Bazel leave the failure element empty: the test's output says what failed.
  if (test.details.empty() && !test.system_out.empty()) {
    test.details = test.system_out;
    if (test.message.empty()) test.message = failure_line(test.system_out);
  }
}

namespace {

TestCase read_case(pugi::xml_node node, const Scope& scope, JunitHints& hints) {
  JunitWants wants;
  TestCase test = read_junit_case(node, {scope.name, scope.file, scope.pytest}, hints, &wants);
  if (wants.out || wants.err) {
    if (wants.out)
      if (pugi::xml_node out = single_case_output(scope.suite, "system-out"))
        test.system_out = keep_output(node_text(out));
    if (wants.err)
      if (pugi::xml_node err = single_case_output(scope.suite, "system-err"))
        test.system_err = keep_output(node_text(err));
    finish_junit_case(test);
  }
  return test;
}

} // namespace

// The failure and error elements of a test case, reruns included: suite headers count no more
// than these for it (Catch2 and doctest write one per failed assertion and count assertions;
// pytest writes a failure and an error when the teardown fails too; Surefire 2.22 counts every
// failed run, flaky and rerun ones too). A failing status attribute alone is one.
size_t junit_failure_marks(pugi::xml_node node, const TestCase& test) {
  static constexpr const char* k_marks[] = {"failure",    "error",        "flakyFailure",
                                            "flakyError", "rerunFailure", "rerunError"};
  size_t marks = 0;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    for (const char* mark : k_marks)
      marks += named(child, mark) ? 1 : 0;
  }
  if (marks == 0 && (test.status == TestStatus::failed || test.status == TestStatus::errored)) {
    marks = 1;
  }
  return marks;
}

// Web Test Runner names the browser launcher, Go's junit writers the Go version, in a suite's
// (first) properties.
bool has_property(pugi::xml_node properties, const char* name) {
  return static_cast<bool>(properties.find_child_by_attribute("property", "name", name));
}

std::optional<TestCase> junit_header_entry(const JunitHeader& header, size_t* carried) {
  // Web Test Runner's junit reporter counts each failed test under both failures and errors
  // (errors = tests with an error; @web/test-runner-junit-reporter, testSuiteXMLAttributes).
  const size_t counted = header.web_test_runner ? std::max(header.failures, header.errors)
                                                : header.failures + header.errors;
  *carried = header.carried;
  if (counted <= header.carried) return std::nullopt;
  const size_t missing = counted - header.carried;
  TestCase entry;
  entry.suite = header.name;
  entry.name = fmt::format("{} failure{} or error{} outside any test case", missing,
                           missing == 1 ? "" : "s", missing == 1 ? "" : "s");
  entry.status = TestStatus::errored;
  entry.count = missing;
  entry.suite_header = true;
  entry.file = header.file;
  entry.message = fmt::format(
      "the <{}> header counts {} failure{} and {} error{}, its test cases carry {}: a test "
      "process that crashed or a setup or teardown error outside any test",
      util::truncate_chars(header.element, 40), header.failures, header.failures == 1 ? "" : "s",
      header.errors, header.errors == 1 ? "" : "s", header.carried);
  *carried = counted;
  return entry;
}

void finish_junit_header_entry(TestCase& entry) {
  entry.details = entry.system_err.empty() ? entry.system_out : entry.system_err;
}

namespace {

// Ends the innermost suite. Failures and errors its header counts beyond what its test cases
// and nested suites carry (a crashed test process, a suite-level setup or teardown error, a
// jest test file that did not run) become one errored entry standing for that many tests.
void close_suite(std::vector<Scope>& scopes, std::vector<TestCase>& cases) {
  Scope scope = scopes.back();
  scopes.pop_back();
  JunitHeader header;
  header.name = scope.name;
  header.file = scope.file;
  header.element = scope.suite.name();
  header.failures = static_cast<size_t>(parse_count(attr(scope.suite, "failures")));
  header.errors = static_cast<size_t>(parse_count(attr(scope.suite, "errors")));
  header.carried = scope.carried;
  header.web_test_runner = has_property(scope.suite.child("properties"), "browser.launcher");
  size_t carried = 0;
  if (auto entry = junit_header_entry(header, &carried)) {
    if (pugi::xml_node out = scope.suite.child("system-out")) {
      entry->system_out = keep_output(node_text(out));
    }
    if (pugi::xml_node err = scope.suite.child("system-err")) {
      entry->system_err = keep_output(node_text(err));
    }
    finish_junit_header_entry(*entry);
    cases.push_back(std::move(*entry));
  }
  if (!scopes.empty()) scopes.back().carried += carried;
}

} // namespace

std::string junit_dialect(pugi::xml_node root, const JunitHints& hints) {
  const std::string_view root_name = attr(root, "name");
  if (hints.surefire_reruns) return "surefire";
  if (hints.pytest) return "pytest";
  if (root_name == "jest tests") return "jest";
  if (root_name == "Mocha Tests") return "mocha";
  if (root_name == "nextest-run") return "nextest";
  if (hints.go) return "go";
  if (hints.case_under_root) return "node";
  if (hints.bazel) return "bazel";
  if (hints.gtest_result) return "gtest";
  if (named(root, "testsuite") && hints.ctest_status) return "ctest";
  if (hints.catch2_status) return "catch2";
  if (hints.phpunit) return "phpunit";
  if (std::string_view(attr(root, "xsi:noNamespaceSchemaLocation")).find("surefire") !=
      std::string_view::npos) {
    return "surefire";
  }
  return "";
}

void parse_junit(pugi::xml_node root, model::TestRun& run) {
  run.format = "junit";
  JunitHints hints;
  std::vector<Scope> scopes;
  scopes.push_back(enter(root, nullptr));
  if (has_property(root.child("properties"), "go.version")) hints.go = true;

  // Pre-order walk over suites without recursion: descend into <testsuite>, read <testcase>.
  pugi::xml_node node = root.first_child();
  while (node) {
    bool descended = false;
    if (node.type() == pugi::node_element) {
      if (named(node, "testsuite")) {
        scopes.push_back(enter(node, &scopes.back()));
        if (has_property(node.child("properties"), "go.version")) hints.go = true;
        if (pugi::xml_node child = node.first_child()) {
          node = child;
          descended = true;
        } else {
          close_suite(scopes, run.cases);
        }
      } else if (named(node, "testcase")) {
        if (node.parent() == root && named(root, "testsuites")) hints.case_under_root = true;
        run.cases.push_back(read_case(node, scopes.back(), hints));
        scopes.back().carried += junit_failure_marks(node, run.cases.back());
      }
    }
    if (descended) continue;
    while (node != root && !node.next_sibling()) {
      node = node.parent();
      if (node != root) close_suite(scopes, run.cases);
    }
    node = node == root ? pugi::xml_node() : node.next_sibling();
  }
  close_suite(scopes, run.cases);
  run.dialect = junit_dialect(root, hints);
}

} // namespace tollgate::report
