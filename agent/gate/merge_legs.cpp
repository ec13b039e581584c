#include "gate/merge_legs.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "util/text.h"

namespace tollgate::gate {

namespace {

// "Tests (ubuntu-latest, 3.12)" → "ubuntu-latest, 3.12"; empty without a parenthesised suffix.
std::string parenthesised_suffix(std::string_view name) {
  if (name.empty() || name.back() != ')') return {};
  const auto open = name.find(" (");
  if (open == std::string_view::npos) return {};
  return std::string(name.substr(open + 2, name.size() - open - 3));
}

bool answers(const model::LegResult& result, const ExpectedLeg& expected) {
  if (result.missing) return false;
  if (!expected.job.empty() && result.has_writer) return result.job == expected.job && result.leg == expected.leg;
  return !expected.leg.empty() && leg_label(result) == expected.leg;
}

model::LegResult missing_leg(const ExpectedLeg& e) {
  model::LegResult leg;
  leg.missing = true;
  leg.passed = false;
  leg.conclusion = model::Conclusion::failure;
  leg.check_name = e.name;
  leg.source = e.name;
  leg.job = e.job;
  leg.leg = e.leg;
  leg.job_conclusion = e.conclusion;
  leg.job_url = e.url;
  leg.title = e.conclusion.empty() ? "no result" : fmt::format("no result (job {})", e.conclusion);
  return leg;
}

} // namespace

std::vector<ExpectedLeg> legs_from_jobs(const std::vector<RunJob>& jobs, const std::vector<std::string>& job_keys) {
  std::vector<ExpectedLeg> out;
  for (const auto& job : jobs) {
    for (const auto& key : job_keys) {
      std::string leg;
      if (job.name != key) {
        if (job.name.size() <= key.size() + 3 || job.name.compare(0, key.size() + 2, key + " (") != 0 ||
            job.name.back() != ')')
          continue;
        leg = job.name.substr(key.size() + 2, job.name.size() - key.size() - 3);
      }
      out.push_back({job.name, key, std::move(leg), job.conclusion.empty() ? job.status : job.conclusion, job.html_url});
      break;
    }
  }
  return out;
}

std::string leg_label(const model::LegResult& result) {
  if (result.has_writer && !result.leg.empty()) return result.leg;
  std::string suffix = parenthesised_suffix(result.check_name);
  return suffix.empty() ? result.check_name : suffix;
}

size_t add_missing_legs(std::vector<model::LegResult>& legs, const std::vector<ExpectedLeg>& expected) {
  size_t added = 0;
  for (const auto& e : expected) {
    const bool found = std::any_of(legs.begin(), legs.end(), [&](const auto& r) { return answers(r, e); });
    if (found) continue;
    legs.push_back(missing_leg(e));
    ++added;
  }
  return added;
}

std::vector<std::string> add_missing_from_jobs(std::vector<model::LegResult>& legs,
                                               const std::vector<ExpectedLeg>& from_jobs) {
  std::vector<std::string> notes, keys;
  for (const auto& e : from_jobs)
    if (std::find(keys.begin(), keys.end(), e.job) == keys.end()) keys.push_back(e.job);
  for (const auto& key : keys) {
    std::vector<ExpectedLeg> jobs;
    for (const auto& e : from_jobs)
      if (e.job == key) jobs.push_back(e);
    const bool any_matched = std::any_of(jobs.begin(), jobs.end(), [&](const auto& e) {
      return std::any_of(legs.begin(), legs.end(), [&](const auto& r) { return answers(r, e); });
    });
    std::set<std::string> with_result;
    for (const auto& r : legs)
      if (!r.missing && r.has_writer && r.job == key) with_result.insert(r.leg);
    if (any_matched || with_result.empty()) {
      add_missing_legs(legs, jobs);
      continue;
    }
    notes.push_back(fmt::format("The jobs of {} are not named after the legs' matrix values: its {} job(s) were "
                                "compared with the {} leg(s) that wrote a result by count.",
                                util::code_span(key), jobs.size(), with_result.size()));
    if (jobs.size() <= with_result.size()) continue;
    const size_t deficit = jobs.size() - with_result.size();
    std::vector<ExpectedLeg> unsuccessful;
    for (const auto& e : jobs)
      if (e.conclusion != "success") unsuccessful.push_back(e);
    if (unsuccessful.size() == deficit) {
      for (const auto& e : unsuccessful) legs.push_back(missing_leg(e));
    } else {
      for (size_t i = 0; i < deficit; ++i) {
        ExpectedLeg e;
        e.job = key;
        e.name = fmt::format("a leg of {} without a result ({} of {} jobs wrote one)", key, with_result.size(), jobs.size());
        legs.push_back(missing_leg(e));
      }
    }
  }
  return notes;
}

size_t add_missing_by_count(std::vector<model::LegResult>& legs, size_t expected) {
  std::set<std::string> seen;
  for (const auto& r : legs) seen.insert(r.missing ? "\x01" + r.check_name : leg_label(r));
  size_t added = 0;
  for (size_t n = seen.size(); n < expected; ++n, ++added) {
    ExpectedLeg e;
    e.name = fmt::format("leg without a result ({} of {} expected legs found)", seen.size(), expected);
    legs.push_back(missing_leg(e));
  }
  return added;
}

} // namespace tollgate::gate
