#include "probe/probe_spec.h"

#include "probe/duration.h"
#include "util/text.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <re2/re2.h>

namespace tollgate::probe {

namespace {

constexpr std::string_view k_analysis_keys[] = {"initial-delay",
                                                "interval",
                                                "count",
                                                "timeout",
                                                "failure-limit",
                                                "consecutive-error-limit",
                                                "consecutive-success-limit",
                                                "inconclusive"};
constexpr std::string_view k_probe_keys[] = {
    "name",        "url",          "method",          "header",      "body",    "expect-status",
    "expect-body", "expect-regex", "expect-json",     "max-latency", "max-p50", "max-p95",
    "max-p99",     "tls-min-days", "allow-redirects", "cacert"};
// Certificate validity is checked in days; more than ten years ahead is a typo.
constexpr int k_max_tls_min_days = 3650;

std::optional<int> parse_int(std::string_view text, int lo, int hi) {
  text = util::trim(text);
  int v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi)
    return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view text) {
  text = util::trim(text);
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  return std::nullopt;
}

std::optional<std::string> set_duration(int64_t& field, std::string_view key,
                                        std::string_view value) {
  auto d = parse_duration(value);
  if (!d) return fmt::format("{}: {}", key, d.error());
  field = *d;
  return std::nullopt;
}

std::optional<std::string> set_int(int& field, std::string_view key, std::string_view value, int lo,
                                   int hi) {
  auto v = parse_int(value, lo, hi);
  if (!v) return fmt::format("{}: '{}' is not a whole number from {} to {}", key, value, lo, hi);
  field = *v;
  return std::nullopt;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

} // namespace

bool StatusSet::contains(int status) const {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const auto& r) { return status >= r.first && status <= r.second; });
}

util::Expected<StatusSet, std::string> parse_status_set(std::string_view text) {
  StatusSet set;
  set.ranges.clear();
  set.text = std::string(util::trim(text));
  std::string_view rest = set.text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = util::trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (item.size() == 3 && (item.substr(1) == "xx" || item.substr(1) == "XX") && item[0] >= '1' &&
        item[0] <= '5') {
      const int base = (item[0] - '0') * 100;
      set.ranges.emplace_back(base, base + 99);
      continue;
    }
    const auto dash = item.find('-');
    const auto lo = parse_int(item.substr(0, dash), 100, 599);
    const auto hi =
        dash == std::string_view::npos ? lo : parse_int(item.substr(dash + 1), 100, 599);
    if (!lo || !hi || *hi < *lo)
      return util::unexpected(fmt::format(
          "expect-status: '{}' is not a status code, range (200-299) or class (2xx)", item));
    set.ranges.emplace_back(*lo, *hi);
  }
  if (set.ranges.empty()) return util::unexpected(std::string("expect-status: no status given"));
  return set;
}

util::Expected<std::string, std::string> expand_env(std::string_view text, const EnvLookup& env) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out += text[i];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string_view::npos)
      return util::unexpected(std::string("an unterminated ${ reference"));
    const std::string name(text.substr(i + 2, close - i - 2));
    const bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                       });
    if (!valid)
      return util::unexpected(fmt::format("'${{{}}}' is not an environment variable name", name));
    auto value = env(name);
    if (!value) return util::unexpected(fmt::format("environment variable {} is not set", name));
    out += *value;
    i = close;
  }
  return out;
}

bool is_analysis_key(std::string_view key) {
  return std::find(std::begin(k_analysis_keys), std::end(k_analysis_keys), key) !=
         std::end(k_analysis_keys);
}

std::vector<std::string_view> analysis_keys() { return {std::begin(k_analysis_keys), std::end(k_analysis_keys)}; }

std::vector<std::string_view> probe_keys() { return {std::begin(k_probe_keys), std::end(k_probe_keys)}; }

bool is_probe_key(std::string_view key) {
  return std::find(std::begin(k_probe_keys), std::end(k_probe_keys), key) != std::end(k_probe_keys);
}

