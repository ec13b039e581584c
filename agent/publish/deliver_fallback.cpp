#include "publish/deliver_fallback.h"

#include <algorithm>
#include <fmt/format.h>

#include "publish/limits.h"

namespace tollgate::publish {

FallbackAnnotations fallback_annotations(const model::Outcome& outcome) {
  FallbackAnnotations out;
  const size_t total_cap = std::min(outcome.max_annotations, k_job_annotations);
  for (model::Level level : {model::Level::failure, model::Level::warning, model::Level::notice}) {
    std::vector<const model::Finding*> candidates;
    for (const auto& f : outcome.findings)
      if (f.level == level && !f.path.empty() && f.start_line > 0) candidates.push_back(&f);
    std::stable_partition(candidates.begin(), candidates.end(), [](const auto* f) { return f->on_changed_line; });
    const size_t room = std::min(k_step_annotations_per_level, total_cap - std::min(total_cap, out.shown.size()));
    const size_t n = std::min(room, candidates.size());
    out.shown.insert(out.shown.end(), candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(n));
    const size_t more = candidates.size() - n;
    if (level == model::Level::failure) out.more_failures = more;
    else if (level == model::Level::warning) out.more_warnings = more;
    else out.more_notices = more;
  }
  return out;
}

std::string describe_more(const FallbackAnnotations& s) {
  std::string text;
  auto add = [&](size_t n, const char* one, const char* many) {
    if (!n) return;
    text += fmt::format("{}{} more {}", text.empty() ? "" : ", ", n, n == 1 ? one : many);
  };
  add(s.more_failures, "failure", "failures");
  add(s.more_warnings, "warning", "warnings");
  add(s.more_notices, "notice", "notices");
  return text;
}

} // namespace tollgate::publish
