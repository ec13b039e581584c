#include "gate/release_checks.h"

#include <algorithm>
#include <fmt/format.h>

namespace tollgate::gate {

CheckState state_of(const CommitCheck& check) {
  if (check.is_status) {
    if (check.status == "success") return CheckState::passed;
    if (check.status == "pending") return CheckState::pending;
    return CheckState::failed; // failure, error
  }
  if (check.status != "completed") return CheckState::pending;
  const std::string& c = check.conclusion;
  if (c == "success" || c == "neutral" || c == "skipped") return CheckState::passed;
  return CheckState::failed;
}

bool name_matches(std::string_view pattern, std::string_view name) {
  // Iterative matching with one backtrack point for the last '*': linear in practice, never
  // exponential on hostile names.
  size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const char* to_string(RequiredState state) {
  switch (state) {
  case RequiredState::passed: return "passed";
  case RequiredState::missing: return "missing";
  case RequiredState::pending: return "pending";
  case RequiredState::failed: return "failed";
  }
  return "?";
}

std::vector<RequiredResult> evaluate_required(const std::vector<CommitCheck>& checks,
                                              const std::vector<std::string>& patterns) {
  std::vector<RequiredResult> out;
  for (const auto& pattern : patterns) {
    RequiredResult r;
    r.pattern = pattern;
    for (const auto& c : checks) {
      if (!name_matches(pattern, c.name)) continue;
      ++r.matched;
      const CheckState s = state_of(c);
      if (s == CheckState::failed) r.failed.push_back(c.name);
      if (s == CheckState::pending) r.pending.push_back(c.name);
    }
    r.state = r.matched == 0        ? RequiredState::missing
              : !r.failed.empty()   ? RequiredState::failed
              : !r.pending.empty()  ? RequiredState::pending
                                    : RequiredState::passed;
    out.push_back(std::move(r));
  }
  return out;
}

bool worth_waiting(const std::vector<RequiredResult>& results) {
  const auto any = [&](auto&& pred) { return std::any_of(results.begin(), results.end(), pred); };
  if (any([](const RequiredResult& r) { return r.state == RequiredState::failed; })) return false;
  return any([](const RequiredResult& r) {
    return r.state == RequiredState::missing || r.state == RequiredState::pending;
  });
}

bool all_passed(const std::vector<RequiredResult>& results) {
  return std::all_of(results.begin(), results.end(),
                     [](const RequiredResult& r) { return r.state == RequiredState::passed; });
}

namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

} // namespace

std::vector<std::string> refusal_reasons(const std::vector<RequiredResult>& results, std::string_view waited) {
  std::vector<std::string> out;
  for (const auto& r : results) {
    switch (r.state) {
    case RequiredState::passed: break;
    case RequiredState::missing:
      out.push_back(fmt::format("required check '{}' is missing: no check run or status of that name on the commit{}",
                                r.pattern, waited.empty() ? "" : fmt::format(" after waiting {}", waited)));
      break;
    case RequiredState::pending:
      out.push_back(fmt::format("required check '{}' is still running{}: {}", r.pattern,
                                waited.empty() ? "" : fmt::format(" after waiting {}", waited), join_names(r.pending)));
      break;
    case RequiredState::failed:
      out.push_back(fmt::format("required check '{}' did not succeed: {}", r.pattern, join_names(r.failed)));
      break;
    }
  }
  return out;
}

CheckCounts count_checks(const std::vector<CommitCheck>& checks) {
  CheckCounts n;
  for (const auto& c : checks) {
    switch (state_of(c)) {
    case CheckState::passed: ++n.passed; break;
    case CheckState::failed: ++n.failed; break;
    case CheckState::pending: ++n.pending; break;
    }
  }
  return n;
}

} // namespace tollgate::gate
