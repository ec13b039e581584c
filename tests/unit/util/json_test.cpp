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

  // Writes a result of many small arrays, the shape of --json's coverage_data: each a value at a
  // time, or in one call.
  void write_lines(tollgate::util::JsonWriter& w, unsigned count, bool tuples) {
    w.StartObject();
    w.Key("lines");
    w.StartArray();
    for (unsigned n = 0; n < count; ++n) {
      if (tuples) {
        w.uint_tuple({n, n % 7});
        continue;
      }
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
    write_lines(reference, 100'000, false);

    std::FILE* file = std::tmpfile();
    REQUIRE(file);
    rapidjson::StringBuffer buffer;
    tollgate::util::JsonWriter w(buffer);
    w.stream_to(file);
    write_lines(w, 100'000, true); // the buffer spills after a tuple as after EndArray
    // Everything but the last spill already left, and the buffer never grew to hold the whole
    // result (StringBuffer's stack_ is public).
    CHECK(buffer.GetSize() < size_t{128} << 10);
    CHECK(buffer.stack_.GetCapacity() < size_t{256} << 10);
    CHECK(w.finish());
    CHECK(buffer.GetSize() == 0);
    std::string written(static_cast<size_t>(std::ftell(file)), '\0');
    std::rewind(file);
    CHECK(std::fread(written.data(), 1, written.size(), file) == written.size());
    std::fclose(file);
    CHECK(written.size() > size_t{512} << 10); // many times the buffer
    CHECK(written == std::string(whole.GetString(), whole.GetSize()));
  }

  TEST_CASE("a tuple written in one call is the bytes of its numbers written one at a time") {
    const uint32_t values[][4] = {{0, 0, 0, 0}, {1, 22, 333, 4444}, {4294967295u, 4294967294u, 10, 9},
                                  {100000, 99999, 7, 1000000000}};
    rapidjson::StringBuffer one_by_one, tuples;
    tollgate::util::JsonWriter a(one_by_one), b(tuples);
    for (auto* w : {&a, &b}) w->StartObject(), w->Key("lists"), w->StartArray();
    for (const auto& v : values) {
      a.StartArray();
      a.Uint(v[0]);
      a.Uint(v[1]);
      a.EndArray();
      a.StartArray();
      for (const uint32_t x : v) a.Uint(x);
      a.EndArray();
      b.uint_tuple({v[0], v[1]});
      b.uint_tuple({v[0], v[1], v[2], v[3]});
    }
    for (auto* w : {&a, &b}) w->EndArray(), w->Key("after"), w->Uint(1), w->EndObject();
    CHECK(std::string(tuples.GetString()) == std::string(one_by_one.GetString()));
    CHECK(std::string(tuples.GetString()).starts_with(R"({"lists":[[0,0],[0,0,0,0],[1,22],[1,22,333,4444],[4294967295,)"));
  }

  TEST_CASE("a write that fails is reported by finish, not lost") {
    std::FILE* full = std::fopen("/dev/full", "wb");
    REQUIRE(full); // Linux: every write to /dev/full fails with ENOSPC
    std::setvbuf(full, nullptr, _IONBF, 0);
    rapidjson::StringBuffer buffer;
    tollgate::util::JsonWriter w(buffer);
    w.stream_to(full);
    write_lines(w, 50'000, true);
    CHECK_FALSE(w.finish());
    std::fclose(full);
  }
}
