#include <doctest/doctest.h>
#include <limits>

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
}
