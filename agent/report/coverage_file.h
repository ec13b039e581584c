#pragma once
// Coverage reports read from disk (through util::FileReader; with report/xml_stream_file, the
// places in report/ that read files). LCOV, the format that grows to hundreds of megabytes, is
// streamed through a fixed buffer and, when large, split at record boundaries into parts parsed
// on their own threads, so memory is the model's size, not the file's; XML formats stream
// through report/xml_stream_file, Istanbul and coverage.py JSON through report/json_stream_file.
// Go profiles (and JSON the streamed readers leave alone) are read whole for parse_coverage.
#include "model/coverage.h"
#include "util/expected.h"

#include <string>
#include <string_view>

namespace tollgate::report {

// The parsed report, or an error naming the file (and line and column when the content is at
// fault), ready for an InputError. *not_a_report (when given) says whether the file is no report
// of a format this command reads (is_not_a_report), rather than a broken one or unreadable.
util::Expected<model::CoverageReport, std::string>
read_coverage_file(const std::string& path, std::string_view forced_format = "",
                   bool* not_a_report = nullptr);

// How read_coverage_file reads LCOV: in parts of at least part_bytes (the default keeps files
// under 24 MiB in one part), at most one part a core and four in all. The result never depends
// on the split; tests pass small sizes to prove it.
inline constexpr size_t k_lcov_part_bytes = size_t{24} << 20;
util::Expected<model::CoverageReport, std::string>
read_lcov_file(const std::string& path, size_t part_bytes = k_lcov_part_bytes);

} // namespace tollgate::report