std::optional<std::string> apply_analysis_key(AnalysisPolicy& p, std::string_view key,
                                              std::string_view value) {
  if (key == "initial-delay") return set_duration(p.initial_delay_ms, key, value);
  if (key == "interval") return set_duration(p.interval_ms, key, value);
  if (key == "timeout") return set_duration(p.timeout_ms, key, value);
  if (key == "count") return set_int(p.count, key, value, 1, 100000);
  if (key == "failure-limit") return set_int(p.failure_limit, key, value, 0, 100000);
  if (key == "consecutive-error-limit")
    return set_int(p.consecutive_error_limit, key, value, 0, 100000);
  if (key == "consecutive-success-limit")
    return set_int(p.consecutive_success_limit, key, value, 0, 100000);
  if (key == "inconclusive") {
    const auto v = util::trim(value);
    if (v != "pass" && v != "fail")
      return fmt::format("inconclusive: '{}' is neither fail nor pass", value);
    p.inconclusive_passes = v == "pass";
    return std::nullopt;
  }
  return fmt::format("unknown analysis key '{}'", key);
}

std::optional<std::string> apply_probe_key(ProbeSpec& s, std::string_view key,
                                           std::string_view value, const EnvLookup& env) {
  auto expanded = [&](std::string& field) -> std::optional<std::string> {
    auto v = expand_env(value, env);
    if (!v) return fmt::format("{}: {}", key, v.error());
    field = std::move(*v);
    return std::nullopt;
  };
  if (key == "name") {
    s.name = std::string(util::trim(value));
    return std::nullopt;
  }
  if (key == "url") {
    s.shown_url = std::string(util::trim(value));
    if (s.name.empty()) s.name = s.shown_url;
    return expanded(s.url);
  }
  if (key == "method") {
    s.method = std::string(util::trim(value));
    std::transform(s.method.begin(), s.method.end(), s.method.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (s.method.empty() || !std::all_of(s.method.begin(), s.method.end(), is_token_char))
      return fmt::format("method: '{}' is not an HTTP method", value);
    return std::nullopt;
  }
  if (key == "header") {
    const auto colon = value.find(':');
    const std::string name(util::trim(value.substr(0, colon)));
    if (colon == std::string_view::npos || name.empty() ||
        !std::all_of(name.begin(), name.end(), is_token_char))
      return std::string("header: write it as 'Name: value'");
    auto v = expand_env(util::trim(value.substr(colon + 1)), env);
    if (!v) return fmt::format("header {}: {}", name, v.error());
    if (v->find_first_of("\r\n") != std::string::npos)
      return fmt::format("header {}: the value has a line break", name);
    s.headers.emplace_back(name, std::move(*v));
    return std::nullopt;
  }
  if (key == "body") return expanded(s.body);
  if (key == "expect-status") {
    auto set = parse_status_set(value);
    if (!set) return set.error();
    s.expect_status = std::move(*set);
    return std::nullopt;
  }
  if (key == "expect-body") {
    s.expect_body.emplace_back(value);
    return std::nullopt;
  }
  if (key == "expect-regex") {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(re2::StringPiece(value.data(), value.size()), options);
    if (!re->ok()) return fmt::format("expect-regex: '{}': {}", value, re->error());
    s.expect_regex.push_back(std::move(re));
    return std::nullopt;
  }
  if (key == "expect-json") {
    auto e = parse_json_expectation(value);
    if (!e) return "expect-json: " + e.error();
    s.expect_json.push_back(std::move(*e));
    return std::nullopt;
  }
  if (key == "max-latency") return set_duration(s.max_latency_ms, key, value);
  if (key == "max-p50") return set_duration(s.max_p50_ms, key, value);
  if (key == "max-p95") return set_duration(s.max_p95_ms, key, value);
  if (key == "max-p99") return set_duration(s.max_p99_ms, key, value);
  if (key == "tls-min-days") return set_int(s.tls_min_days, key, value, 0, k_max_tls_min_days);
  if (key == "allow-redirects") {
    auto b = parse_bool(value);
    if (!b) return fmt::format("allow-redirects: '{}' is not true or false", value);
    s.allow_redirects = *b;
    return std::nullopt;
  }
  if (key == "cacert") {
    s.ca_file = std::string(util::trim(value));
    return std::nullopt;
  }
  return fmt::format("unknown probe key '{}'", key);
}

std::optional<std::string> validate(const ProbeSpec& s) {
  if (s.url.empty()) return fmt::format("probe '{}' has no url", s.name);
  const bool http = util::starts_with(s.url, "http://") || util::starts_with(s.url, "https://");
  if (!http) return fmt::format("probe '{}': only http:// and https:// URLs can be probed", s.name);
  if (s.tls_min_days > 0 && !util::starts_with(s.url, "https://"))
    return fmt::format("probe '{}': tls-min-days needs an https:// URL", s.name);
  if (auto e = validate(s.policy)) return fmt::format("probe '{}': {}", s.name, *e);
  return std::nullopt;
}

} // namespace tollgate::probe
