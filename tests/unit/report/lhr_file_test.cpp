#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "report/lhr_file.h"
#include "util/files.h"
#include "util/json.h"

using namespace tollgate;

namespace {
namespace fs = std::filesystem;

struct TempDir {
  fs::path root = fs::temp_directory_path() / ("tollgate-lhr-file-" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~TempDir() { fs::remove_all(root); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(root / name, std::ios::binary) << text;
    return (root / name).string();
  }
};

// The padding the parsers read past the end: NUL bytes, whatever the buffer held before.
bool padded(std::string_view bytes) {
  for (size_t i = 0; i < util::k_simd_padding; ++i)
    if (bytes.data()[bytes.size() + i] != '\0') return false;
  return true;
}
} // namespace

TEST_SUITE("report::lhr_file") {
  TEST_CASE("files read one after another into one buffer: each whole, each followed by NUL padding") {
    TempDir d;
    const std::string huge(5 << 20, 'y'); // larger than the first mapping (4 MiB): the buffer grows
    const auto a = d.write("a.json", "{\"audits\":{}}");
    const auto b = d.write("b.json", huge);
    const auto c = d.write("c.json", "{}");
    const auto empty = d.write("empty.json", "");
    report::LhrFileBuffer buffer;
    std::optional<std::string> error;
    std::string_view bytes = buffer.read(a, error);
    CHECK_FALSE(error);
    CHECK(bytes == "{\"audits\":{}}");
    CHECK(padded(bytes));
    bytes = buffer.read(b, error);
    CHECK_FALSE(error);
    CHECK(bytes == huge);
    CHECK(padded(bytes));
    // A shorter file after a longer one: the bytes after it are padding, not the last file's.
    bytes = buffer.read(c, error);
    CHECK_FALSE(error);
    CHECK(bytes == "{}");
    CHECK(padded(bytes));
    bytes = buffer.read(empty, error);
    CHECK_FALSE(error);
    CHECK(bytes.empty());
    CHECK(padded(bytes));
  }

  TEST_CASE("errors are worded as util::read_file_into words them") {
    TempDir d;
    report::LhrFileBuffer buffer;
    std::string scratch;
    for (const std::string& path : {(d.root / "missing.json").string(), d.root.string()}) {
      std::optional<std::string> error;
      buffer.read(path, error);
      REQUIRE(error);
      const auto expected = util::read_file_into(path, scratch);
      REQUIRE(expected);
      CHECK(*error == *expected);
    }
    // A good file after an error reads normally.
    std::optional<std::string> error;
    CHECK(buffer.read(d.write("ok.json", "[1]"), error) == "[1]");
    CHECK_FALSE(error);
  }

  TEST_CASE("a pipe is read through util::read_file_into, padded the same way") {
    TempDir d;
    const fs::path fifo = d.root / "pipe.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << "{\"audits\":{}}"; });
    report::LhrFileBuffer buffer;
    std::optional<std::string> error;
    const std::string_view bytes = buffer.read(fifo.string(), error);
    writer.join();
    CHECK_FALSE(error);
    CHECK(bytes == "{\"audits\":{}}");
    CHECK(padded(bytes));
  }
}
