#pragma once
// What one probe asks of its target, and how its samples are judged. Built from command-line
// options or from the config's `probes:` list through the same key/value setters, so a key means
// the same in both places.
#include "probe/json_expectation.h"
#include "probe/policy.h"
#include "util/expected.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace tollgate::probe {

// Expected status codes: "200", "200,204", "2xx", "200-299", "2xx,304".
struct StatusSet {
  std::vector<std::pair<int, int>> ranges{{200, 299}};
  std::string text = "2xx";
  bool contains(int status) const;
};
util::Expected<StatusSet, std::string> parse_status_set(std::string_view text);

struct ProbeSpec {
  std::string name;
  std::string url;       // with environment references expanded
  std::string shown_url; // as written: what logs and summaries show (no expanded secrets)
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers; // values expanded; never printed
  std::string body;
  StatusSet expect_status;
  std::vector<std::string> expect_body; // substrings that must all occur
  std::vector<std::shared_ptr<const re2::RE2>>
      expect_regex; // RE2 patterns that must all match somewhere
  std::vector<JsonExpectation> expect_json;
  int64_t max_latency_ms = 0;                             // per sample; 0 = no limit
  int64_t max_p50_ms = 0, max_p95_ms = 0, max_p99_ms = 0; // over the samples that got an answer
  int tls_min_days = 0;         // the leaf certificate must stay valid at least this many days
  bool allow_redirects = false; // follow redirects to other origins too
  std::string ca_file;          // PEM bundle trusted instead of the system store
  AnalysisPolicy policy;
};

// Looks an environment variable up (ProcessEnvironment in the agent, a map in tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Expands ${NAME} references from the environment; "$$" is a literal "$". A reference to an
// unset variable is an error naming the variable (never its value).
util::Expected<std::string, std::string> expand_env(std::string_view text, const EnvLookup& env);

// The analysis keys: initial-delay, interval, count, timeout, failure-limit,
// consecutive-error-limit, consecutive-success-limit, inconclusive (fail|pass). Returns an error
// for a bad value; nothing when applied. Unknown keys are reported by is_analysis_key.
bool is_analysis_key(std::string_view key);
std::vector<std::string_view> analysis_keys();
std::optional<std::string> apply_analysis_key(AnalysisPolicy& policy, std::string_view key,
                                              std::string_view value);

// The probe keys: name, url, method, header ("Name: value"), body, expect-status, expect-body,
// expect-regex, expect-json, max-latency, max-p50, max-p95, max-p99, tls-min-days,
// allow-redirects, cacert. Repeatable keys (header, expect-*) add.
bool is_probe_key(std::string_view key);
std::vector<std::string_view> probe_keys();
std::optional<std::string> apply_probe_key(ProbeSpec& spec, std::string_view key,
                                           std::string_view value, const EnvLookup& env);

// The checks that need the whole spec (a URL is given, http(s) only, the policy can work).
std::optional<std::string> validate(const ProbeSpec& spec);

} // namespace tollgate::probe
