#include <doctest/doctest.h>

#include "publish/probe_summary.h"

using namespace tollgate;

namespace {
probe::ProbeResult result(std::string name, size_t samples, bool passed) {
  probe::ProbeResult r;
  r.name = r.shown_url = std::move(name);
  r.samples.resize(samples);
  r.passed = passed;
  r.failures = passed ? 0 : 2;
  r.verdict = passed ? probe::Verdict::passed : probe::Verdict::failed;
  r.reason = passed ? "ok" : "2 failures > failure-limit 1";
  r.percentiles.p50 = 5;
  r.percentiles.p95 = 9;
  r.percentiles.p99 = 10;
  return r;
}
} // namespace

TEST_SUITE("publish::probe_summary") {
  TEST_CASE("the deployment's fate and the rollback come first; no dedupe key, no raw SHA") {
    publish::RollbackSummary rollback;
    rollback.requested = rollback.dispatched = rollback.marked_failed = true;
    rollback.deployment_id = 42;
    rollback.environment = "production";
    rollback.to_ref = std::string(40, 'a');
    rollback.run_url = "https://github.example/o/r/actions/runs/9";
    rollback.dedupe_key = "tollgate-rollback-42-abcdef";
    rollback.note = "dispatched";
    publish::SummaryOptions options;
    options.links = {"https://github.example", "o/r", std::string(40, 'b'), "7", "1"};
    const std::string md = publish::probe_summary({result("https://x.example/health", 3, false)}, rollback, options);
    CHECK(md.rfind("**Deployment 42 to <code>production</code> was marked failed.** **Rollback to "
                   "[`aaaaaaa`](https://github.example/o/r/commit/" + std::string(40, 'a') +
                       ") (the last successful deployment) dispatched**: [rollback run](https://github.example/o/r/actions/runs/9).\n\n",
                   0) == 0);
    CHECK(md.find("tollgate-rollback-42") == std::string::npos);
    CHECK(md.find("\ndispatched\n") == std::string::npos);
    CHECK(md.find("#### Failing probes (1)") != std::string::npos);
  }

  TEST_CASE("a ref the user named is shown as named") {
    publish::RollbackSummary rollback;
    rollback.requested = rollback.dispatched = true;
    rollback.to_ref = "v1.4.2";
    CHECK(publish::rollback_summary(rollback) == "**Rollback to <code>v1.4.2</code> dispatched**.\n\n");
    rollback.dispatched = false;
    rollback.note = "no earlier successful deployment";
    CHECK(publish::rollback_summary(rollback) == "**No rollback was dispatched** — no earlier successful deployment.\n\n");
  }

  TEST_CASE("percentiles only where the samples support them") {
    const std::string few = publish::probe_summary({result("a", 3, true)}, {});
    CHECK(few.find("| Probe | Samples | Failures | Errors | p50 | Verdict |") != std::string::npos);
    CHECK(few.find("p95 needs 20 samples and p99 100, the most any probe took is 3.") != std::string::npos);
    const std::string some = publish::probe_summary({result("a", 3, true), result("b", publish::k_p95_min_samples, true)}, {});
    CHECK(some.find("| p50 | p95 | Verdict |") != std::string::npos);
    CHECK(some.find("| 5 ms | — (3 samples) |") != std::string::npos);
    CHECK(some.find("| 5 ms | 9 ms |") != std::string::npos);
  }
}
