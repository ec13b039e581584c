#pragma once
// JUnit XML and its dialects: Maven Surefire/Gradle (flaky and rerun elements), pytest (xunit1
// and xunit2), jest-junit, mocha-junit-reporter, node --test, go-junit-report/gotestsum, ctest
// --output-junit, PHPUnit, Catch2/doctest/Google Test, cargo-nextest and Bazel's test.xml.
#include "model/test_result.h"

namespace pugi {
class xml_node;
}

namespace tollgate::report {

// Appends the test cases under root (<testsuites> or <testsuite>, suites nested to any depth)
// to run.cases, and names run.dialect when it can tell. A test is flaky only where the report
// proves a rerun (Surefire's flakyFailure/flakyError); same-named test cases stay separate
// tests. Failures and errors a suite header counts beyond its test cases become one errored
// entry of that suite (TestCase::suite_header). Never fails: missing attributes leave defaults.
void parse_junit(pugi::xml_node root, model::TestRun& run);

} // namespace tollgate::report
