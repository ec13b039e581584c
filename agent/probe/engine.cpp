#include "probe/engine.h"

#include "probe/certificate.h"
#include "probe/expectations.h"
#include "util/libcurl.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <curl/curl.h>
#include <fmt/format.h>
#include <map>
#include <memory>

namespace tollgate::probe {

namespace {

// Longest wait in one poll, so the loop notices due samples even if curl asks for none.
constexpr int k_max_poll_ms = 1000;
// Transport error text from curl is cut to this many bytes in reasons.
constexpr size_t k_error_text_bytes = 200;

// One probe's transfer state: the easy handle is reused for every sample and hop, so the
// connection to the target is kept alive between samples.
struct Probe {
  const ProbeSpec* spec = nullptr;
  Analysis analysis;
  std::vector<Sample> samples;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  // The sample in flight.
  int64_t sample_start_ms = 0;
  std::string url;
  std::string method;
  bool with_headers = true;
  int hops = 0;
  double latency_ms = 0;
  std::string body;
  bool truncated = false;
  char error[CURL_ERROR_SIZE] = {};

  Probe(const ProbeSpec& s, int64_t start_ms) : spec(&s), analysis(s.policy, start_ms) {}
  ~Probe() {
    if (easy) util::libcurl().easy_cleanup(easy);
    if (headers) util::libcurl().slist_free_all(headers);
  }
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* p = static_cast<Probe*>(user);
  const size_t n = size * count;
  const size_t room = k_max_probe_body_bytes - std::min(k_max_probe_body_bytes, p->body.size());
  p->body.append(data, std::min(n, room));
  if (n > room) p->truncated = true;
  return n;
}

bool has_header(const ProbeSpec& spec, std::string_view name) {
  return std::any_of(spec.headers.begin(), spec.headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           std::equal(h.first.begin(), h.first.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

void configure_hop(Probe& p, int64_t remaining_ms) {
  const util::Libcurl& curl = util::libcurl();
  CURL* e = p.easy;
  curl.easy_reset(e);
  if (p.headers) curl.slist_free_all(p.headers);
  p.headers = nullptr;
  p.error[0] = '\0';
  const ProbeSpec& spec = *p.spec;
  curl.easy_setopt(e, CURLOPT_PRIVATE, &p);
  curl.easy_setopt(e, CURLOPT_URL, p.url.c_str());
  curl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!spec.ca_file.empty()) curl.easy_setopt(e, CURLOPT_CAINFO, spec.ca_file.c_str());
  if (util::starts_with(p.url, "https://")) curl.easy_setopt(e, CURLOPT_CERTINFO, 1L);
  curl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, remaining_ms)));
  curl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::max<int64_t>(1, remaining_ms)));
  curl.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl.easy_setopt(e, CURLOPT_ERRORBUFFER, p.error);
  curl.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl.easy_setopt(e, CURLOPT_WRITEDATA, &p);
  // The probe's own headers go only to its own origin; nothing else is ever added (no token).
  if (p.with_headers) {
    for (const auto& [k, v] : spec.headers)
      p.headers = curl.slist_append(p.headers, (k + ": " + v).c_str());
  }
  if (!p.with_headers || !has_header(spec, "User-Agent"))
    p.headers = curl.slist_append(p.headers, "User-Agent: tollgate-probe/" TOLLGATE_VERSION);
  p.headers = curl.slist_append(p.headers, "Expect:");
  curl.easy_setopt(e, CURLOPT_HTTPHEADER, p.headers);
  if (p.method == "GET") {
    curl.easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (p.method == "HEAD") {
    curl.easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    curl.easy_setopt(e, CURLOPT_CUSTOMREQUEST, p.method.c_str());
    if (!spec.body.empty() || p.method == "POST" || p.method == "PUT" || p.method == "PATCH") {
      curl.easy_setopt(e, CURLOPT_POSTFIELDS, spec.body.c_str());
      curl.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body.size()));
    }
  }
}

