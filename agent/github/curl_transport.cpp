#include <algorithm>
#include <cctype>
#include <curl/curl.h>

#include "github/http.h"
#include "util/error.h"
#include "util/libcurl.h"

namespace tollgate::github {

namespace {

// Largest response body accepted from the API; a larger answer is an error, not an allocation.
constexpr size_t k_max_response_bytes = 64 * 1024 * 1024;

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const size_t n = size * count;
  if (response->body.size() + n > k_max_response_bytes) return 0;
  response->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    response->headers.clear(); // a new response (after 100-continue)
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  response->headers.emplace_back(std::move(name), std::string(value));
  return n;
}

} // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return v;
  }
  return std::nullopt;
}

CurlTransport::CurlTransport() = default;

CurlTransport::~CurlTransport() {
  if (m_curl) util::libcurl().easy_cleanup(static_cast<CURL*>(m_curl));
}

HttpResponse CurlTransport::perform(const HttpRequest& request) {
  // libcurl is loaded by the first request, never by a run that makes none.
  const util::Libcurl& lib = util::libcurl();
  if (!m_curl) m_curl = lib.easy_init();
  if (!m_curl) throw util::GithubError("curl_easy_init failed");
  CURL* curl = static_cast<CURL*>(m_curl);
  HttpResponse response;
  lib.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(request.timeout_ms, 10000L));
  lib.easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  lib.easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  lib.easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "GET") {
    lib.easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);
  } else if (request.method == "HEAD") {
    lib.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    lib.easy_setopt(curl, CURLOPT_NOBODY, 0L);
    lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) headers = lib.slist_append(headers, (k + ": " + v).c_str());
  headers = lib.slist_append(headers, "Expect:");
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  const CURLcode rc = lib.easy_perform(curl);
  lib.slist_free_all(headers);
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  lib.easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
  if (rc != CURLE_OK) {
    response.status = 0;
    response.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    response.transport_error = lib.easy_strerror(rc);
    response.body.clear();
    return response;
  }
  long status = 0;
  lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

std::string origin_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string scheme(url.substr(0, scheme_end));
  auto rest = url.substr(scheme_end + 3);
  const auto end = rest.find_first_of("/?#");
  std::string authority(rest.substr(0, end));
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  std::transform(authority.begin(), authority.end(), authority.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool has_port = authority.rfind(':') != std::string::npos && authority.back() != ']';
  if (!has_port) authority += scheme == "https" ? ":443" : ":80";
  return scheme + "://" + authority;
}

} // namespace tollgate::github
