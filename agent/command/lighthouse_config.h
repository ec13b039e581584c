#pragma once
// Finding and reading the lighthouserc for `tollgate lighthouse` (the file I/O around
// report/lighthouserc): --config, else lhci's rc file names in the working directory, else a
// `lighthouse:` section of the Tollgate config; `ci.extends` followed; budgetsFile read.
#include <optional>
#include <string>

#include "model/lighthouse.h"

namespace tollgate::command {

struct LighthouseConfig {
  std::string path;                 // the file the assertions came from
  model::RcValue options;           // what lhci assert sees (flattened, extends merged, after yargs)
  std::optional<model::RcValue> assert_section; // ci.assert as written, for unknown-option warnings
  std::string budgets_path;         // the budgets file, when budgetsFile is set
  std::optional<model::RcValue> budgets;
  std::string preset;               // the preset named at the top level, for the summary
  int preset_line = 0;
};

// Throws util::InputError (exit 2) for a missing or malformed file, naming it and the line.
// `explicit_path` is --config ("" when not given); `tollgate_config_path` is the Tollgate config
// the CLI loaded (its `lighthouse:` section is used when no rc file exists).
LighthouseConfig load_lighthouse_config(const std::string& explicit_path, const std::string& tollgate_config_path);

} // namespace tollgate::command