std::string transport_reason(CURLcode rc, const Probe& p, int64_t timeout_ms) {
  std::string detail = p.error[0] ? std::string(p.error) : std::string(util::libcurl().easy_strerror(rc));
  detail = util::truncate_utf8(util::sanitize_utf8(util::trim(detail)), k_error_text_bytes);
  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT:
    return fmt::format("timed out after {} ms", timeout_ms);
  case CURLE_COULDNT_CONNECT:
    return "connection failed: " + detail;
  case CURLE_COULDNT_RESOLVE_HOST:
    return "DNS: " + detail;
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
    return "connection reset: " + detail;
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_INVALIDCERTSTATUS:
    return "TLS: " + detail;
  default:
    return detail;
  }
}

std::optional<int64_t> leaf_expiry(CURL* easy) {
  const util::Libcurl& curl = util::libcurl();
  curl_certinfo* info = nullptr;
  if (curl.easy_getinfo(easy, CURLINFO_CERTINFO, &info) != CURLE_OK || !info ||
      info->num_of_certs < 1)
    return std::nullopt;
  for (curl_slist* item = info->certinfo[0]; item; item = item->next) {
    const std::string_view field(item->data);
    if (util::starts_with(field, "Cert:")) return certificate_not_after(field.substr(5));
  }
  return std::nullopt;
}

class Engine {
public:
  Engine(util::Clock& clock, const SampleObserver& observer)
      : m_clock(clock), m_observer(observer), m_curl(util::libcurl()) {
    m_multi = m_curl.multi_init();
  }
  ~Engine() {
    for (auto& p : m_probes) {
      if (p->easy) m_curl.multi_remove_handle(m_multi, p->easy);
    }
    m_probes.clear();
    m_curl.multi_cleanup(m_multi);
  }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  std::vector<ProbeResult> run(const std::vector<ProbeSpec>& specs) {
    m_start_ms = m_clock.now_ms();
    for (const auto& spec : specs) {
      auto p = std::make_unique<Probe>(spec, m_start_ms);
      p->easy = m_curl.easy_init();
      m_probes.push_back(std::move(p));
    }
    for (;;) {
      const int64_t now = m_clock.now_ms();
      std::optional<int64_t> next_due;
      bool busy = false;
      for (auto& p : m_probes) {
        auto due = p->analysis.next_start_ms();
        if (due && *due <= now) {
          start_sample(*p, now);
          due.reset();
        }
        if (due) next_due = next_due ? std::min(*next_due, *due) : *due;
        busy = busy || p->analysis.verdict() == Verdict::running;
      }
      if (!busy) break;
      int running = 0;
      m_curl.multi_perform(m_multi, &running);
      collect_finished();
      int wait_ms = k_max_poll_ms;
      if (next_due)
        wait_ms =
            static_cast<int>(std::clamp<int64_t>(*next_due - m_clock.now_ms(), 0, k_max_poll_ms));
      if (m_finished_since_poll) wait_ms = 0; // a finished sample may make the next one due now
      m_finished_since_poll = false;
      if (wait_ms > 0 || running > 0) m_curl.multi_poll(m_multi, nullptr, 0, wait_ms, nullptr);
    }
    std::vector<ProbeResult> results;
    for (auto& p : m_probes)
      results.push_back(summarize(*p->spec, p->analysis, std::move(p->samples)));
    return results;
  }

private:
  void start_sample(Probe& p, int64_t now) {
    p.analysis.on_started(now);
    p.sample_start_ms = now;
    p.url = p.spec->url;
    p.method = p.spec->method;
    p.with_headers = true;
    p.hops = 0;
    p.latency_ms = 0;
    p.body.clear();
    p.truncated = false;
    start_hop(p);
  }

  void start_hop(Probe& p) {
    const int64_t remaining = p.spec->policy.timeout_ms - (m_clock.now_ms() - p.sample_start_ms);
    configure_hop(p, remaining);
    m_curl.multi_add_handle(m_multi, p.easy);
  }

