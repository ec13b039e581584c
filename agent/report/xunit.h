#pragma once
// xUnit.net v2 XML (`dotnet test --logger xunit`, xunit.console -xml), and v1's <class> nesting.
#include "model/test_result.h"

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends the tests under root (<assemblies> or <assembly>) to run.cases; assembly-level
// errors (fixture or collection cleanup failures) become errored cases.
void parse_xunit(pugi::xml_node root, model::TestRun& run);

} // namespace tollgate::report
