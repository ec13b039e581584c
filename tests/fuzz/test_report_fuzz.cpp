// libFuzzer target: test_report must never crash, hang or leak on any input; and what the tests
// summary renders from it must print no workflow command and keep the structure of the same
// report with every text replaced (tests/fuzz/fuzz_checks.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"
#include "gate/tests_gate.h"
#include "publish/tests_summary.h"
#include "report/test_report.h"

namespace {

std::string summary_of(const tollgate::model::TestRun& run) {
  using namespace tollgate;
  publish::TestsSummaryInput input;
  input.totals = gate::count_tests({run});
  for (const auto& c : run.cases)
    if (c.status == model::TestStatus::failed || c.status == model::TestStatus::errored)
      input.failures.push_back({&c, ""});
  return publish::tests_summary(input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tollgate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto run = report::parse_test_report(text);
  fuzz::check_escapes(text.substr(0, 4096));
  if (!run) return 0;
  const std::string rendered = summary_of(*run);
  fuzz::check_log(rendered);
  model::TestRun plain = *run;
  for (auto& c : plain.cases) {
    for (std::string* s : {&c.suite, &c.classname, &c.name, &c.message, &c.details, &c.system_out, &c.system_err})
      if (!s->empty()) *s = "x";
    fuzz::check_escapes(c.name);
  }
  for (const auto& c : run->cases) fuzz::check_escapes(c.name);
  if (fuzz::markdown_skeleton(rendered) != fuzz::markdown_skeleton(summary_of(plain)))
    fuzz::fail("the summary's structure depends on the report's text", rendered);
  return 0;
}
