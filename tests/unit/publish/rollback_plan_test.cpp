#include "publish/rollback_plan.h"
#include "support/fakes.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <regex>

using namespace tollgate;
using namespace tollgate::publish;
using tollgate::testing::FakeClock;
using tollgate::testing::FakeTransport;
using tollgate::testing::fake_client_config;

namespace {

// Deployments of one environment as the API lists them: newest (highest id) first, statuses
// newest first, `sha` filter and per_page honoured.
struct FakeDeployments {
  struct Entry {
    int64_t id;
    std::string sha;
    std::vector<std::pair<std::string, std::string>> statuses; // (state, description), oldest first
  };
  std::vector<Entry> entries; // oldest first

  int64_t add(std::string sha, std::vector<std::pair<std::string, std::string>> statuses) {
    const int64_t id = static_cast<int64_t>(entries.size()) + 1;
    entries.push_back({id, std::move(sha), std::move(statuses)});
    return id;
  }

  github::HttpResponse answer(const github::HttpRequest& r) const {
    std::smatch m;
    static const std::regex statuses_url(R"(/deployments/(\d+)/statuses\?per_page=(\d+))");
    if (std::regex_search(r.url, m, statuses_url)) {
      const auto& e = entries.at(std::stoll(m[1]) - 1);
      const size_t limit = std::stoul(m[2]);
      std::string body = "[";
      size_t n = 0;
      for (auto it = e.statuses.rbegin(); it != e.statuses.rend() && n < limit; ++it, ++n)
        body += fmt::format(R"({}{{"id":{},"state":"{}","description":"{}"}})", n ? "," : "",
                            e.id * 100 + static_cast<int64_t>(e.statuses.rend() - it), it->first,
                            it->second);
      return FakeTransport::reply(200, body + "]");
    }
    static const std::regex list_url(R"(/deployments\?environment=production(&sha=(\w+))?&per_page=(\d+))");
    if (std::regex_search(r.url, m, list_url)) {
      const std::string sha = m[2];
      const size_t limit = std::stoul(m[3]);
      std::string body = "[";
      size_t n = 0;
      for (auto it = entries.rbegin(); it != entries.rend() && n < limit; ++it) {
        if (!sha.empty() && it->sha != sha) continue;
        body += fmt::format(R"({}{{"id":{},"sha":"{}","ref":"main","environment":"production"}})",
                            n++ ? "," : "", it->id, it->sha);
      }
      return FakeTransport::reply(200, body + "]");
    }
    return FakeTransport::reply(404, R"({"message":"Not Found"})");
  }
};

struct Fixture {
  FakeTransport transport;
  FakeClock clock;
  FakeDeployments store;
  github::Client client{transport, clock, fake_client_config(), [] { return 0.0; }};
  Fixture() {
    transport.handler = [this](const github::HttpRequest& r) { return store.answer(r); };
  }
  std::string plan(const std::string& failing) {
    const auto d = plan_rollback(client, "/repos/o/r", "production", failing);
    return d ? d->sha : "";
  }
};

const std::vector<std::pair<std::string, std::string>> k_good = {{"in_progress", "Deploying"},
                                                                  {"success", "Deployed"}};
// What `probe --rollback-workflow` leaves on a deployment whose probes failed.
const std::vector<std::pair<std::string, std::string>> k_rolled_back = {
    {"in_progress", "Deploying"},
    {"failure", "Probes failed: /healthz; rollback claim 2001.1.ab12"},
    {"failure", "rollback dispatched tollgate-rb-2: run 3001"},
    {"failure", "Job failed"}};

} // namespace

TEST_SUITE("publish::rollback_plan") {
  TEST_CASE("the newest successful deployment on another commit is the one to roll back to") {
    Fixture f;
    f.store.add("good1", k_good);
    f.store.add("good2", k_good);
    f.store.add("bad", {{"in_progress", "Deploying"}, {"failure", "Probes failed"}});
    CHECK(f.plan("bad") == "good2");
    CHECK(f.plan("good2") == "good1");
  }

  TEST_CASE("the rollback run's own deployment of the bad commit, marked success by GitHub, is "
            "skipped however the job is configured") {
    Fixture f;
    f.store.add("good", k_good);
    f.store.add("bad", k_rolled_back);
    // The rollback job had `environment:` and ran on the bad commit: GitHub's record of it.
    f.store.add("bad", {{"success", ""}});
    // The next deploy fails too.
    f.store.add("bad2", {{"in_progress", "Deploying"}, {"failure", "Probes failed"}});
    CHECK(f.plan("bad2") == "good");
  }

  TEST_CASE("a deployment marked not deployed stays out even after GitHub marks it success") {
    Fixture f;
    f.store.add("good", k_good);
    f.store.add("head", {{"inactive", "tollgate: not deployed: this job deployed good"},
                         {"success", ""}});
    f.store.add("good", k_good); // the deployment that job created for the commit it deployed
    f.store.add("next", {{"failure", "Probes failed"}});
    CHECK(f.plan("next") == "good");
    // And when the redeploy is the newest good one, the marked record below it never surfaces.
    Fixture g;
    g.store.add("old", k_good);
    g.store.add("head", {{"inactive", "tollgate: not deployed: this job deployed old"},
                         {"success", ""}});
    CHECK(g.plan("other") == "old");
  }

  TEST_CASE("a successful deployment whose own history records a rollback does not count") {
    // continue-on-error on the probe: the job succeeded after the probes failed and rolled back.
    Fixture f;
    f.store.add("good", k_good);
    auto history = k_rolled_back;
    history.emplace_back("success", "");
    f.store.add("bad", history);
    CHECK(f.plan("next") == "good");
  }

  TEST_CASE("a commit that only failed, without a rollback, is judged by its latest status") {
    Fixture f;
    f.store.add("old", k_good);
    f.store.add("flaky", {{"failure", "Job failed"}});
    f.store.add("flaky", k_good); // a re-run of the job deployed it fine
    CHECK(f.plan("next") == "flaky");
  }

  TEST_CASE("nothing to roll back to") {
    Fixture f;
    f.store.add("bad", k_rolled_back);
    f.store.add("bad", {{"success", ""}});
    CHECK(f.plan("next").empty());
    Fixture empty;
    CHECK(empty.plan("x").empty());
  }

  TEST_CASE("the deployment GitHub made for a job that deploys another commit is found to mark") {
    Fixture f;
    f.store.add("good", k_good);
    f.store.add("head", {}); // created as the job started: no final status yet
    const auto mark = find_run_deployment_to_mark(f.client, "/repos/o/r", "production", "head", "good");
    CHECK(mark.deployment_id == 2);
    CHECK(mark.description.starts_with(k_not_deployed_marker));
    CHECK(mark.description.find("good") != std::string::npos);
    // Same commit: nothing to mark.
    CHECK(find_run_deployment_to_mark(f.client, "/repos/o/r", "production", "good", "good")
              .deployment_id == 0);
  }

  TEST_CASE("a finished deployment of the workflow's commit is someone else's and is not marked") {
    Fixture f;
    f.store.add("head", k_good); // deployed earlier and fine: no environment job made a new one
    CHECK(find_run_deployment_to_mark(f.client, "/repos/o/r", "production", "head", "old")
              .deployment_id == 0);
    Fixture g;
    g.store.add("head", {});
    g.store.add("other", {}); // the newest is not of the workflow's commit
    CHECK(find_run_deployment_to_mark(g.client, "/repos/o/r", "production", "head", "old")
              .deployment_id == 0);
  }
}
