#include "report/junit.h"
#include "report/test_report_fold.h"
#include "report/xml.h"

#include <cstring>

namespace tollgate::report {

bool JunitStream::is_record(std::string_view name, size_t depth, std::string_view parent) {
  if (depth == 0 || (depth > 1 && parent != "testsuite")) return false;
  return name == "testcase" || name == "properties" || name == "system-out" || name == "system-err";
}

void JunitStream::open(pugi::xml_node element, size_t depth) {
  Suite suite;
  const Suite* outer = m_suites.empty() ? nullptr : &m_suites.back();
  if (depth == 0) {
    m_run.format = "junit";
    m_run.passed.on = m_fold_passed;
    m_hints = {};
    m_top_is_testsuites = std::strcmp(element.name(), "testsuites") == 0;
    m_suites.clear();
    outer = nullptr;
    suite.walked = true;
  } else {
    suite.walked = outer && outer->walked && std::strcmp(element.name(), "testsuite") == 0;
  }
  if (suite.walked) {
    suite.name = attr(element, "name");
    suite.file = attr(element, "file");
    suite.element = element.name();
    suite.pytest = suite.name == "pytest";
    if (outer) {
      if (suite.file.empty()) suite.file = outer->file;
      suite.pytest = suite.pytest || outer->pytest;
    }
  }
  m_suites.push_back(std::move(suite));
}

void JunitStream::record(pugi::xml_node element, size_t depth) {
  if (m_suites.empty() || !m_suites.back().walked) return;
  Suite& suite = m_suites.back();
  const std::string_view name = element.name();
  if (name == "testcase") {
    if (depth == 1 && m_top_is_testsuites) m_hints.case_under_root = true;
    if (m_run.passed.on &&
        fold_junit_case(element, {suite.name, suite.file, suite.pytest}, m_hints, m_run)) {
      ++suite.cases;
      return;
    }
    JunitWants wants;
    model::TestCase test =
        read_junit_case(element, {suite.name, suite.file, suite.pytest}, m_hints, &wants);
    ++suite.cases;
    suite.carried += junit_failure_marks(element, test);
    // Only a failed or errored test waits, and those are kept whole.
    if (wants.out || wants.err) suite.waiting.emplace_back(m_run.cases.size(), wants);
    add_test_case(m_run, std::move(test));
  } else if (name == "properties") {
    if (suite.properties_seen) return;
    suite.properties_seen = true;
    suite.web_test_runner = has_property(element, "browser.launcher");
    if (has_property(element, "go.version")) m_hints.go = true;
  } else if (name == "system-out") {
    if (!suite.out) suite.out = node_text(element);
  } else if (name == "system-err") {
    if (!suite.err) suite.err = node_text(element);
  }
}

void JunitStream::close(pugi::xml_node element, size_t depth) {
  if (m_suites.empty()) return;
  Suite suite = std::move(m_suites.back());
  m_suites.pop_back();
  if (!suite.walked) return;
  // A failed test's suite output is its own only when the suite holds that one test case.
  for (const auto& [index, wants] : suite.waiting) {
    model::TestCase& test = m_run.cases[index];
    if (suite.cases == 1) {
      if (wants.out && suite.out) test.system_out = keep_output(*suite.out);
      if (wants.err && suite.err) test.system_err = keep_output(*suite.err);
    }
    finish_junit_case(test);
  }
  JunitHeader header;
  header.name = suite.name;
  header.file = suite.file;
  header.element = suite.element;
  header.failures = static_cast<size_t>(parse_count(attr(element, "failures")));
  header.errors = static_cast<size_t>(parse_count(attr(element, "errors")));
  header.carried = suite.carried;
  header.web_test_runner = suite.web_test_runner;
  size_t carried = 0;
  if (auto entry = junit_header_entry(header, &carried)) {
    if (suite.out) entry->system_out = keep_output(*suite.out);
    if (suite.err) entry->system_err = keep_output(*suite.err);
    finish_junit_header_entry(*entry);
    add_test_case(m_run, std::move(*entry));
  }
  if (!m_suites.empty()) m_suites.back().carried += carried;
  if (depth == 0) m_run.dialect = junit_dialect(element, m_hints);
}

} // namespace tollgate::report
