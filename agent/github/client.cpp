#include "github/client.h"

#include <fmt/format.h>
#include <iostream>

#include "github/link_header.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::github {

namespace {

constexpr int k_max_redirects = 5;

std::string message_of(const HttpResponse& response) {
  auto doc = util::parse_json(response.body);
  if (doc && doc->IsObject()) {
    if (auto m = util::string_member(*doc, "message")) return util::truncate_utf8(*m, 500);
  }
  return util::truncate_utf8(util::trim(response.body), 200);
}

ApiResponse to_api_response(HttpResponse&& http) {
  ApiResponse out;
  out.status = http.status;
  out.headers = std::move(http.headers);
  if (!http.body.empty()) {
    auto doc = util::parse_json(http.body);
    if (doc) out.json = std::move(*doc);
  }
  return out;
}

// The path of a URL without query, for log lines (never the host, never a token).
std::string path_for_log(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find('?', slash) - slash);
}

} // namespace

std::optional<std::string> ApiResponse::header(std::string_view name) const {
  HttpResponse tmp;
  tmp.headers = headers;
  return tmp.header(name);
}

ApiError::ApiError(std::string what, int status, std::string message)
    : util::GithubError(std::move(what)), m_status(status), m_message(std::move(message)) {}

bool ApiError::is_permission_error() const { return m_status == 401 || m_status == 403; }

Client::Client(HttpTransport& transport, util::Clock& clock, ClientConfig config, Jitter jitter)
    : m_transport(transport), m_clock(clock), m_config(std::move(config)), m_jitter(std::move(jitter)) {
  while (!m_config.api_url.empty() && m_config.api_url.back() == '/') m_config.api_url.pop_back();
  m_origin = origin_of(m_config.api_url);
}

std::string Client::absolute_url(const std::string& path_or_url) const {
  if (path_or_url.find("://") == std::string::npos) return m_config.api_url + path_or_url;
  if (origin_of(path_or_url) != m_origin)
    throw ApiError("refusing to send the token to a URL outside the API origin", 0, "");
  return path_or_url;
}

HttpResponse Client::send(const std::string& method, std::string url, const std::string& body) {
  for (int redirect = 0;; ++redirect) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.timeout_ms = m_config.request_timeout_ms;
    request.headers = {{"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", k_api_version},
                       {"User-Agent", "tollgate/" TOLLGATE_VERSION}};
    // The token goes only to the API origin: checked on every hop.
    if (!m_config.token.empty() && origin_of(url) == m_origin)
      request.headers.emplace_back("Authorization", "Bearer " + m_config.token);
    if (method != "GET" && method != "DELETE") {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body;
    }
    ++m_requests_sent;
    HttpResponse response = m_transport.perform(request);
    const bool redirected = response.status == 301 || response.status == 302 || response.status == 307 ||
                            response.status == 308;
    if (!redirected) return response;
    auto location = response.header("location");
    if (!location || redirect >= k_max_redirects) return response;
    std::string next = *location;
    if (next.find("://") == std::string::npos) next = origin_of(url) + next;
    if (origin_of(next) != m_origin)
      throw ApiError(fmt::format("{} {} was redirected to another host; not following with the token", method,
                                 path_for_log(url)),
                     response.status, "");
    // 301/302 on a write would turn it into GET in browsers; GitHub uses 307/308 for writes.
    if ((response.status == 301 || response.status == 302) && method != "GET") return response;
    url = std::move(next);
  }
}

ApiResponse Client::execute(const std::string& method, const std::string& path_or_url, const std::string& body,
                            bool idempotent, const AppliedLookup* applied) {
  const std::string url = absolute_url(path_or_url);
  const int64_t start = m_clock.now_ms();
  for (int attempt = 1;; ++attempt) {
    HttpResponse response = send(method, url, body);
    if (response.ok()) return to_api_response(std::move(response));
    const RetryDecision d = decide_retry(m_config.retry, attempt, response, m_clock.now_ms() - start,
                                         m_clock.epoch_seconds(), m_jitter());
    if (!d.retry) {
      const std::string api_message = message_of(response);
      throw ApiError(fmt::format("{} {}: {}{}", method, path_for_log(url), d.reason,
                                 api_message.empty() ? "" : ": " + api_message),
                     response.status, api_message);
    }
    std::cerr << fmt::format("tollgate: {} {}: {}; retrying in {:.1f} s\n", method, path_for_log(url), d.reason,
                             static_cast<double>(d.wait_ms) / 1000.0);
    m_clock.sleep_ms(d.wait_ms);
    if (!idempotent && d.may_have_applied && applied && *applied) {
      if (auto existing = (*applied)()) {
        std::cerr << fmt::format("tollgate: {} {} had been applied; not sending it again\n", method, path_for_log(url));
        return std::move(*existing);
      }
    }
  }
}

ApiResponse Client::get(const std::string& path_or_url) { return execute("GET", path_or_url, "", true, nullptr); }

std::vector<rapidjson::Document> Client::get_all(const std::string& path, const char* items_key, size_t max_pages) {
  std::vector<rapidjson::Document> items;
  std::string next = path;
  for (size_t page = 0; page < max_pages && !next.empty(); ++page) {
    ApiResponse response = get(next);
    const rapidjson::Value* list = &response.json;
    if (items_key) list = util::member(response.json, items_key);
    if (list && list->IsArray()) {
      for (auto& item : list->GetArray()) {
        rapidjson::Document d;
        d.CopyFrom(item, d.GetAllocator());
        items.push_back(std::move(d));
      }
    }
    const auto link = response.header("link");
    next = link ? next_page_url(*link).value_or("") : "";
  }
  return items;
}

ApiResponse Client::write_idempotent(const std::string& method, const std::string& path, const std::string& body) {
  return execute(method, path, body, true, nullptr);
}

ApiResponse Client::write_once(const std::string& method, const std::string& path, const std::string& body,
                               const AppliedLookup& applied) {
  return execute(method, path, body, false, &applied);
}

} // namespace tollgate::github
