#pragma once
// NUnit 3 result XML (nunit3-console --result, NUnit3TestAdapter's NUnit logger).
#include "model/test_result.h"

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends the <test-case> elements under root (<test-run>, suites nested to any depth) to
// run.cases.
void parse_nunit(pugi::xml_node root, model::TestRun& run);

} // namespace tollgate::report
