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
// to run.cases, merges reruns of one test into one case, and names run.dialect when it can
// tell. Never fails: missing attributes leave defaults.
void parse_junit(pugi::xml_node root, model::TestRun& run);

} // namespace tollgate::report
