#pragma once
// What a summary lists and how large it may grow: the controls users know from the peers
// (dorny/test-reporter's list-suites / list-tests and only-summary), and a size budget that cuts a
// long summary at a block boundary with a note instead of letting GitHub cut it mid-table.
#include <cstddef>
#include <string>
#include <string_view>

#include "publish/limits.h"
#include "publish/review_header.h"

namespace tollgate::publish {

// failed: what needs attention (failing tests, impacted files, failed assertions and probes);
// all: also what passed (every suite, every assertion and probe); none: the verdict and the totals.
enum class SummaryList { failed, all, none };

SummaryList parse_summary_list(std::string_view text); // "failed" | "all" | "none"; else failed

// The default budget: one summary goes to the check run (65,535 characters), the sticky comment
// (65,536 with its marker) and the job summary, so it fits the smallest of them, with room for
// the heading, the title line and the notes the publisher adds (a few hundred characters each).
constexpr size_t k_summary_chars = k_check_output_chars - 2000;
// The least a budget can be: the verdict, the lead and the note still fit.
constexpr size_t k_summary_chars_min = 2000;
// The most: a step's job summary (1 MiB; a larger one is dropped whole). Multi-byte characters
// take more than one byte there, so a budget this high is cut again by the bytes on the way.
constexpr size_t k_summary_chars_max = k_step_summary_bytes;

struct SummaryOptions {
  SummaryList list = SummaryList::failed;
  size_t max_chars = k_summary_chars;
  ReviewLinks links;
};

// md when it fits max_chars code points; otherwise the longest prefix that ends at a line outside
// any code block, with every <details> it opened closed again, and a note saying what was cut.
// Never cuts a line, a code block or a multi-byte character in half.
std::string fit_summary(std::string_view md, size_t max_chars);

} // namespace tollgate::publish
