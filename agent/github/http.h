#pragma once
// HTTP behind a narrow interface: libcurl in the agent, a fake in unit tests, the emulator in
// integration tests.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tollgate::github {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  long timeout_ms = 30000;
};

struct HttpResponse {
  int status = 0;            // 0 when the request did not complete
  Headers headers;           // names lower-cased
  std::string body;
  std::string transport_error; // curl's words when status is 0
  bool timed_out = false;

  std::optional<std::string> header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpTransport {
public:
  virtual ~HttpTransport() = default;
  virtual HttpResponse perform(const HttpRequest& request) = 0;
};

// One reused libcurl easy handle: keeps one connection alive to the API. TLS peer and host
// verification are always on; redirects are never followed by curl (the client decides).
// libcurl is loaded by the first perform() (util/libcurl.h): constructing one costs nothing.
class CurlTransport final : public HttpTransport {
public:
  CurlTransport();
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  HttpResponse perform(const HttpRequest& request) override;

private:
  void* m_curl = nullptr;
};

// "scheme://host[:port]" of a URL, lower-cased, with the default port made explicit, so two
// URLs can be compared for the same origin.
std::string origin_of(std::string_view url);

} // namespace tollgate::github
