#include "report/xunit.h"

#include "report/xml.h"

#include <cstring>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

// "C:\build\Tests.dll" or "/src/bin/Tests.dll" → "Tests.dll".
std::string_view base_name(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

TestStatus status_of(std::string_view result) {
  if (result == "Fail") return TestStatus::failed;
  if (result == "Skip" || result == "NotRun") return TestStatus::skipped;
  return TestStatus::passed;
}

// source-file / source-line come as attributes (xunit v2 with source information) or traits.
void read_source(pugi::xml_node test, TestCase& out) {
  out.file = attr(test, "source-file");
  out.line = parse_count(attr(test, "source-line"));
  for (pugi::xml_node trait : test.child("traits").children("trait")) {
    const std::string_view name = attr(trait, "name");
    if (name == "source-file" && out.file.empty()) out.file = attr(trait, "value");
    if (name == "source-line" && out.line == 0) out.line = parse_count(attr(trait, "value"));
  }
}

void read_failure(pugi::xml_node failure, TestCase& out) {
  out.message = clean_text(node_text(failure.child("message")));
  out.details = clean_text(node_text(failure.child("stack-trace")));
  out.failure_type = attr(failure, "exception-type");
  if (out.message.empty()) out.message = first_line(out.details);
}

TestCase read_test(pugi::xml_node test, std::string_view suite) {
  TestCase out;
  out.suite = suite;
  out.classname = attr(test, "type");
  out.name = attr(test, "name");
  if (out.name.empty()) out.name = attr(test, "method");
  out.duration_s = parse_seconds(attr(test, "time"));
  out.status = status_of(attr(test, "result"));
  read_source(test, out);
  if (out.status == TestStatus::failed) {
    read_failure(test.child("failure"), out);
    out.system_out = keep_output(node_text(test.child("output")));
  } else if (out.status == TestStatus::skipped) {
    out.message = clean_text(node_text(test.child("reason")));
  }
  return out;
}

// <errors><error type="assembly-cleanup" name="..."><failure>...</failure></error></errors>
TestCase read_error(pugi::xml_node error, std::string_view suite) {
  TestCase out;
  out.suite = suite;
  out.name = attr(error, "name");
  if (out.name.empty()) out.name = attr(error, "type");
  out.status = TestStatus::errored;
  read_failure(error.child("failure"), out);
  return out;
}

void read_assembly(pugi::xml_node assembly, model::TestRun& run) {
  const std::string_view suite = base_name(attr(assembly, "name"));
  for (pugi::xml_node group = assembly.first_child(); group; group = group.next_sibling()) {
    const bool v1_class = std::strcmp(group.name(), "class") == 0;
    if (v1_class) run.dialect = "xunit1";
    if (v1_class || std::strcmp(group.name(), "collection") == 0) {
      for (pugi::xml_node test : group.children("test"))
        run.cases.push_back(read_test(test, suite));
    } else if (std::strcmp(group.name(), "errors") == 0) {
      for (pugi::xml_node error : group.children("error")) {
        run.cases.push_back(read_error(error, suite));
      }
    }
  }
}

} // namespace

void parse_xunit(pugi::xml_node root, model::TestRun& run) {
  run.format = "xunit";
  if (std::strcmp(root.name(), "assembly") == 0) {
    read_assembly(root, run);
    return;
  }
  for (pugi::xml_node assembly : root.children("assembly"))
    read_assembly(assembly, run);
}

} // namespace tollgate::report

namespace tollgate::report {

bool XunitStream::is_record(std::string_view name, size_t depth, std::string_view parent) {
  return depth >= 2 && ((name == "test" && (parent == "class" || parent == "collection")) ||
                        (name == "error" && parent == "errors"));
}

void XunitStream::open(pugi::xml_node element, size_t depth) {
  const bool assembly = std::strcmp(element.name(), "assembly") == 0;
  if (depth == 0) {
    m_run.format = "xunit";
    m_assembly_depth = SIZE_MAX;
    if (assembly) m_assembly_depth = 0;
  } else if (depth == 1 && m_assembly_depth == SIZE_MAX && assembly) {
    m_assembly_depth = 1;
  }
  if (depth == m_assembly_depth) {
    m_suite = base_name(attr(element, "name"));
  } else if (m_assembly_depth != SIZE_MAX && depth == m_assembly_depth + 1) {
    m_group = element.name();
    if (m_group == "class") m_run.dialect = "xunit1";
  }
}

void XunitStream::close(size_t depth) {
  if (depth == m_assembly_depth && depth == 1) m_assembly_depth = SIZE_MAX;
  if (m_assembly_depth != SIZE_MAX && depth == m_assembly_depth + 1) m_group.clear();
}

void XunitStream::record(pugi::xml_node element, size_t depth) {
  if (m_assembly_depth == SIZE_MAX) return;
  if (depth == m_assembly_depth + 1) {
    // A self-contained group element recorded whole never happens: groups are not records.
    return;
  }
  if (depth != m_assembly_depth + 2) return;
  const std::string_view name = element.name();
  if (name == "test" && (m_group == "class" || m_group == "collection"))
    m_run.cases.push_back(read_test(element, m_suite));
  else if (name == "error" && m_group == "errors")
    m_run.cases.push_back(read_error(element, m_suite));
}

} // namespace tollgate::report
