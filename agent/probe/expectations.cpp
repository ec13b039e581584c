#include "probe/expectations.h"

#include "util/json.h"
#include "util/text.h"

#include <fmt/format.h>
#include <re2/re2.h>

namespace tollgate::probe {

namespace {

constexpr double k_seconds_per_day = 86400.0;

} // namespace

double days_left(int64_t not_after_epoch_s, int64_t now_epoch_s) {
  return static_cast<double>(not_after_epoch_s - now_epoch_s) / k_seconds_per_day;
}

std::vector<std::string> check_answer(const ProbeSpec& spec, const Answer& answer,
                                      int64_t now_epoch_s) {
  std::vector<std::string> reasons;
  if (!spec.expect_status.contains(answer.status))
    reasons.push_back(fmt::format("status {} not in {}", answer.status, spec.expect_status.text));
  if (spec.max_latency_ms > 0 && answer.latency_ms > static_cast<double>(spec.max_latency_ms))
    reasons.push_back(
        fmt::format("took {:.0f} ms > max-latency {} ms", answer.latency_ms, spec.max_latency_ms));
  for (const auto& needle : spec.expect_body) {
    if (answer.body.find(needle) == std::string::npos)
      reasons.push_back(fmt::format("body does not contain \"{}\"{}",
                                    util::truncate_utf8(needle, 80),
                                    answer.body_truncated ? " (in its first bytes)" : ""));
  }
  for (const auto& re : spec.expect_regex) {
    if (!RE2::PartialMatch(re2::StringPiece(answer.body.data(), answer.body.size()), *re))
      reasons.push_back(
          fmt::format("body does not match /{}/", util::truncate_utf8(re->pattern(), 80)));
  }
  if (!spec.expect_json.empty()) {
    auto doc = util::parse_json(answer.body);
    if (!doc) {
      reasons.push_back(
          fmt::format("body is not JSON ({} at line {})", doc.error().message, doc.error().line));
    } else {
      for (const auto& e : spec.expect_json) {
        if (auto why = check_json_expectation(e, *doc)) reasons.push_back(std::move(*why));
      }
    }
  }
  if (spec.tls_min_days > 0) {
    if (!answer.cert_not_after) {
      reasons.push_back("the certificate's expiry could not be read");
    } else {
      const double left = days_left(*answer.cert_not_after, now_epoch_s);
      if (left < spec.tls_min_days)
        reasons.push_back(fmt::format("certificate expires in {:.1f} days < tls-min-days {}", left,
                                      spec.tls_min_days));
    }
  }
  return reasons;
}

std::optional<std::string> check_percentiles(const ProbeSpec& spec, const LatencyPercentiles& p) {
  std::vector<std::string> over;
  auto check = [&](const char* name, const std::optional<double>& value, int64_t limit) {
    if (limit > 0 && value && *value > static_cast<double>(limit))
      over.push_back(fmt::format("{} {:.0f} ms > max-{} {} ms", name, *value, name, limit));
  };
  check("p50", p.p50, spec.max_p50_ms);
  check("p95", p.p95, spec.max_p95_ms);
  check("p99", p.p99, spec.max_p99_ms);
  if (over.empty()) return std::nullopt;
  std::string text = over[0];
  for (size_t i = 1; i < over.size(); ++i)
    text += "; " + over[i];
  return text;
}

} // namespace tollgate::probe
