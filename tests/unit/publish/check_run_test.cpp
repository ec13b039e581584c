#include <doctest/doctest.h>

#include "publish/check_run.h"
#include "publish/commit_status.h"
#include "publish/limits.h"
#include "support/fakes.h"
#include "util/json.h"
#include "util/text.h"

using namespace tollgate;
using namespace tollgate::publish;
using tollgate::testing::FakeClock;
using tollgate::testing::FakeTransport;

namespace {

model::Outcome outcome_with(size_t findings) {
  model::Outcome o;
  o.check_name = "Tests";
  o.status_context = "tollgate/tests";
  o.title = "t";
  o.summary = "s";
  o.conclusion = model::Conclusion::failure;
  for (size_t i = 0; i < findings; ++i) {
    model::Finding f;
    f.path = "src/a.py";
    f.start_line = static_cast<int>(i + 1);
    f.end_line = f.start_line;
    f.message = "m" + std::to_string(i);
    o.findings.push_back(f);
  }
  return o;
}

// A tiny in-memory GitHub: check runs with appended annotations, and a fault schedule.
struct FakeChecks {
  int64_t annotations = 0;
  bool created = false;
  std::vector<size_t> batch_sizes;
  std::function<int(const github::HttpRequest&)> fault; // status to answer after applying, or 0

  github::HttpResponse handle(const github::HttpRequest& r) {
    const auto body = util::parse_json(r.body.empty() ? "{}" : r.body);
    auto run_json = [&] {
      return FakeTransport::reply(200, R"({"id":9,"html_url":"h","external_id":"ext","output":{"annotations_count":)" +
                                           std::to_string(annotations) + "}}");
    };
    if (r.method == "GET" && r.url.find("/commits/") != std::string::npos) {
      if (!created) return FakeTransport::reply(200, R"({"total_count":0,"check_runs":[]})");
      return FakeTransport::reply(200, R"({"total_count":1,"check_runs":[{"id":9,"html_url":"h","external_id":"ext","output":{"annotations_count":)" +
                                           std::to_string(annotations) + "}}]}");
    }
    if (r.method == "GET") return run_json();
    size_t n = 0;
    if (const auto* out = util::member(*body, "output"))
      if (const auto* a = util::member(*out, "annotations")) n = a->Size();
    batch_sizes.push_back(n);
    annotations += static_cast<int64_t>(n);
    created = true;
    const int status = fault ? fault(r) : 0;
    if (status) return FakeTransport::reply(status, "bad gateway");
    return run_json();
  }
};

} // namespace

