#pragma once
// Test result files → the test model. Pure: bytes in, model or ParseError out; never throws.
#include "model/test_result.h"
#include "util/error.h"
#include "util/expected.h"

#include <string_view>

namespace tollgate::report {

// Parses a test report. The format comes from the root element (<testsuites>/<testsuite>:
// JUnit; <assemblies>/<assembly>: xUnit.net; <test-run>: NUnit 3; <TestRun>: TRX) unless
// forced_format names one of "junit", "xunit", "nunit", "trx". run.source is left for the
// caller, who knows the file name. Empty input is the error "empty report"; malformed XML
// reports the 1-based line and column where parsing stopped.
util::Expected<model::TestRun, util::ParseError>
parse_test_report(std::string_view bytes, std::string_view forced_format = "");

} // namespace tollgate::report
