// libFuzzer target: a Lighthouse budgets file (budgetsFile) turned into lhci assertions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gate/lighthouse_budgets.h"
#include "report/lighthouserc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto budgets = tollgate::report::parse_rc_value(bytes, tollgate::report::RcSyntax::json);
  if (budgets) (void)tollgate::gate::budgets_to_assert_options(*budgets);
  (void)tollgate::gate::budget_path_pattern(bytes);
  return 0;
}
