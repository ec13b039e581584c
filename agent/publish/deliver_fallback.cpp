#include "publish/deliver_fallback.h"

#include <algorithm>
#include <fmt/format.h>

#include "publish/limits.h"

namespace tollgate::publish {

FallbackAnnotations fallback_annotations(const model::Outcome& outcome) {
  // One pass: of each level, the first findings on changed lines and the first elsewhere (at
  // most as many of each as a level can show), and how many there are in all.
  struct OfLevel {
    std::vector<model::Finding> changed, elsewhere;
    size_t total = 0;
  };
  OfLevel levels[3]; // failure, warning, notice
  model::for_each_finding(outcome, [&](const model::Finding& f) {
    if (!f.has_location()) return true;
    OfLevel& l = levels[f.level == model::Level::failure ? 0 : f.level == model::Level::warning ? 1 : 2];
    ++l.total;
    auto& into = f.on_changed_line ? l.changed : l.elsewhere;
    if (into.size() < k_step_annotations_per_level) into.push_back(f);
    return true;
  });
  FallbackAnnotations out;
  const size_t total_cap = std::min(outcome.max_annotations, k_job_annotations);
  for (size_t i = 0; i < 3; ++i) {
    OfLevel& l = levels[i];
    const size_t room = std::min(k_step_annotations_per_level, total_cap - std::min(total_cap, out.shown.size()));
    size_t n = 0;
    for (auto* from : {&l.changed, &l.elsewhere})
      for (auto& f : *from)
        if (n < room) {
          out.shown.push_back(std::move(f));
          ++n;
        }
    const size_t more = l.total - n;
    (i == 0 ? out.more_failures : i == 1 ? out.more_warnings : out.more_notices) = more;
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
