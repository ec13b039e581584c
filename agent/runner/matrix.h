#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"
#include "util/expected.h"

namespace tollgate::runner {

// The leg label of a matrix job, as GitHub names matrix jobs: the values joined by ", " in the
// order given ("ubuntu-latest, 20"). Nested objects and arrays are written compactly. "null" or
// an empty object is no leg (empty string).
util::Expected<std::string, util::ParseError> matrix_leg(std::string_view matrix_json);

// "Tests" + leg → "Tests (ubuntu-latest, 20)".
std::string with_leg(std::string_view name, std::string_view leg);

} // namespace tollgate::runner

namespace tollgate::runner {

// `merge --expected-legs`: a count ("3"), or a JSON array of the legs, each the object
// `toJSON(matrix)` gives in that leg (or its label as a string).
struct ExpectedLegs {
  size_t count = 0;
  std::vector<std::string> labels; // when given as JSON; count is then their number
};
util::Expected<ExpectedLegs, util::ParseError> parse_expected_legs(std::string_view text);

} // namespace tollgate::runner
