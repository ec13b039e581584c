#pragma once
// Visual Studio / MSTest TRX (`dotnet test --logger trx`, vstest.console /logger:trx).
#include "model/test_result.h"

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends TestRun/Results' UnitTestResult elements to run.cases, joined to
// TestDefinitions/UnitTest by testId for the class name. Data-driven results contribute their
// InnerResults rather than the aggregate.
void parse_trx(pugi::xml_node root, model::TestRun& run);

// "00:00:01.2345678" or "1.02:03:04.5" (days) → seconds; 0 when unparsable.
double parse_trx_duration(std::string_view text);

} // namespace tollgate::report
