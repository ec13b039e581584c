#include "model/finding.h"
#include "model/outcome.h"

namespace tollgate::model {

const char* to_string(Level level) {
  switch (level) {
  case Level::notice: return "notice";
  case Level::warning: return "warning";
  case Level::failure: return "failure";
  }
  return "failure";
}

const char* to_string(Conclusion conclusion) {
  switch (conclusion) {
  case Conclusion::success: return "success";
  case Conclusion::failure: return "failure";
  case Conclusion::neutral: return "neutral";
  }
  return "neutral";
}

void for_each_finding(const Outcome& outcome, const std::function<bool(const Finding&)>& fn) {
  for (const auto& f : outcome.findings)
    if (!fn(f)) return;
  if (!outcome.make_finding) return;
  Finding made;
  for (size_t i = 0; i < outcome.made_findings; ++i) {
    outcome.make_finding(i, made);
    if (!fn(made)) return;
  }
}

size_t findings_with_location(const Outcome& outcome) {
  size_t n = outcome.made_with_location;
  for (const auto& f : outcome.findings) n += f.has_location();
  return n;
}

} // namespace tollgate::model

#include "model/test_result.h"

namespace tollgate::model {

const char* to_string(TestStatus status) {
  switch (status) {
  case TestStatus::passed: return "passed";
  case TestStatus::failed: return "failed";
  case TestStatus::errored: return "error";
  case TestStatus::skipped: return "skipped";
  case TestStatus::flaky: return "flaky";
  }
  return "passed";
}

} // namespace tollgate::model
