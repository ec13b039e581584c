#include "gate/release_changes.h"

#include <fmt/format.h>
#include <set>

namespace tollgate::gate {

const char* to_string(ReleaseKind kind) {
  switch (kind) {
  case ReleaseKind::first: return "first";
  case ReleaseKind::forward: return "forward";
  case ReleaseKind::redeploy: return "redeploy";
  case ReleaseKind::rollback: return "rollback";
  case ReleaseKind::rewritten: return "rewritten";
  case ReleaseKind::unknown_base: return "unknown-base";
  }
  return "?";
}

std::optional<ReleaseKind> kind_of_compare_status(std::string_view status) {
  if (status == "ahead") return ReleaseKind::forward;
  if (status == "identical") return ReleaseKind::redeploy;
  if (status == "behind") return ReleaseKind::rollback;
  if (status == "diverged") return ReleaseKind::rewritten;
  return std::nullopt;
}

namespace {

std::string commits_word(size_t n) { return fmt::format("{} commit{}", n, n == 1 ? "" : "s"); }

} // namespace

std::string describe_kind(ReleaseKind kind, size_t ahead, size_t behind) {
  switch (kind) {
  case ReleaseKind::first:
    return "First deployment: the environment has no successful deployment yet, so everything up to this commit is shipped.";
  case ReleaseKind::forward:
    return fmt::format("Forward: {} since the last successful deployment.", commits_word(ahead));
  case ReleaseKind::redeploy:
    return "Redeploy: this commit is the one deployed last.";
  case ReleaseKind::rollback:
    return fmt::format("Rollback: this commit is older than the deployed one; {} leave the environment.",
                       commits_word(behind));
  case ReleaseKind::rewritten:
    return fmt::format("History rewritten: the deployed commit is not an ancestor of this one (a force-push, or another "
                       "branch); {} arrive, {} of the deployed history leave.",
                       commits_word(ahead), commits_word(behind));
  case ReleaseKind::unknown_base:
    return "Unknown base: GitHub cannot compare the deployed commit with this one (answered 404): the deployed commit "
           "is no longer in the repository (history rewritten and the old commit gone), or this one is not (check "
           "--sha), so what changes cannot be listed.";
  }
  return "";
}

std::string describe_age(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  struct Unit {
    int64_t seconds;
    const char* name;
  };
  static constexpr Unit units[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
  std::string out;
  int parts = 0;
  for (const auto& u : units) {
    const int64_t n = seconds / u.seconds;
    if (n == 0 && parts == 0) continue;
    if (parts == 1 && n == 0) break;
    out += fmt::format("{}{} {}{}", out.empty() ? "" : " ", n, u.name, n == 1 ? "" : "s");
    seconds -= n * u.seconds;
    if (++parts == 2) break;
  }
  return out.empty() ? "0 seconds" : out;
}

std::vector<ShippedPull> pulls_in_order(const std::vector<ShippedCommit>& commits,
                                        const std::vector<ShippedPull>& known) {
  std::vector<ShippedPull> out;
  std::set<int64_t> seen;
  for (const auto& c : commits) {
    for (int64_t number : c.pulls) {
      if (!seen.insert(number).second) continue;
      for (const auto& p : known) {
        if (p.number != number) continue;
        out.push_back(p);
        break;
      }
    }
  }
  return out;
}

std::string first_line(std::string_view message) {
  std::string_view line = message.substr(0, message.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
  return std::string(line);
}

} // namespace tollgate::gate
