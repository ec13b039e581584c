#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "runner/base_revision.h"
#include "util/error.h"
#include "util/process.h"
#include "util/text.h"

using namespace tollgate;
using runner::BaseRequest;
using runner::find_changed_lines;

namespace {

std::string run_git(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", "-c",
                             "init.defaultBranch=main", "-c", "advice.detachedHead=false"});
  auto r = util::run_process(args, dir);
  std::string command;
  for (const auto& a : args) command += a + " ";
  INFO(command << ": " << r.err);
  REQUIRE(r.exit_status == 0);
  return std::string(util::trim(r.out));
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// An "origin" with a pull request as GitHub builds it: main (A, then C), a feature branch
// (B on A), refs/pull/1/head = B and refs/pull/1/merge = the merge of B into C (first parent
// C, the base; second parent B, the head).
struct Origin {
  std::filesystem::path root;
  std::string a, b, c, merge;

  Origin() {
    std::random_device rd;
    root = std::filesystem::temp_directory_path() / ("tollgate-base-" + std::to_string(rd()));
    std::filesystem::create_directories(root / "origin");
    const std::string o = (root / "origin").string();
    run_git(o, {"init", "-q"});
    write(root / "origin/calc.py", "def add(a, b):\n    return a + b\n");
    write(root / "origin/util.py", "X = 1\n");
    run_git(o, {"add", "-A"});
    run_git(o, {"commit", "-q", "-m", "A"});
    a = run_git(o, {"rev-parse", "HEAD"});
    run_git(o, {"checkout", "-q", "-b", "feature"});
    write(root / "origin/calc.py", "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n");
    run_git(o, {"commit", "-q", "-am", "B"});
    b = run_git(o, {"rev-parse", "HEAD"});
    run_git(o, {"checkout", "-q", "main"});
    write(root / "origin/util.py", "X = 2\n");
    run_git(o, {"commit", "-q", "-am", "C"});
    c = run_git(o, {"rev-parse", "HEAD"});
    run_git(o, {"checkout", "-q", "--detach", c});
    run_git(o, {"merge", "-q", "--no-ff", "-m", "Merge B into C", b});
    merge = run_git(o, {"rev-parse", "HEAD"});
    run_git(o, {"checkout", "-q", "main"});
    run_git(o, {"update-ref", "refs/pull/1/head", b});
    run_git(o, {"update-ref", "refs/pull/1/merge", merge});
  }
  ~Origin() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  std::string url() const { return "file://" + (root / "origin").string(); }

  // What actions/checkout does with its defaults: one commit of `ref`, detached.
  std::string shallow_checkout(const std::string& name, const std::string& ref) const {
    const std::string dir = (root / name).string();
    std::filesystem::create_directories(dir);
    run_git(dir, {"init", "-q"});
    run_git(dir, {"remote", "add", "origin", url()});
    run_git(dir, {"fetch", "-q", "--no-tags", "--depth=1", "origin", "+" + ref + ":refs/remotes/checkout"});
    run_git(dir, {"checkout", "-q", "--detach", "refs/remotes/checkout"});
    return dir;
  }
};

const std::vector<int> k_pr_lines = {3, 4, 5, 6}; // the lines B added to calc.py

} // namespace

