#include "report/junit.h"

#include "report/xml.h"
#include "util/text.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

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

// Hints gathered while walking that name the tool which wrote the report.
struct Hints {
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

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

TestCase read_case(pugi::xml_node node, const Scope& scope, Hints& hints) {
  TestCase test;
  test.suite = scope.name;
  if (scope.name.starts_with("//")) hints.bazel = true;
  test.classname = attr(node, "classname");
  test.name = attr(node, "name");
  test.duration_s = parse_seconds(attr(node, "time"));

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

  const std::string_view status = attr(node, "status");
  if (!status.empty()) {
    if (is_one_of(status, {"run", "fail", "notrun"})) hints.ctest_status = true;
    if (status == "run" && !attr(node, "result").empty()) hints.gtest_result = true;
    if (status == "run" && attr(node, "result").empty()) hints.catch2_status = true;
  }
  if (node.attribute("assertions")) hints.phpunit = true;

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

  std::string_view file = attr(node, "file");
  int line = parse_count(attr(node, "line"));
  const bool pytest = scope.pytest || pytest_shaped(file, test.classname);
  if (pytest) hints.pytest = true;
  // pytest's xunit1 line attribute is 0-based (the def line minus one).
  if (pytest && node.attribute("line")) ++line;

  if (source) {
    std::string body = node_text(source);
    if (util::trim(body).empty()) {
      if (pugi::xml_node trace = source.child("stackTrace")) body = node_text(trace);
    }
    test.details = clean_text(body);
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
    if (!out && test.details.empty()) out = single_case_output(scope.suite, "system-out");
    if (!err && test.details.empty()) err = single_case_output(scope.suite, "system-err");
    if (out) test.system_out = keep_output(node_text(out));
    if (err) test.system_err = keep_output(node_text(err));
    // ctest and Bazel leave the failure element empty: the test's output says what failed.
    if (test.details.empty() && !test.system_out.empty()) {
      test.details = test.system_out;
      if (test.message.empty()) test.message = failure_line(test.system_out);
    }
  }
  return test;
}

struct CaseKey {
  std::string_view suite, classname, name;
  bool operator==(const CaseKey&) const = default;
};

struct CaseKeyHash {
  size_t operator()(const CaseKey& key) const {
    const std::hash<std::string_view> hash;
    return hash(key.suite) ^ (hash(key.classname) * 31) ^ (hash(key.name) * 131);
  }
};

bool is_bad(TestStatus status) {
  return status == TestStatus::failed || status == TestStatus::errored;
}

// Reruns (pytest-rerunfailures, gotestsum --rerun-fails, web-test-runner retries) repeat a test
// case with the same suite, classname and name. A test that failed and also passed is flaky;
// one that failed every time is failed once, with its reruns counted.
void merge_reruns(std::vector<TestCase>& cases, size_t first) {
  // Only tests that failed somewhere can merge: index those (usually few) first, so a green
  // run of 100,000 tests costs one pass and no map.
  std::unordered_map<CaseKey, std::vector<size_t>, CaseKeyHash> groups;
  for (size_t i = first; i < cases.size(); ++i) {
    if (is_bad(cases[i].status)) {
      groups.try_emplace(CaseKey{cases[i].suite, cases[i].classname, cases[i].name});
    }
  }
  if (groups.empty()) return;
  for (size_t i = first; i < cases.size(); ++i) {
    const auto it = groups.find(CaseKey{cases[i].suite, cases[i].classname, cases[i].name});
    if (it != groups.end()) it->second.push_back(i);
  }

  std::vector<bool> removed(cases.size(), false);
  std::vector<std::pair<size_t, TestCase>> merged_cases;
  for (const auto& [key, group] : groups) {
    if (group.size() < 2) continue;
    // Every group holds the failed case it was made for.
    const size_t first_bad = *std::find_if(group.begin(), group.end(),
                                           [&](size_t i) { return is_bad(cases[i].status); });
    bool passed = false;
    double duration = 0;
    int reruns = static_cast<int>(group.size()) - 1;
    for (size_t i : group) {
      passed =
          passed || cases[i].status == TestStatus::passed || cases[i].status == TestStatus::flaky;
      duration += cases[i].duration_s;
      reruns += cases[i].reruns;
      removed[i] = true;
    }
    TestCase merged = cases[first_bad]; // copied: the keys still point into cases
    if (passed) merged.status = TestStatus::flaky;
    merged.duration_s = duration;
    merged.reruns = reruns;
    merged_cases.emplace_back(group.front(), std::move(merged));
  }
  groups.clear();
  for (auto& [lead, merged] : merged_cases) {
    cases[lead] = std::move(merged);
    removed[lead] = false;
  }
  size_t kept = first;
  for (size_t i = first; i < cases.size(); ++i) {
    if (removed[i]) continue;
    if (kept != i) cases[kept] = std::move(cases[i]);
    ++kept;
  }
  cases.resize(kept);
}

bool has_go_version(pugi::xml_node suite) {
  return static_cast<bool>(
      suite.child("properties").find_child_by_attribute("property", "name", "go.version"));
}

std::string dialect(pugi::xml_node root, const Hints& hints) {
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

} // namespace

void parse_junit(pugi::xml_node root, model::TestRun& run) {
  run.format = "junit";
  const size_t first = run.cases.size();
  Hints hints;
  std::vector<Scope> scopes;
  scopes.push_back(enter(root, nullptr));
  if (has_go_version(root)) hints.go = true;

  // Pre-order walk over suites without recursion: descend into <testsuite>, read <testcase>.
  pugi::xml_node node = root.first_child();
  while (node) {
    bool descended = false;
    if (node.type() == pugi::node_element) {
      if (named(node, "testsuite")) {
        scopes.push_back(enter(node, &scopes.back()));
        if (has_go_version(node)) hints.go = true;
        if (pugi::xml_node child = node.first_child()) {
          node = child;
          descended = true;
        } else {
          scopes.pop_back();
        }
      } else if (named(node, "testcase")) {
        if (node.parent() == root && named(root, "testsuites")) hints.case_under_root = true;
        run.cases.push_back(read_case(node, scopes.back(), hints));
      }
    }
    if (descended) continue;
    while (node != root && !node.next_sibling()) {
      node = node.parent();
      if (node != root) scopes.pop_back();
    }
    node = node == root ? pugi::xml_node() : node.next_sibling();
  }

  merge_reruns(run.cases, first);
  run.dialect = dialect(root, hints);
}

} // namespace tollgate::report
