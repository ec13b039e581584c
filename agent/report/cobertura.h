#pragma once
// Cobertura XML as coverage.py, gcovr, Istanbul/c8, JaCoCo converters and .NET's coverlet write it.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include <pugixml.hpp>
#include <string_view>

namespace tollgate::report {

// Reads only class/lines/line (Istanbul repeats method lines under class/methods). number and
// hits per line; branch="true" lines give their branches from condition-coverage "50% (1/2)".
// <sources>/<source> become the report's source roots. root is the loaded <coverage> element;
// bytes are what it was loaded from (for error positions).
util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(pugi::xml_node root,
                                                                        std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(std::string_view bytes);

} // namespace tollgate::report