TEST_SUITE("publish::check_run") {
  TEST_CASE("annotations go in batches of fifty: create with the first, patch the rest") {
    FakeTransport t;
    FakeClock clock;
    FakeChecks gh;
    t.handler = [&](const auto& r) { return gh.handle(r); };
    github::Client client(t, clock, github::ClientConfig{}, [] { return 0.0; });
    const auto o = outcome_with(123);
    const auto result = publish_check_run(client, o, CheckRunTarget{"/repos/o/r", "sha", "ext", ""});
    CHECK(gh.annotations == 123);
    CHECK(gh.batch_sizes == std::vector<size_t>{50, 50, 23});
    CHECK(result.annotations_posted == 123);
    // One lookup, then ⌈123/50⌉ writes.
    CHECK(t.requests.size() == 4);
  }

  TEST_CASE("findings made when read are posted as held ones are, up to the cap") {
    FakeTransport t;
    FakeClock clock;
    FakeChecks gh;
    t.handler = [&](const auto& r) { return gh.handle(r); };
    github::Client client(t, clock, github::ClientConfig{}, [] { return 0.0; });
    const auto held = outcome_with(120);
    auto o = outcome_with(0);
    o.max_annotations = 110;
    o.made_findings = held.findings.size();
    o.make_finding = [&](size_t i, model::Finding& into) { into = held.findings[i]; };
    const auto a = annotatable(o);
    REQUIRE(a.size() == 110);
    CHECK(a[109].message == "m109");
    publish_check_run(client, o, CheckRunTarget{"/repos/o/r", "sha", "ext", ""});
    CHECK(gh.batch_sizes == std::vector<size_t>{50, 50, 10});
  }

  TEST_CASE("a batch applied but answered 502 is not appended twice") {
    FakeTransport t;
    FakeClock clock;
    FakeChecks gh;
    int writes = 0;
    gh.fault = [&](const github::HttpRequest&) { return ++writes % 2 == 0 ? 502 : 0; };
    t.handler = [&](const auto& r) { return gh.handle(r); };
    github::Client client(t, clock, github::ClientConfig{}, [] { return 0.0; });
    const auto result = publish_check_run(client, outcome_with(230), CheckRunTarget{"/repos/o/r", "sha", "ext", ""});
    CHECK(gh.annotations == 230);
    CHECK(result.annotations_posted == 230);
  }

  TEST_CASE("a check run created by an interrupted earlier invocation is resumed, not duplicated") {
    FakeTransport t;
    FakeClock clock;
    FakeChecks gh;
    gh.created = true;
    gh.annotations = 100;
    t.handler = [&](const auto& r) { return gh.handle(r); };
    github::Client client(t, clock, github::ClientConfig{}, [] { return 0.0; });
    publish_check_run(client, outcome_with(130), CheckRunTarget{"/repos/o/r", "sha", "ext", ""});
    CHECK(gh.annotations == 130);
    CHECK(gh.batch_sizes == std::vector<size_t>{30});
  }

  TEST_CASE("findings without a location are not annotations, and the cap is honoured") {
    auto o = outcome_with(10);
    o.findings[3].path.clear();
    o.max_annotations = 5;
    const auto a = annotatable(o);
    CHECK(a.size() == 5);
    for (const auto& f : a) CHECK_FALSE(f.path.empty());
  }

  TEST_CASE("bodies keep every field within the API's limits") {
    auto o = outcome_with(1);
    o.summary = std::string(70000, 'x');
    o.findings[0].title = std::string(300, 't');
    o.findings[0].message = std::string(70 * 1024, 'm');
    std::vector<const model::Finding*> batch{&o.findings[0]};
    const auto body = util::parse_json(check_run_body(o, CheckRunTarget{"/r", "sha", "ext", ""}, true, batch, RunStatus::completed));
    REQUIRE(body);
    const auto& output = (*body)["output"];
    const std::string summary = output["summary"].GetString();
    CHECK(util::utf8_length(summary) <= k_check_output_chars);
    CHECK(summary.find("Truncated") != std::string::npos);
    const auto& annotation = output["annotations"][0];
    CHECK(util::utf8_length(annotation["title"].GetString()) <= k_annotation_title_chars);
    CHECK(annotation["message"].GetStringLength() <= k_annotation_message_bytes);
    CHECK(std::string((*body)["conclusion"].GetString()) == "failure");
    CHECK(std::string((*body)["external_id"].GetString()) == "ext");
  }

  TEST_CASE("a summary cut to the API's limit keeps the note of findings not annotated") {
    auto o = outcome_with(12);
    o.max_annotations = 10;
    o.summary = std::string(70000, 'x');
    std::vector<const model::Finding*> batch{&o.findings[0]};
    const auto body = util::parse_json(check_run_body(o, CheckRunTarget{"/r", "sha", "ext", ""}, true, batch, RunStatus::completed));
    REQUIRE(body);
    const std::string summary = (*body)["output"]["summary"].GetString();
    CHECK(util::utf8_length(summary) <= k_check_output_chars);
    CHECK(summary.find("Truncated") != std::string::npos);
    CHECK(summary.find("2 more finding(s) were not annotated (the limit is 10") != std::string::npos);
    o.max_annotations = 12;
    CHECK(unannotated_note(o).empty());
  }

  TEST_CASE("a commit status description is cut to 140 characters") {
    auto o = outcome_with(0);
    o.title = std::string(300, 'd');
    const auto body = util::parse_json(commit_status_body(o, "https://run"));
    REQUIRE(body);
    CHECK(util::utf8_length((*body)["description"].GetString()) == k_status_description_chars);
    CHECK(std::string((*body)["state"].GetString()) == "failure");
  }
}
