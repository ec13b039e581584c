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

std::unordered_map<std::string_view, Definition> read_definitions(pugi::xml_node root) {
  std::unordered_map<std::string_view, Definition> definitions;
  const pugi::xml_node list = child_local(root, "TestDefinitions");
  for (pugi::xml_node test = list.first_child(); test; test = test.next_sibling()) {
    if (test.type() != pugi::node_element) continue;
    const pugi::xml_node method = child_local(test, "TestMethod");
    std::string_view classname = attr(method, "className");
    classname = util::trim(classname.substr(0, classname.find(',')));
    definitions.emplace(attr(test, "id"), Definition{classname, base_name(attr(test, "storage"))});
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

  // Results nest through InnerResults (data-driven and ordered tests); walk them with an
  // explicit stack, leaves only, in document order.
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node result = results.last_child(); result; result = result.previous_sibling()) {
    if (result.type() == pugi::node_element) stack.push_back(result);
  }
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
    if (!has_inner) run.cases.push_back(read_result(result, definitions));
  }
}

} // namespace tollgate::report
