#include <doctest/doctest.h>

#include "publish/deliver.h"
#include "publish/pr_comment.h"
#include "util/error.h"

using namespace tollgate;
using namespace tollgate::publish;

namespace {

model::Outcome failing() {
  model::Outcome o;
  o.check_name = "Tests";
  o.conclusion = model::Conclusion::failure;
  o.passed = false;
  o.title = "5 tests, 1 failed";
  o.gates.push_back({"failed tests", 0, 1, false, "", true});
  o.outputs = {{"tests", "5"}, {"failed", "1"}, {"check-run-url", "https://github.example/o/r/runs/1"}};
  model::Finding f;
  f.path = "tests/test_cart.py";
  f.start_line = 20;
  f.title = "test_discount";
  o.findings.push_back(f);
  return o;
}

std::string body_with(const std::string& marker, const std::string& second_line) {
  return marker + "\n" + second_line + "\n### ❌ Tests\n";
}

} // namespace

TEST_SUITE("publish::pr_comment") {
  TEST_CASE("the digest follows the verdict, the gates, the numbers and which findings fail") {
    const auto base = comment_digest(failing());
    CHECK(base.size() == 16);
    CHECK(comment_digest(failing()) == base);

    auto other_failure = failing();
    other_failure.findings[0].title = "test_total";
    CHECK(comment_digest(other_failure) != base);

    auto more_failed = failing();
    more_failed.gates[0].actual = 2;
    CHECK(comment_digest(more_failed) != base);

    auto green = failing();
    green.conclusion = model::Conclusion::success;
    CHECK(comment_digest(green) != base);

    auto counts = failing();
    counts.outputs[0].second = "6";
    CHECK(comment_digest(counts) != base);
  }

  TEST_CASE("a new run of the same results keeps the digest: links, titles and notices do not count") {
    auto rerun = failing();
    rerun.outputs[2].second = "https://github.example/o/r/runs/2";
    rerun.title = "5 tests, 1 failed (run 2)";
    model::Finding notice;
    notice.level = model::Level::notice;
    notice.title = "slow test";
    rerun.findings.push_back(notice);
    CHECK(comment_digest(rerun) == comment_digest(failing()));
  }

  TEST_CASE("the digest is read only from the line right after the opening marker") {
    const std::string marker = comment_marker("Tests");
    const std::string line = "<!-- tollgate:digest:0123456789abcdef -->";
    CHECK(digest_in_body(body_with(marker, line), marker) == "0123456789abcdef");
    // Anywhere else it is text, not a digest: further down, or after anything but the marker.
    CHECK(digest_in_body(marker + "\n### ❌ Tests\n" + line + "\n", marker) == "");
    CHECK(digest_in_body("x" + body_with(marker, line), marker) == "");
    CHECK(digest_in_body(body_with(comment_marker("Lint"), line), marker) == "");
    // Only 16 lower-case hex digits, nothing around them.
    CHECK(digest_in_body(body_with(marker, "<!-- tollgate:digest:0123456789ABCDEF -->"), marker) == "");
    CHECK(digest_in_body(body_with(marker, "<!-- tollgate:digest:0123456789abcdef0 -->"), marker) == "");
    CHECK(digest_in_body(body_with(marker, "<!-- tollgate:digest:0123456789abcdef --> x"), marker) == "");
    CHECK(digest_in_body(marker, marker) == "");
    CHECK(digest_in_body("", marker) == "");
  }

  TEST_CASE("comment and commit-status modes: the words, the earlier switch's values, nothing else") {
    CHECK(parse_comment_mode("always") == CommentMode::always);
    CHECK(parse_comment_mode("") == CommentMode::always); // --comment without a value
    CHECK(parse_comment_mode("true") == CommentMode::always);
    CHECK(parse_comment_mode("false") == CommentMode::off);
    CHECK(parse_comment_mode("changes") == CommentMode::changes);
    CHECK(parse_comment_mode("failures") == CommentMode::failures);
    CHECK(parse_comment_mode("off") == CommentMode::off);
    CHECK_THROWS_AS(parse_comment_mode("sometimes"), util::InputError);
    CHECK(parse_status_mode("fallback") == StatusMode::fallback);
    CHECK(parse_status_mode("always") == StatusMode::always);
    CHECK(parse_status_mode("off") == StatusMode::off);
    CHECK_THROWS_AS(parse_status_mode(""), util::InputError);
  }
}
