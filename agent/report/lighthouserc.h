#pragma once
// lighthouserc files (lighthouserc.json, .lighthouserc.json, .lighthouserc.yml, ...) and budgets
// files, read as @lhci/cli 0.15 reads them: JSON.parse or js-yaml, '.' in keys replaced by ':',
// ci / lhci / ci:client / ci:server flattened, and the sections wizard, assert, collect, upload and
// server spread into one set of options. Every value keeps its line, so that annotations can point
// at the assertion in the file.
#include <string>
#include <string_view>
#include <vector>

#include "model/lighthouse.h"
#include "util/error.h"
#include "util/expected.h"

namespace tollgate::report {

enum class RcSyntax { json, yaml, javascript };

// lhci's search order in the working directory (lighthouserc.js's RC_FILE_NAMES).
const std::vector<std::string>& rc_file_names();

// By file name, as lhci decides: .js/.cjs are JavaScript, .yml/.yaml YAML, anything else JSON.
RcSyntax rc_syntax_for(std::string_view file_name);

// Pure: bytes to a value tree with lines. JSON follows JSON.parse (a repeated key keeps its first
// position and its last value); YAML follows js-yaml's default schema for plain scalars.
util::Expected<model::RcValue, util::ParseError> parse_rc_value(std::string_view bytes, RcSyntax syntax);

// lhci's recursivelyReplaceDotInKeyName: "categories.performance" becomes "categories:performance"
// at every level.
void replace_dots_in_keys(model::RcValue& value);

// The options of one rc file (before `extends` is applied and before yargs reads them), and the
// file the rc extends, if any (the caller resolves it relative to the rc file's directory and
// merges this file's options over the base's with model::merge_like_lhci).
struct RcOptions {
  model::RcValue options = model::RcValue::object_value();
  std::string extends;
  int extends_line = 0;
};
RcOptions flatten_rc(const model::RcValue& rc);

// yargs' reading of a config object, which lhci assert's options pass through: objects that end
// up with no members vanish (an empty "assertions" is no assertions), and a kebab-case option
// also appears under its camelCase name ("budgets-file" is "budgetsFile").
model::RcValue as_yargs_options(const model::RcValue& options);

} // namespace tollgate::report
