#include "runner/git.h"

#include <fmt/format.h>

#include "util/error.h"
#include "util/process.h"
#include "util/text.h"

namespace tollgate::runner {

std::optional<std::vector<std::string>> git_ls_files(const std::string& root) {
  auto r = util::run_process({"git", "-c", "core.quotepath=off", "ls-files", "-z"}, root);
  if (r.exit_status != 0) return std::nullopt;
  std::vector<std::string> files;
  size_t pos = 0;
  while (pos < r.out.size()) {
    const size_t end = r.out.find('\0', pos);
    files.emplace_back(r.out.substr(pos, end - pos));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return files;
}

} // namespace tollgate::runner
