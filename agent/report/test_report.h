#pragma once
// Test result files → the test model. Pure: bytes in, model or ParseError out; never throws.
#include "model/test_result.h"
#include "report/xml_stream.h"
#include "util/error.h"
#include "util/expected.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

// Parses a test report. The format comes from the root element (<testsuites>/<testsuite>:
// JUnit; <assemblies>/<assembly>: xUnit.net; <test-run>: NUnit 3; <TestRun>: TRX) unless
// forced_format names one of "junit", "xunit", "nunit", "trx". run.source is left for the
// caller, who knows the file name. Empty input is the error "empty report"; malformed XML
// reports the 1-based line and column where parsing stopped.
util::Expected<model::TestRun, util::ParseError>
parse_test_report(std::string_view bytes, std::string_view forced_format = "");

// The same from a source streamed in windows (report/xml_stream.h): memory stays bounded
// whatever the file's size. *not_a_report (when given) is set on an error for a file that is
// plainly no test report (not_a_test_report's words). whole() reads the bytes when pugixml must
// convert them (UTF-16/32, Latin-1) or a format is read from a loaded document. fold_passed: a
// streamed JUnit report's passed test cases are folded (model::PassedFold) instead of kept, so
// memory stays bounded by what the result needs whatever the number of tests.
util::Expected<model::TestRun, util::ParseError>
read_test_report(const XmlSource& source, std::string_view forced_format,
                 std::optional<std::string>* not_a_report, size_t window_bytes,
                 const std::function<util::Expected<std::string, util::ParseError>()>& whole,
                 bool fold_passed = false);

// The whole-file reader (pugixml's document of the whole input): the streamed reader's oracle
// in the differential tests, and the reader of what does not stream.
util::Expected<model::TestRun, util::ParseError>
parse_test_report_whole(std::string_view bytes, std::string_view forced_format = "");

// What a file plainly is when it is not a test report at all: "JSON", or "root element <project>"
// for well-formed XML of another kind (a pom.xml, a stylesheet). nullopt for a test report and
// for anything that may be a broken one (empty, malformed XML): a glob skips only the former.
std::optional<std::string> not_a_test_report(std::string_view bytes);

// Merges test cases of one run that share suite, class name and name as retries of one test
// (`--retries-as-flaky`; action-junit-report's check_retries): failed and also passed is flaky,
// failed every time is one failed test with its reruns counted. Only on request: same-named
// cases are often distinct tests (mocha titles in a loop, parameterised cases), and reports
// that prove a rerun say so themselves (Surefire's flakyFailure, rerunFailure, ...).
void merge_retries(model::TestRun& run);

} // namespace tollgate::report
