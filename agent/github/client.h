#pragma once
// The GitHub REST client: headers, authentication confined to the API origin, same-origin
// redirects, pagination, retries with backoff, and writes that a retry cannot duplicate.
#include <functional>
#include <optional>
#include <rapidjson/document.h>
#include <string>
#include <vector>

#include "github/http.h"
#include "github/retry_policy.h"
#include "util/clock.h"
#include "util/error.h"

namespace tollgate::github {

// GitHub's REST API version this client is written against.
constexpr const char* k_api_version = "2022-11-28";

struct ClientConfig {
  std::string api_url = "https://api.github.com";
  std::string token;
  RetryPolicy retry;
  long request_timeout_ms = 30000;
};

struct ApiResponse {
  int status = 0;
  Headers headers;
  rapidjson::Document json; // Null when the body was empty or not JSON
  std::optional<std::string> header(std::string_view name) const;
};

// A request GitHub refused, or that retries did not get through. Exit status 3 unless the
// caller handles it (a permission error falls back to workflow commands).
class ApiError : public util::GithubError {
public:
  ApiError(std::string what, int status, std::string message);
  int status() const { return m_status; }
  const std::string& api_message() const { return m_message; }
  // 401, or a 403 that is not a rate limit ("Resource not accessible by integration").
  bool is_permission_error() const;

private:
  int m_status;
  std::string m_message;
};

class Client {
public:
  using Jitter = std::function<double()>;
  Client(HttpTransport& transport, util::Clock& clock, ClientConfig config, Jitter jitter);

  // GET with retries. path_or_url is "/repos/…" or an absolute URL on the API origin.
  ApiResponse get(const std::string& path_or_url);
  // Every page of a list, following Link rel="next". For endpoints that wrap the list in an
  // object (check runs, workflow runs, jobs), items_key names the array ("check_runs").
  std::vector<rapidjson::Document> get_all(const std::string& path, const char* items_key = nullptr,
                                           size_t max_pages = 100);

  // A write that repeating does not change (PATCH of fields, PUT, DELETE): retried freely.
  ApiResponse write_idempotent(const std::string& method, const std::string& path, const std::string& body);

  // A write that a retry could duplicate (create a check run, a comment, a status, a dispatch;
  // append annotations). After a failure that may have been applied, `applied` is asked whether
  // the write is already there; if so its answer is the result and nothing is sent again.
  using AppliedLookup = std::function<std::optional<ApiResponse>()>;
  ApiResponse write_once(const std::string& method, const std::string& path, const std::string& body,
                         const AppliedLookup& applied);

  const ClientConfig& config() const { return m_config; }
  int requests_sent() const { return m_requests_sent; }

private:
  ApiResponse execute(const std::string& method, const std::string& path_or_url, const std::string& body,
                      bool idempotent, const AppliedLookup* applied);
  HttpResponse send(const std::string& method, std::string url, const std::string& body);
  std::string absolute_url(const std::string& path_or_url) const;

  HttpTransport& m_transport;
  util::Clock& m_clock;
  ClientConfig m_config;
  Jitter m_jitter;
  std::string m_origin;
  int m_requests_sent = 0;
};

} // namespace tollgate::github
