// libFuzzer harness for lighthouserc reading and the assertion engine on what it reads (build with
// -DTOLLGATE_FUZZ=ON and clang).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gate/lighthouse_assert.h"
#include "report/lighthouserc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (auto syntax : {tollgate::report::RcSyntax::json, tollgate::report::RcSyntax::yaml}) {
    auto rc = tollgate::report::parse_rc_value(bytes, syntax);
    if (!rc) continue;
    tollgate::report::replace_dots_in_keys(*rc);
    tollgate::gate::LighthouseAssertInput input;
    input.options = tollgate::report::as_yargs_options(tollgate::report::flatten_rc(*rc).options);
    (void)tollgate::gate::assert_lighthouse(input, {});
  }
  return 0;
}