  void collect_finished() {
    int left = 0;
    while (CURLMsg* msg = m_curl.multi_info_read(m_multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Probe* p = nullptr;
      m_curl.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
      const CURLcode rc = msg->data.result;
      m_curl.multi_remove_handle(m_multi, msg->easy_handle);
      if (p) on_hop_done(*p, rc);
    }
  }

  void on_hop_done(Probe& p, CURLcode rc) {
    curl_off_t total_us = 0;
    m_curl.easy_getinfo(p.easy, CURLINFO_TOTAL_TIME_T, &total_us);
    p.latency_ms += static_cast<double>(total_us) / 1000.0;
    if (rc != CURLE_OK) {
      finish(p, SampleKind::error, 0, transport_reason(rc, p, p.spec->policy.timeout_ms));
      return;
    }
    long status = 0;
    m_curl.easy_getinfo(p.easy, CURLINFO_RESPONSE_CODE, &status);
    const std::string origin = url_origin(p.url);
    if (auto expiry = leaf_expiry(p.easy)) m_cert_expiry[origin] = *expiry;

    const char* location = nullptr;
    m_curl.easy_getinfo(p.easy, CURLINFO_REDIRECT_URL, &location);
    const bool redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (redirect && location && *location) {
      const std::string next(location);
      const bool same_origin = url_origin(next) == url_origin(p.spec->url);
      if (!same_origin && !p.spec->allow_redirects) {
        finish(
            p, SampleKind::failure, static_cast<int>(status),
            fmt::format("redirected to another origin ({}); not followed without allow-redirects",
                        util::truncate_utf8(util::sanitize_utf8(url_origin(next)), 120)));
        return;
      }
      if (p.hops >= k_max_redirects) {
        finish(p, SampleKind::failure, static_cast<int>(status),
               fmt::format("more than {} redirects", k_max_redirects));
        return;
      }
      ++p.hops;
      p.url = next;
      // Headers may carry credentials: they go only to the probe's own origin.
      p.with_headers = same_origin;
      if (status == 303 || ((status == 301 || status == 302) && p.method == "POST"))
        p.method = "GET";
      p.body.clear();
      p.truncated = false;
      start_hop(p);
      return;
    }

    Answer answer;
    answer.status = static_cast<int>(status);
    answer.body = std::move(p.body);
    answer.body_truncated = p.truncated;
    answer.latency_ms = p.latency_ms;
    if (util::starts_with(p.url, "https://")) {
      if (auto it = m_cert_expiry.find(origin); it != m_cert_expiry.end())
        answer.cert_not_after = it->second;
    }
    const auto reasons = check_answer(*p.spec, answer, m_clock.epoch_seconds());
    std::string reason;
    for (const auto& r : reasons)
      reason += (reason.empty() ? "" : "; ") + util::sanitize_utf8(r);
    finish(p, reasons.empty() ? SampleKind::success : SampleKind::failure, answer.status,
           std::move(reason));
  }

  void finish(Probe& p, SampleKind kind, int status, std::string reason) {
    Sample s;
    s.index = static_cast<int>(p.samples.size()) + 1;
    s.started_ms = p.sample_start_ms - m_start_ms;
    s.kind = kind;
    s.status = status;
    s.latency_ms = p.latency_ms;
    s.reason = std::move(reason);
    p.analysis.on_finished(kind);
    p.samples.push_back(s);
    m_finished_since_poll = true;
    if (m_observer) m_observer(*p.spec, p.samples.back(), p.analysis);
  }

  util::Clock& m_clock;
  const SampleObserver& m_observer;
  // libcurl, loaded when the first engine starts (util/libcurl.h).
  const util::Libcurl& m_curl;
  CURLM* m_multi = nullptr;
  int64_t m_start_ms = 0;
  bool m_finished_since_poll = false;
  std::vector<std::unique_ptr<Probe>> m_probes;
  // Leaf certificate expiry per origin, from the handshake: a reused connection reports none.
  std::map<std::string, int64_t> m_cert_expiry;
};

} // namespace

std::string url_origin(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string scheme(url.substr(0, scheme_end));
  auto rest = url.substr(scheme_end + 3);
  std::string authority(rest.substr(0, rest.find_first_of("/?#")));
  if (const auto at = authority.rfind('@'); at != std::string::npos)
    authority = authority.substr(at + 1);
  auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  };
  lower(scheme);
  lower(authority);
  const auto colon = authority.rfind(':');
  const bool has_port = colon != std::string::npos && authority.back() != ']' &&
                        authority.find(']', colon) == std::string::npos;
  if (!has_port) authority += scheme == "https" ? ":443" : ":80";
  return scheme + "://" + authority;
}

std::vector<ProbeResult> run_probes(const std::vector<ProbeSpec>& specs, util::Clock& clock,
                                    const SampleObserver& on_sample) {
  Engine engine(clock, on_sample);
  return engine.run(specs);
}

} // namespace tollgate::probe
