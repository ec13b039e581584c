#pragma once
// The coverage summary's note on what was left out: glob-matched files that are no coverage
// report (skipped, named) and report files --exclude / coverage.exclude dropped (counted).
#include <string>
#include <vector>

namespace tollgate::publish {

// Markdown, escaped; empty when nothing was left out. Bounded: names past a fixed count are
// counted, not listed (all of them are in --json).
std::string coverage_input_notes(const std::vector<std::string>& skipped_reports,
                                 size_t excluded_files);

} // namespace tollgate::publish
