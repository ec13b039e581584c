#include <doctest/doctest.h>

#include "util/files.h"

using tollgate::util::glob_match;

TEST_SUITE("util::files") {
  TEST_CASE("a single star stays within one directory") {
    CHECK(glob_match("*.xml", "a.xml"));
    CHECK_FALSE(glob_match("*.xml", "d/a.xml"));
    CHECK(glob_match("d/*.xml", "d/a.xml"));
  }

  TEST_CASE("a double star spans directories, including none") {
    CHECK(glob_match("**/*.xml", "a.xml"));
    CHECK(glob_match("**/*.xml", "x/y/a.xml"));
    CHECK(glob_match("results/**/*.json", "results/leg-1/out.json"));
    CHECK(glob_match("results/**/*.json", "results/out.json"));
    CHECK_FALSE(glob_match("results/**/*.json", "other/out.json"));
  }

  TEST_CASE("a question mark matches one character but not a slash") {
    CHECK(glob_match("a?c", "abc"));
    CHECK_FALSE(glob_match("a?c", "a/c"));
  }
}

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {
namespace fs = std::filesystem;

struct TempTree {
  fs::path root = fs::temp_directory_path() / ("tollgate-files-" + std::to_string(::getpid()));
  TempTree() {
    fs::remove_all(root);
    fs::create_directories(root / "ws" / "reports");
    fs::create_directories(root / "outside");
  }
  ~TempTree() { fs::remove_all(root); }
  void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
};
} // namespace

TEST_SUITE("util::files") {
  TEST_CASE("a file larger than the limit is refused from its size, before it is read") {
    TempTree t;
    const fs::path big = t.root / "ws" / "big.xml";
    { std::ofstream(big, std::ios::binary) << "x"; }
    fs::resize_file(big, (size_t{2} << 30)); // 2 GiB, sparse: nothing to read it would cost
    const auto r = tollgate::util::read_file(big.string());
    REQUIRE_FALSE(r);
    CHECK(r.error().find("2147483648 bytes, past the 512 MiB") != std::string::npos);
    const auto small = tollgate::util::read_file(big.string(), 1 << 20);
    CHECK_FALSE(small);
  }

  TEST_CASE("a file within the limit is read whole, and a pipe stops at the limit") {
    TempTree t;
    t.write(t.root / "ws" / "a.txt", "hello");
    CHECK(*tollgate::util::read_file((t.root / "ws" / "a.txt").string(), 5) == "hello");
    CHECK_FALSE(tollgate::util::read_file((t.root / "ws" / "a.txt").string(), 4));
    // /dev/zero never ends: read up to the limit and refused there, in bounded memory.
    const auto z = tollgate::util::read_file("/dev/zero", 1 << 20);
    REQUIRE_FALSE(z);
    CHECK(z.error().find("more than") != std::string::npos);
  }

  TEST_CASE("a report reached through a link that leaves the workspace is refused, naming the link") {
    TempTree t;
    const fs::path ws = t.root / "ws";
    t.write(t.root / "outside" / "junit.xml", "<testsuite/>");
    t.write(ws / "reports" / "own.xml", "<testsuite/>");
    fs::create_symlink(t.root / "outside" / "junit.xml", ws / "reports" / "evil.xml");
    fs::create_symlink(t.root / "outside", ws / "linkdir");
    fs::create_symlink(ws / "reports" / "own.xml", ws / "inside.xml");
    using tollgate::util::expand_report_patterns;
    CHECK_THROWS_WITH_AS(expand_report_patterns({(ws / "reports" / "*.xml").string()}, ws.string()),
                         doctest::Contains("reports/evil.xml to "), tollgate::util::InputError);
    CHECK_THROWS_WITH_AS(expand_report_patterns({(ws / "linkdir" / "junit.xml").string()}, ws.string()),
                         doctest::Contains(("symbolic link " + (ws / "linkdir").string()).c_str()), tollgate::util::InputError);
    CHECK(expand_report_patterns({(ws / "inside.xml").string()}, ws.string()).size() == 1);
    // Outside the workspace without a link: the workflow author's own path.
    CHECK(expand_report_patterns({(t.root / "outside" / "junit.xml").string()}, ws.string()).size() == 1);
  }
}

#include <sys/wait.h>

TEST_SUITE("util::files") {
  TEST_CASE("only * and ? make a glob: '[' is a literal character, as expansion treats it") {
    using tollgate::util::is_glob_pattern;
    CHECK(is_glob_pattern("reports/*.xml"));
    CHECK(is_glob_pattern("a?.xml"));
    CHECK_FALSE(is_glob_pattern("reports/[1].xml"));
    CHECK_FALSE(is_glob_pattern("plain.xml"));
  }

  TEST_CASE("a directory the walk cannot enter is an error naming it, not reports silently missing") {
    TempTree t;
    const fs::path ws = t.root / "ws";
    t.write(ws / "reports" / "a.xml", "<testsuite/>");
    fs::create_directories(ws / "reports" / "shard");
    t.write(ws / "reports" / "shard" / "b.xml", "<testsuite/>");
    fs::permissions(t.root, fs::perms::all);
    fs::permissions(ws / "reports" / "shard", fs::perms::none);
    const std::string pattern = (ws / "reports" / "**" / "*.xml").string();
    const std::string shard = (ws / "reports" / "shard").string();
    const auto try_walk = [&]() -> int {
      try {
        tollgate::util::expand_report_patterns({pattern}, ws.string());
        return 1; // walked past it without a word
      } catch (const tollgate::util::InputError& e) {
        return std::string(e.what()).find("cannot read the directory " + shard) != std::string::npos ? 0 : 2;
      }
    };
    if (::geteuid() != 0) {
      CHECK(try_walk() == 0);
    } else {
      // Root reads a chmod 000 directory: walk as nobody (65534) in a child process instead.
      const pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
        ::_exit(try_walk());
      }
      int status = 0;
      ::waitpid(child, &status, 0);
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
    fs::permissions(ws / "reports" / "shard", fs::perms::owner_all);
  }
}
