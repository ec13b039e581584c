#include <doctest/doctest.h>
#include <cstdio>
#include <limits>
#include <string>

#include "util/json.h"

TEST_SUITE("util::json") {
  TEST_CASE("a number JSON cannot hold is written as null, never as nothing") {
    rapidjson::StringBuffer buffer;
    tollgate::util::JsonWriter w(buffer);
    w.StartObject();
    w.Key("nan");
    w.Double(std::numeric_limits<double>::quiet_NaN());
    w.Key("inf");
    w.Double(-std::numeric_limits<double>::infinity());
    w.Key("ok");
    w.Double(0.5);
    w.EndObject();
    CHECK(std::string(buffer.GetString()) == R"({"nan":null,"inf":null,"ok":0.5})");
  }

  // Writes a result of many small arrays, the shape of --json's coverage_data.
  void write_lines(tollgate::util::JsonWriter& w, unsigned count) {
    w.StartObject();
    w.Key("lines");
    w.StartArray();
    for (unsigned n = 0; n < count; ++n) {
      w.StartArray();
      w.Uint(n);
      w.Uint(n % 7);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }

  TEST_CASE("streamed to a file, the writer writes the same bytes and keeps only a small buffer") {
    rapidjson::StringBuffer whole;
    tollgate::util::JsonWriter reference(whole);
    write_lines(reference, 100'000);

    std::FILE* file = std::tmpfile();
    REQUIRE(file);
    rapidjson::StringBuffer buffer;
    tollgate::util::JsonWriter w(buffer);
    w.stream_to(file);
    write_lines(w, 100'000);
    // Everything but the last spill already left: the buffer never held the whole result.
    CHECK(buffer.GetSize() < size_t{128} << 10);
    CHECK(w.finish());
    CHECK(buffer.GetSize() == 0);
    std::string written(static_cast<size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    CHECK(std::fread(written.data(), 1, written.size(), file) == written.size());
    std::fclose(file);
    CHECK(written.size() > size_t{512} << 10); // many times the buffer
    CHECK(written == std::string(whole.GetString(), whole.GetSize()));
  }

  TEST_CASE("a write that fails is reported by finish, not lost") {
    std::FILE* full = std::fopen("/dev/full", "wb");
    REQUIRE(full); // Linux: every write to /dev/full fails with ENOSPC
    std::setvbuf(full, nullptr, _IONBF, 0);
    rapidjson::StringBuffer buffer;
    tollgate::util::JsonWriter w(buffer);
    w.stream_to(full);
    write_lines(w, 50'000);
    CHECK_FALSE(w.finish());
    std::fclose(full);
  }
}
