#include "report/nunit.h"

#include "report/xml.h"

#include <cstring>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

bool named(pugi::xml_node node, const char* name) {
  return std::strcmp(node.name(), name) == 0;
}

// What a test case inherits from the suites around it.
struct Scope {
  std::string_view assembly;  // name of the enclosing Assembly suite
  std::string_view classname; // nearest suite's classname (fixtures, theories)
};

Scope enter(pugi::xml_node suite, const Scope& outer) {
  Scope scope = outer;
  if (std::string_view(attr(suite, "type")) == "Assembly") scope.assembly = attr(suite, "name");
  if (const std::string_view classname = attr(suite, "classname"); !classname.empty()) {
    scope.classname = classname;
  }
  return scope;
}

// result="Failed" with label Error/Invalid/Cancelled means the test could not run properly
// (an exception outside an assertion, a bad signature, a cancelled run).
TestStatus status_of(std::string_view result, std::string_view label) {
  if (result == "Failed") {
    if (label == "Error" || label == "Invalid" || label == "Cancelled") return TestStatus::errored;
    return TestStatus::failed;
  }
  if (result == "Skipped" || result == "Inconclusive") return TestStatus::skipped;
  return TestStatus::passed; // Passed, and Warning (passed with a warning)
}

// "NS.Fixture.Method(1,2)" with method "Method" → "NS.Fixture".
std::string_view class_of(std::string_view fullname, std::string_view method) {
  const size_t paren = fullname.find('(');
  std::string_view head = fullname.substr(0, paren);
  if (!method.empty() && head.size() > method.size() + 1 &&
      head.substr(head.size() - method.size()) == method) {
    return head.substr(0, head.size() - method.size() - 1);
  }
  const size_t dot = head.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : head.substr(0, dot);
}

TestCase read_case(pugi::xml_node node, const Scope& scope) {
  TestCase test;
  test.suite = scope.assembly;
  test.name = attr(node, "name");
  test.classname = attr(node, "classname");
  if (test.classname.empty()) test.classname = scope.classname;
  if (test.classname.empty()) {
    test.classname = class_of(attr(node, "fullname"), attr(node, "methodname"));
  }
  // NUnit 3 writes duration; early NUnit 3 results (and NUnit 2) wrote time.
  test.duration_s =
      parse_seconds(node.attribute("duration") ? attr(node, "duration") : attr(node, "time"));
  const std::string_view label = attr(node, "label");
  test.status = status_of(attr(node, "result"), label);
  if (test.status == TestStatus::failed || test.status == TestStatus::errored) {
    const pugi::xml_node failure = node.child("failure");
    test.message = clean_text(node_text(failure.child("message")));
    test.details = clean_text(node_text(failure.child("stack-trace")));
    if (test.message.empty()) test.message = first_line(test.details);
    if (test.message.empty() && label != "Error") test.message = label; // "Test exceeded Timeout"
    test.system_out = keep_output(node_text(node.child("output")));
  } else if (test.status == TestStatus::skipped) {
    test.message = clean_text(node_text(node.child("reason").child("message")));
  }
  return test;
}

} // namespace

void parse_nunit(pugi::xml_node root, model::TestRun& run) {
  run.format = "nunit";
  std::vector<Scope> scopes{Scope{}};
  // Pre-order walk over <test-suite> elements without recursion.
  pugi::xml_node node = root.first_child();
  while (node) {
    bool descended = false;
    if (named(node, "test-suite")) {
      scopes.push_back(enter(node, scopes.back()));
      if (pugi::xml_node child = node.first_child()) {
        node = child;
        descended = true;
      } else {
        scopes.pop_back();
      }
    } else if (named(node, "test-case")) {
      run.cases.push_back(read_case(node, scopes.back()));
    }
    if (descended) continue;
    while (node != root && !node.next_sibling()) {
      node = node.parent();
      if (node != root) scopes.pop_back();
    }
    node = node == root ? pugi::xml_node() : node.next_sibling();
  }
}

} // namespace tollgate::report

namespace tollgate::report {

bool NunitStream::is_record(std::string_view name, size_t depth, std::string_view parent) {
  return name == "test-case" && (depth == 1 || parent == "test-suite");
}

void NunitStream::open(pugi::xml_node element, size_t depth) {
  Suite suite;
  if (depth == 0) {
    m_run.format = "nunit";
    m_suites.clear();
    suite.walked = true;
  } else if (!m_suites.empty() && m_suites.back().walked && named(element, "test-suite")) {
    const Suite& outer = m_suites.back();
    const Scope scope = enter(element, {outer.assembly, outer.classname});
    suite = {true, std::string(scope.assembly), std::string(scope.classname)};
  }
  m_suites.push_back(std::move(suite));
}

void NunitStream::close() {
  if (!m_suites.empty()) m_suites.pop_back();
}

void NunitStream::record(pugi::xml_node element) {
  if (m_suites.empty() || !m_suites.back().walked) return;
  const Suite& suite = m_suites.back();
  m_run.cases.push_back(read_case(element, {suite.assembly, suite.classname}));
}

} // namespace tollgate::report
