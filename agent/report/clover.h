#pragma once
// Clover XML (OpenClover, Atlassian Clover, Istanbul's clover reporter, PHPUnit).
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <pugixml.hpp>
#include <string_view>

namespace tollgate::report {

// coverage > project > (package >) file > line. Lines of type "stmt" and "cond" are executable
// with count as hits (OpenClover's cond lines have no count: truecount + falsecount, how often the
// condition ran); "method" lines are not executable (diff-cover reads Clover the same way). A
// file's path attribute names it, else its name. Branches of "cond" lines: Istanbul
// (clover="3.2.0") writes truecount = covered branches and falsecount = uncovered ones; OpenClover
// writes how often the condition was true and false, which is two branches, each covered when its
// count > 0.
util::Expected<model::CoverageReport, util::ParseError> parse_clover(pugi::xml_node root,
                                                                     std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_clover(std::string_view bytes);

} // namespace tollgate::report
