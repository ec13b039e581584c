#pragma once
// Go cover profiles (`go test -coverprofile`): "mode: set|count|atomic", then one block a line,
// "name.go:startLine.startCol,endLine.endCol numStatements count".
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <string_view>

namespace tollgate::report {

// Blocks that appear more than once (several packages' profiles concatenated, -coverpkg) merge
// as golang.org/x/tools/cover merges them: counts add, or OR in set mode. Every line a block
// spans is executable, with the largest count of the blocks covering it; blocks without
// statements make no line executable. Paths keep the module path ("example.com/m/pkg/x.go");
// path resolution strips it. Go profiles have no branches.
util::Expected<model::CoverageReport, util::ParseError> parse_go_cover(std::string_view bytes);

} // namespace tollgate::report
