#pragma once
// JaCoCo XML (report.dtd 1.1): report > group* > package > sourcefile > line nr mi ci mb cb.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <pugixml.hpp>
#include <string_view>

namespace tollgate::report {

// Paths are "<package name>/<sourcefile name>" ("com/example/Cart.java"); path resolution finds
// the source root (src/main/java/…) by suffix. Every <line> is executable with ci (covered
// instructions) as its hits, as diff-cover reads it; mb + cb branches, cb of them covered.
util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(pugi::xml_node root,
                                                                     std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(std::string_view bytes);

} // namespace tollgate::report