TEST_SUITE("runner::base_revision") {
  TEST_CASE("a present base is compared through the merge base, as diff-cover does") {
    Origin o;
    const std::string dir = (o.root / "full").string();
    run_git(o.root.string(), {"clone", "-q", o.url(), dir});
    run_git(dir, {"checkout", "-q", "--detach", o.b});
    const auto found = find_changed_lines(dir, {o.c, "", false});
    REQUIRE(found.lines);
    CHECK(found.lines->size() == 1);
    CHECK(found.lines->at("calc.py") == k_pr_lines);
    CHECK_FALSE(found.approximate);
    CHECK(found.compared_with == o.c);
  }

  TEST_CASE("a depth-1 checkout of GitHub's merge commit compares with its first parent, fetched in Actions") {
    Origin o;
    const std::string dir = o.shallow_checkout("merge", "refs/pull/1/merge");
    CHECK(runner::commit_parents(dir, "HEAD") == std::vector<std::string>{o.c, o.b});
    const auto found = find_changed_lines(dir, {o.c, o.b, true});
    REQUIRE(found.lines);
    // Exactly the pull request's lines: C's change to util.py is not among them.
    CHECK(found.lines->size() == 1);
    CHECK(found.lines->at("calc.py") == k_pr_lines);
    CHECK_FALSE(found.approximate);
    CHECK(found.compared_with == o.c);
  }

  TEST_CASE("the merge commit's first parent is used even when the event's base is stale") {
    Origin o;
    const std::string dir = o.shallow_checkout("stale", "refs/pull/1/merge");
    // base.sha names A (an older base), head.sha names B: the merge commit's parents decide.
    const auto found = find_changed_lines(dir, {o.a, o.b, true});
    REQUIRE(found.lines);
    CHECK(found.lines->at("calc.py") == k_pr_lines);
    CHECK(found.compared_with == o.c);
  }

  TEST_CASE("a depth-1 checkout of a commit whose parent is the base compares with it exactly") {
    Origin o;
    // A merge queue that squashes: the group's commit has the base as its only parent.
    const std::string dir = o.shallow_checkout("child", "refs/heads/main");
    const auto found = find_changed_lines(dir, {o.a, "", true});
    REQUIRE(found.lines);
    CHECK_FALSE(found.approximate);
    CHECK(found.lines->size() == 1);
    CHECK(found.lines->at("util.py") == std::vector<int>{1});
  }

  TEST_CASE("a depth-1 checkout of the pull request's head fetches the base and compares the trees") {
    Origin o;
    const std::string dir = o.shallow_checkout("head", "refs/pull/1/head");
    const auto found = find_changed_lines(dir, {o.c, o.b, true});
    REQUIRE(found.lines);
    CHECK(found.approximate);
    CHECK(found.lines->at("calc.py") == k_pr_lines);
    // The approximation: the base's own change since the fork shows as a change (main's new
    // line 1 of util.py reads as the head "adding" its old one).
    CHECK(found.lines->at("util.py") == std::vector<int>{1});
  }

  TEST_CASE("outside Actions a missing base is an error naming the revision and the fetch that fixes it") {
    Origin o;
    const std::string dir = o.shallow_checkout("local", "refs/pull/1/merge");
    try {
      find_changed_lines(dir, {o.c, o.b, false});
      FAIL("expected an InputError");
    } catch (const util::InputError& e) {
      const std::string what = e.what();
      CHECK(what.find(o.c) != std::string::npos);
      CHECK(what.find("git fetch origin " + o.c) != std::string::npos);
    }
  }

  TEST_CASE("outside Actions a base without a merge base in a shallow clone is an error, not a guess") {
    Origin o;
    const std::string dir = o.shallow_checkout("local-head", "refs/pull/1/head");
    run_git(dir, {"fetch", "-q", "--depth=1", "origin", o.c});
    CHECK_THROWS_WITH_AS(find_changed_lines(dir, {o.c, "", false}), doctest::Contains("git fetch --unshallow"),
                         util::InputError);
  }

  TEST_CASE("in Actions an unreachable base is not measured, never an error") {
    Origin o;
    const std::string dir = o.shallow_checkout("gone", "refs/pull/1/head");
    const std::string missing = "0123456789abcdef0123456789abcdef01234567";
    const auto found = find_changed_lines(dir, {missing, "", true});
    CHECK_FALSE(found.lines);
    CHECK(found.not_measured.find("0123456789ab") != std::string::npos);
    CHECK(found.not_measured.find("git fetch failed") != std::string::npos);
  }

  TEST_CASE("a base that is not a revision is refused before git sees it") {
    CHECK_THROWS_AS(find_changed_lines(".", {"--output=/tmp/x", "", true}), util::InputError);
    CHECK_THROWS_AS(find_changed_lines(".", {"main two", "", true}), util::InputError);
  }
}
