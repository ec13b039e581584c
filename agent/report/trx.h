#pragma once
// Visual Studio / MSTest TRX (`dotnet test --logger trx`, vstest.console /logger:trx).
#include "model/test_result.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends TestRun/Results' UnitTestResult elements to run.cases, joined to
// TestDefinitions/UnitTest by testId for the class name. Data-driven results contribute their
// InnerResults rather than the aggregate.
void parse_trx(pugi::xml_node root, model::TestRun& run);

// The same fed by stream_xml with one top-level element's events (report/xml_stream.h): each
// result under the first <Results> is a record; the first <TestDefinitions> (written after the
// results) names the classes at the end.
class TrxStream {
public:
  explicit TrxStream(model::TestRun& run) : m_run(run) {}
  static bool is_record(std::string_view name, size_t depth, std::string_view parent);
  void open(pugi::xml_node element, size_t depth);
  void close(pugi::xml_node element, size_t depth);
  void record(pugi::xml_node element, size_t depth);

private:
  enum class Kind { none, results, definitions };
  model::TestRun& m_run;
  std::vector<Kind> m_kinds;
  bool m_results_seen = false, m_definitions_seen = false;
  size_t m_first_case = 0;
  std::vector<std::string> m_ids; // testId of each case read, from m_first_case
  std::unordered_map<std::string, std::pair<std::string, std::string>> m_definitions;
};

// "00:00:01.2345678" or "1.02:03:04.5" (days) → seconds; 0 when unparsable.
double parse_trx_duration(std::string_view text);

} // namespace tollgate::report
