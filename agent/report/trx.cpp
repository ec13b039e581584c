#include "report/trx.h"

#include "report/xml.h"
#include "util/text.h"

#include <unordered_map>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

// Outcomes as vstest's TestOutcome enum names them.
TestStatus status_of(std::string_view outcome) {
  if (outcome == "Failed") return TestStatus::failed;
  if (outcome == "Error" || outcome == "Timeout" || outcome == "Aborted" ||
      outcome == "Disconnected" || outcome == "NotRunnable") {
    return TestStatus::errored;
  }
  if (outcome == "NotExecuted" || outcome == "Inconclusive" || outcome == "Pending" ||
      outcome == "InProgress") {
    return TestStatus::skipped;
  }
  return TestStatus::passed; // Passed, PassedButRunAborted, Completed, Warning
}

std::string_view base_name(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// What a TestDefinitions/UnitTest says about the test behind a testId.
struct Definition {
  std::string_view classname; // TestMethod className, without ", Assembly, Version=..."
  std::string_view storage;   // the test assembly
};

// One TestDefinitions entry: its id and what it says.
std::pair<std::string_view, Definition> read_definition(pugi::xml_node test) {
  const pugi::xml_node method = child_local(test, "TestMethod");
  std::string_view classname = attr(method, "className");
  classname = util::trim(classname.substr(0, classname.find(',')));
  return {attr(test, "id"), Definition{classname, base_name(attr(test, "storage"))}};
}

std::unordered_map<std::string_view, Definition> read_definitions(pugi::xml_node root) {
  std::unordered_map<std::string_view, Definition> definitions;
  const pugi::xml_node list = child_local(root, "TestDefinitions");
  for (pugi::xml_node test = list.first_child(); test; test = test.next_sibling()) {
    if (test.type() != pugi::node_element) continue;
    definitions.emplace(read_definition(test));
  }
  return definitions;
}

TestCase read_result(pugi::xml_node result,
                     const std::unordered_map<std::string_view, Definition>& definitions) {
  TestCase test;
  test.name = attr(result, "testName");
  if (const auto it = definitions.find(attr(result, "testId")); it != definitions.end()) {
    test.classname = it->second.classname;
    test.suite = it->second.storage;
  }
  test.duration_s = parse_trx_duration(attr(result, "duration"));
  test.status = status_of(attr(result, "outcome"));
  const pugi::xml_node output = child_local(result, "Output");
  const pugi::xml_node error = child_local(output, "ErrorInfo");
  if (test.status == TestStatus::failed || test.status == TestStatus::errored) {
    test.message = clean_text(node_text(child_local(error, "Message")));
    test.details = clean_text(node_text(child_local(error, "StackTrace")));
    if (test.message.empty()) test.message = first_line(test.details);
    test.system_out = keep_output(node_text(child_local(output, "StdOut")));
    test.system_err = keep_output(node_text(child_local(output, "StdErr")));
  } else if (test.status == TestStatus::skipped) {
    test.message = clean_text(node_text(child_local(error, "Message")));
  }
  return test;
}

// Results nest through InnerResults (data-driven and ordered tests): the leaves under a result,
// in document order, walked with an explicit stack.
template <class F>
void for_each_leaf(pugi::xml_node top, F&& f) {
  std::vector<pugi::xml_node> stack{top};
  while (!stack.empty()) {
    const pugi::xml_node result = stack.back();
    stack.pop_back();
    const pugi::xml_node inner = child_local(result, "InnerResults");
    bool has_inner = false;
    for (pugi::xml_node child = inner.last_child(); child; child = child.previous_sibling()) {
      if (child.type() != pugi::node_element) continue;
      stack.push_back(child);
      has_inner = true;
    }
    if (!has_inner) f(result);
  }
}

} // namespace

double parse_trx_duration(std::string_view text) {
  text = util::trim(text);
  double days = 0;
  const size_t first_colon = text.find(':');
  if (first_colon == std::string_view::npos) return 0;
  std::string_view hours = text.substr(0, first_colon);
  if (const size_t dot = hours.find('.'); dot != std::string_view::npos) {
    days = parse_count(hours.substr(0, dot));
    hours = hours.substr(dot + 1);
  }
  const size_t second_colon = text.find(':', first_colon + 1);
  if (second_colon == std::string_view::npos) return 0;
  const double h = parse_count(hours);
  const double m = parse_count(text.substr(first_colon + 1, second_colon - first_colon - 1));
  const double s = parse_seconds(text.substr(second_colon + 1));
  return ((days * 24 + h) * 60 + m) * 60 + s;
}

void parse_trx(pugi::xml_node root, model::TestRun& run) {
  run.format = "trx";
  const auto definitions = read_definitions(root);
  const pugi::xml_node results = child_local(root, "Results");

  for (pugi::xml_node result = results.first_child(); result; result = result.next_sibling()) {
    if (result.type() == pugi::node_element)
      for_each_leaf(result, [&](pugi::xml_node leaf) {
        run.cases.push_back(read_result(leaf, definitions));
      });
  }
}

void TrxStream::open(pugi::xml_node element, size_t depth) {
  if (depth == 0) {
    m_run.format = "trx";
    m_kinds.clear();
    m_results_seen = m_definitions_seen = false;
    m_first_case = m_run.cases.size();
    m_ids.clear();
    m_definitions.clear();
  }
  Kind kind = Kind::none;
  if (depth == 1 && local_name(element) == "Results" && !m_results_seen) {
    m_results_seen = true;
    kind = Kind::results;
  } else if (depth == 1 && local_name(element) == "TestDefinitions" && !m_definitions_seen) {
    m_definitions_seen = true;
    kind = Kind::definitions;
  }
  m_kinds.resize(depth);
  m_kinds.push_back(kind);
}

void TrxStream::close(pugi::xml_node, size_t depth) {
  m_kinds.resize(depth);
  if (depth != 0) return;
  // Definitions come after the results in vstest's files: the class names are filled in now.
  for (size_t i = m_first_case; i < m_run.cases.size(); ++i) {
    const auto it = m_definitions.find(m_ids[i - m_first_case]);
    if (it == m_definitions.end()) continue;
    m_run.cases[i].classname = it->second.first;
    m_run.cases[i].suite = it->second.second;
  }
}

void TrxStream::record(pugi::xml_node element, size_t depth) {
  if (depth != 2 || m_kinds.size() < 2) return;
  if (m_kinds[1] == Kind::definitions) {
    const auto [id, definition] = read_definition(element);
    m_definitions.try_emplace(std::string(id), std::string(definition.classname),
                              std::string(definition.storage));
  } else if (m_kinds[1] == Kind::results) {
    static const std::unordered_map<std::string_view, Definition> k_none;
    for_each_leaf(element, [&](pugi::xml_node leaf) {
      m_run.cases.push_back(read_result(leaf, k_none));
      m_ids.emplace_back(attr(leaf, "testId"));
    });
  }
}

bool TrxStream::is_record(std::string_view, size_t depth, std::string_view parent) {
  return depth == 2 && (local_name(parent) == "Results" || local_name(parent) == "TestDefinitions");
}

} // namespace tollgate::report
