#pragma once
// XML reports read from disk in windows (report/xml_stream.h) through util::FileReader: memory
// is bounded whatever the file's size, and util::k_max_read_bytes does not apply. Pipes, devices
// and what pugixml must convert (UTF-16/32, Latin-1) are read whole, as before.
#include "model/coverage.h"
#include "model/test_result.h"
#include "util/expected.h"

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

// A test report: the run, or an error naming the file (and line and column when the content is
// at fault). *not_a_report is set on an error for a file that plainly is no test report
// (not_a_test_report's words: "JSON", "root element <project>").
util::Expected<model::TestRun, std::string>
read_test_report_file(const std::string& path, std::string_view forced_format,
                      std::optional<std::string>* not_a_report, bool fold_passed = false);

// An XML coverage report (Cobertura, JaCoCo, Clover; by content or forced_format), or nullopt when
// the file is none to stream (LCOV, JSON, a pipe …: read_coverage_file reads it as before).
// *not_a_report as read_coverage_file sets it.
std::optional<util::Expected<model::CoverageReport, std::string>>
read_xml_coverage_file(const std::string& path, std::string_view forced_format, bool* not_a_report);

} // namespace tollgate::report
