#pragma once
// Fakes for the effects the agent hides behind interfaces: clock and HTTP transport.
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "github/client.h"
#include "github/http.h"
#include "util/clock.h"

namespace tollgate::testing {

// A client config for a fake API origin, with a short backoff so retries stay quick.
inline github::ClientConfig fake_client_config() {
  github::ClientConfig c;
  c.api_url = "https://api.example";
  c.token = "test-token";
  c.retry.base_delay_ms = 10;
  return c;
}

class FakeClock final : public util::Clock {
public:
  int64_t now_ms() override { return m_now_ms; }
  int64_t epoch_seconds() override { return 1'700'000'000 + m_now_ms / 1000; }
  void sleep_ms(int64_t ms) override {
    sleeps.push_back(ms);
    m_now_ms += ms;
  }
  std::vector<int64_t> sleeps;

private:
  int64_t m_now_ms = 0;
};

// Answers from a script, or from a handler; records every request.
class FakeTransport final : public github::HttpTransport {
public:
  github::HttpResponse perform(const github::HttpRequest& request) override {
    requests.push_back(request);
    if (handler) return handler(request);
    if (responses.empty()) return reply(500, "{}");
    auto r = responses.front();
    responses.pop_front();
    return r;
  }
  static github::HttpResponse reply(int status, std::string body, github::Headers headers = {}) {
    github::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
  }
  std::deque<github::HttpResponse> responses;
  std::vector<github::HttpRequest> requests;
  std::function<github::HttpResponse(const github::HttpRequest&)> handler;
};

} // namespace tollgate::testing
