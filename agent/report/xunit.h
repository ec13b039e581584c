#pragma once
// xUnit.net v2 XML (`dotnet test --logger xunit`, xunit.console -xml), and v1's <class> nesting.
#include "model/test_result.h"

#include <string>
#include <string_view>

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends the tests under root (<assemblies> or <assembly>) to run.cases; assembly-level
// errors (fixture or collection cleanup failures) become errored cases.
void parse_xunit(pugi::xml_node root, model::TestRun& run);

// The same fed by stream_xml with one top-level element's events (report/xml_stream.h).
class XunitStream {
public:
  explicit XunitStream(model::TestRun& run) : m_run(run) {}
  static bool is_record(std::string_view name, size_t depth, std::string_view parent);
  void open(pugi::xml_node element, size_t depth);
  void close(size_t depth);
  void record(pugi::xml_node element, size_t depth);

private:
  model::TestRun& m_run;
  size_t m_assembly_depth = SIZE_MAX; // of the open <assembly> read, if any
  std::string m_suite;
  std::string m_group; // the open child of that assembly: class, collection or errors
};

} // namespace tollgate::report
