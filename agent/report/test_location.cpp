#include "report/test_location.h"

#include <algorithm>

#include "report/stack_frames.h"

namespace tollgate::report {

namespace {

constexpr const char* k_source_extensions[] = {".py", ".java", ".kt", ".scala", ".cs", ".rb", ".go",
                                               ".ts", ".js", ".php", ".swift", ".cpp", ".rs"};

// The most stack frames examined per failure: 100 (our limit). The frame sought is the test's own
// or the first one in the repository, within the first few dozen in every trace format read (the
// assertion, then the test; or the test, then what it called); a deep recursion's 1,000 frames
// or a hostile report's 200 frames per case × 170,000 cases need not all be resolved.
constexpr size_t k_max_frames_per_failure = 100;

} // namespace

std::string test_file_of(const model::TestCase& test, const RepoPaths& paths) {
  if (!test.file.empty()) {
    if (auto p = paths.resolve(test.file)) return *p;
  }
  if (test.classname.empty() || test.classname.size() > 1024) return {};
  // com.acme.FooTest → com/acme/FooTest.java; tests.test_api → tests/test_api.py. Nested
  // classes (Outer$Inner, Outer+Inner) belong to the outer class's file.
  std::string base = test.classname.substr(0, test.classname.find_first_of("$+"));
  std::replace(base.begin(), base.end(), '.', '/');
  if (!paths.proves_paths()) return {};
  for (const char* ext : k_source_extensions) {
    if (auto p = paths.resolve(base + ext)) return *p;
  }
  // pytest classnames carry the class too: tests.test_api.TestUsers → tests/test_api.py.
  if (const auto slash = base.rfind('/'); slash != std::string::npos) {
    const std::string parent = base.substr(0, slash);
    for (const char* ext : k_source_extensions) {
      if (auto p = paths.resolve(parent + ext)) return *p;
    }
  }
  return {};
}

TestLocation locate_test_failure(const model::TestCase& test, const RepoPaths& paths) {
  const std::string own_file = test_file_of(test, paths);
  TestLocation first_frame;
  // The message first: where a framework names the failing assertion's own location (doctest,
  // Catch2, go test) it stands there; the trace follows.
  // Only the frames still to be examined are extracted: past the limit the rest of the trace and
  // the captured output are not scanned at all (on 2,000 failures of 200-frame traces with
  // 16 KB of output each, scanning them was a quarter of the run).
  size_t examined = 0;
  for (const std::string* text : {&test.message, &test.details, &test.system_out, &test.system_err}) {
    if (text->empty() || examined >= k_max_frames_per_failure) continue;
    for (const auto& frame : extract_frames(*text, k_max_frames_per_failure - examined)) {
      if (frame.line <= 0) continue;
      ++examined;
      std::optional<std::string> resolved = paths.resolve(frame.path);
      if (!resolved && !frame.java_package_path.empty()) resolved = paths.resolve(frame.java_package_path);
      if (!resolved) continue;
      if (!own_file.empty() && *resolved == own_file) return {*resolved, frame.line, "frame"};
      if (first_frame.path.empty()) first_frame = {*resolved, frame.line, "frame"};
    }
  }
  if (!first_frame.path.empty()) return first_frame;
  if (!test.file.empty() && test.line > 0) {
    if (auto p = paths.resolve(test.file)) return {*p, test.line, "attribute"};
  }
  if (!own_file.empty()) return {own_file, 1, "classname"};
  return {};
}

} // namespace tollgate::report
