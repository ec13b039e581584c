#pragma once
// Failing tests as a reviewer reads them: grouped by file (or class), the prefix the group's names
// share said once, each with its message, a link to the failing line and the first lines of its
// output that explain it (pytest's "E" lines, jest's Expected/Received) rather than the stack.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/test_result.h"

namespace tollgate::publish {

// How a failure compares with the base branch's result (tests --baseline).
enum class FailureChange { unknown, new_failure, already_failing };

struct FailureView {
  const model::TestCase* test = nullptr;
  std::string path; // repository-relative; empty when no location was proven
  int line = 0;
  FailureChange change = FailureChange::unknown;
};

struct FailureGroup {
  std::string path;   // the file every failure of the group is in, or ""
  std::string name;   // otherwise the class (or suite) they share
  std::string prefix; // the start their titles share, cut after a separator ("" when none)
  std::vector<const FailureView*> failures;
};

// Groups in the order their first failure comes; failures keep their order inside a group.
std::vector<FailureGroup> group_failures(const std::vector<FailureView>& failures);

// The longest start all titles share that ends just after a separator (" › ", ".", "::", "/",
// "#", " "), so that no word is cut; "" for a single title or none shared.
std::string shared_prefix(const std::vector<std::string_view>& titles);

// Up to max_lines lines of the failure's output that say why it failed: blank lines, stack frames
// ("at …", "File \"…\"") and the message line already shown are skipped; where pytest marks the
// assertion's lines with "E", those and the ">" line before them. Terminal colour codes removed.
std::vector<std::string> failure_excerpt(std::string_view message, std::string_view details, size_t max_lines);
std::vector<std::string> failure_excerpt(const model::TestCase& test, size_t max_lines);

// The first line of the failure's message (of its output when it has none), colour codes removed.
std::string failure_headline(std::string_view message, std::string_view details);
std::string failure_headline(const model::TestCase& test);

// Text without ANSI escape sequences (CSI "ESC [ … letter" and lone ESC).
std::string strip_ansi(std::string_view text);

} // namespace tollgate::publish
