#pragma once
#include <string>
#include <vector>

namespace tollgate::model {

// Annotation levels, named as the Checks API names them.
enum class Level { notice, warning, failure };

const char* to_string(Level level);

// One thing to show on a line of the repository (or, with an empty path, in the summary only).
struct Finding {
  std::string path;   // repository-relative, '/'-separated; empty when no location was proven
  int start_line = 0; // 1-based; 0 when unknown
  int end_line = 0;
  Level level = Level::failure;
  std::string title;
  std::string message;
  std::string raw_details;
  bool on_changed_line = false; // set by the diff filter; such findings are posted first

  // A file and a line: what an annotation needs.
  bool has_location() const { return !path.empty() && start_line > 0; }
};

} // namespace tollgate::model
