#include "model/test_result.h"

#include <algorithm>
#include <cmath>

namespace tollgate::model {

double add_duration(double sum, double d) {
  if (!std::isfinite(d) || d < 0) d = 0;
  if (!std::isfinite(sum) || sum < 0) sum = 0;
  return std::min(sum + std::min(d, k_max_duration_s), k_max_duration_s);
}

} // namespace tollgate::model
