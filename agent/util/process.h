#pragma once
#include <string>
#include <vector>

namespace tollgate::util {

struct ProcessResult {
  int exit_status = -1; // -1 when it could not be started or was killed by a signal
  std::string out;
  std::string err;
};

// Runs argv (no shell) in cwd, collecting stdout and stderr. For git.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd);

} // namespace tollgate::util
