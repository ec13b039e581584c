#pragma once
// Source locations in failure text (messages, stack traces, captured output), so that a
// failure can be annotated where it happened when the report gives no file and line.
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::report {

struct Frame {
  std::string path; // as written: absolute, relative, Windows, or a bare Java file name
  int line = 0;     // 1-based
  // For Java/Kotlin/Scala frames, the file under its package's folder ("com/acme/File.java"),
  // which a repository path ends with; empty for other frames and for the default package.
  std::string java_package_path;
  bool operator==(const Frame&) const = default;
};

// At most this many frames per text: annotations need the first few that resolve.
inline constexpr size_t k_max_frames = 200;
// Longer lines are minified code or binary noise, not traces; skipping them bounds the work.
inline constexpr size_t k_max_frame_line = 64 * 1024;

// Frames in order of appearance. Recognised shapes:
//   path:line[:col]            gcc/clang, Go, Rust, doctest/Catch2, pytest short, PHP
//   path(line[,col])           MSVC, doctest on Windows, PHPUnit
//   at fn (path:line:col) / at path:line:col     Node, jest, mocha
//   at pkg.Class.method(File.java:123)           JVM (path "File.java", java_package_path)
//   File "path", line N                          Python tracebacks
//   at NS.Class.Method() in /path/File.cs:line 42   .NET
// A path must end in a source-like extension; URLs (other than file://) and node-internal
// frames are ignored. Work is linear in the text, and stops at the max_frames-th frame (at most
// k_max_frames): a caller that needs the first few does not pay for the rest of a long trace.
std::vector<Frame> extract_frames(std::string_view failure_text, size_t max_frames = k_max_frames);

} // namespace tollgate::report
