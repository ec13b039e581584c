#pragma once
// NUnit 3 result XML (nunit3-console --result, NUnit3TestAdapter's NUnit logger).
#include "model/test_result.h"

#include <string>
#include <string_view>
#include <vector>

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends the <test-case> elements under root (<test-run>, suites nested to any depth) to
// run.cases.
void parse_nunit(pugi::xml_node root, model::TestRun& run);

// The same fed by stream_xml with one top-level element's events (report/xml_stream.h).
class NunitStream {
public:
  explicit NunitStream(model::TestRun& run) : m_run(run) {}
  static bool is_record(std::string_view name, size_t depth, std::string_view parent);
  void open(pugi::xml_node element, size_t depth);
  void close();
  void record(pugi::xml_node element);

private:
  struct Suite {
    bool walked = false; // the root, or a <test-suite> in a walked element
    std::string assembly, classname;
  };
  model::TestRun& m_run;
  std::vector<Suite> m_suites;
};

} // namespace tollgate::report
