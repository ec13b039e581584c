#pragma once
// The changed lines a patch gate measures: git on the checkout first (runner/base_revision.h),
// then, in a pull request, the pull request's files through the REST API; "not measured" when
// neither can tell.
#include <string>

#include "command/command.h"
#include "runner/base_revision.h"

namespace tollgate::command {

// base is --base or the event's base commit (non-empty). Outside Actions a missing base is an
// InputError naming the revision and the fix; inside, never an error because history is shallow.
runner::FoundChanges changed_lines_for(const Context& ctx, const std::string& base);

} // namespace tollgate::command
