// Hand-written edge cases for the streamed JSON coverage readers: each reads the same streamed as
// whole (parse_json_coverage against parse_json_coverage_whole), with and without --format.
// Member order, repeated members and odd values are where a stream reader and a document reader
// part ways; cases that must read as coverage also say so, so the comparison is not between two
// errors.
#include "report/coverage_json.h"
#include "report/coverage_report.h"
#include "xml_stream_test_support.h"

#include <doctest/doctest.h>
#include <string>

using namespace tollgate;
using tollgate::testing::describe;

namespace {

void check_same(std::string_view bytes, bool reads = false) {
  for (std::string_view forced : {"", "istanbul", "coveragepy"}) {
    const auto whole = report::parse_json_coverage_whole(bytes, forced);
    const auto streamed = report::parse_json_coverage(bytes, forced);
    INFO("forced '" << forced << "': " << bytes);
    CHECK(describe(streamed) == describe(whole));
    if (reads && forced.empty()) CHECK_MESSAGE(whole.has_value(), describe(whole));
  }
}

// A statement on `line` and its counter, in a file entry of members `members`.
std::string statement(int id, std::string_view line) {
  return "\"" + std::to_string(id) + "\":{\"start\":{\"line\":" + std::string(line) +
         ",\"column\":0},\"end\":{\"line\":1,\"column\":1}}";
}

} // namespace

TEST_SUITE("report::json_stream") {

  TEST_CASE("Istanbul: maps and counters in any order") {
    const std::string map = "\"statementMap\":{" + statement(0, "1") + "," + statement(1, "1") +
                            "," + statement(2, "3") + "}";
    const std::string s = "\"s\":{\"0\":1,\"1\":7,\"2\":0}";
    const std::string branch_map =
        "\"branchMap\":{\"0\":{\"loc\":{\"start\":{\"line\":3}},\"line\":3,\"locations\":[]}}";
    const std::string b = "\"b\":{\"0\":[0,4]}";
    check_same("{\"a.js\":{" + map + "," + s + "," + branch_map + "," + b + "}}", true);
    check_same("{\"a.js\":{" + s + "," + map + "," + b + "," + branch_map + "}}", true);
    check_same("{\"a.js\":{" + b + "," + s + "," + branch_map + "," + map + "}}", true);
    check_same("{\"a.js\":{" + map + "}}", true); // no s: every statement 0
    check_same("{\"a.js\":{" + branch_map + "}}", true);
    check_same("{\"a.js\":{" + map + ",\"s\":{\"2\":5,\"0\":null,\"1\":1}}}", true); // not in order
    check_same("{\"a.js\":{" + map + ",\"s\":{\"00\":5,\"1\":2,\"2\":1}}}", true);
    check_same("{\"a.js\":{" + map + ",\"s\":{\"0\":1,\"1\":2,\"2\":1,\"3\":\"x\"}}}", true);
    // s named 0, 1, … (found by number): "01" and "+1" and "1 " are other names
    check_same("{\"a.js\":{\"statementMap\":{\"01\":{\"start\":{\"line\":2}},\"+1\":{\"start\":{"
               "\"line\":3}},\"1 \":{\"start\":{\"line\":4}},\"1\":{\"start\":{\"line\":5}}},"
               "\"s\":{\"0\":3,\"1\":4}}}",
               true);
    check_same("{\"a.js\":{\"statementMap\":{\"x\":{\"start\":{\"line\":2}},\"07\":{\"start\":{"
               "\"line\":4}}},\"s\":{\"07\":3,\"x\":1}}}",
               true);
  }

  TEST_CASE("Istanbul: repeated members, the first of a name counts") {
    const std::string map =
        "\"statementMap\":{" + statement(0, "1") + "," + statement(1, "2") + "}";
    check_same("{\"a.js\":{" + map + ",\"s\":{\"0\":1,\"1\":2},\"s\":{\"0\":0,\"1\":0}}}", true);
    check_same("{\"a.js\":{" + map + ",\"s\":{\"0\":1,\"0\":0,\"1\":2}}}", true);
    check_same("{\"a.js\":{" + map + ",\"s\":{\"0\":1,\"1\":2},\"statementMap\":{}}}", true);
    check_same("{\"a.js\":{\"s\":5," + map + ",\"s\":{\"0\":1,\"1\":2}}}", true);
    check_same("{\"a.js\":{\"path\":\"x.js\",\"path\":\"y.js\"," + map + "}}", true);
    check_same("{\"a.js\":{\"path\":7,\"path\":\"y.js\"," + map + "}}", true);
    check_same("{\"a.js\":{\"path\":\"\"," + map + "}}", true);
    check_same("{\"a.js\":{" + map + "},\"a.js\":{" + map + "}}", true);
    check_same("{\"a.js\":{\"statementMap\":{\"0\":{\"start\":{\"line\":3,\"line\":-1}},"
               "\"0\":{\"start\":{\"line\":5}}}}}",
               true);
    check_same("{\"a.js\":{\"statementMap\":{\"0\":{\"start\":7,\"start\":{\"line\":5}}}}}");
    check_same("{\"a.js\":{\"branchMap\":{\"0\":{\"loc\":{\"start\":{\"line\":2}},\"loc\":5}},"
               "\"b\":{\"0\":[1],\"0\":[2,3]}}}",
               true);
  }

  TEST_CASE("Istanbul: null, negative, zero, huge and fractional numbers") {
    for (std::string_view n : {"null", "0", "-1", "-0", "1.5", "2.0", "1e300", "1e+21", "-0.0",
                               "2147483647", "2147483648", "4294967296", "18446744073709551615",
                               "18446744073709551616", "\"3\"", "true", "[]", "{}"}) {
      const std::string value(n);
      check_same("{\"a.js\":{\"statementMap\":{" + statement(0, value) + "},\"s\":{\"0\":1}}}");
      check_same("{\"a.js\":{\"statementMap\":{" + statement(0, "4") + "},\"s\":{\"0\":" + value +
                 "}}}");
      check_same("{\"a.js\":{\"branchMap\":{\"0\":{\"loc\":{\"start\":{\"line\":" + value +
                 "}}}},\"b\":{\"0\":[1,2]}}}");
      check_same("{\"a.js\":{\"branchMap\":{\"0\":{\"loc\":{},\"line\":" + value +
                 "}},\"b\":{\"0\":[1,2]}}}");
      check_same("{\"a.js\":{\"branchMap\":{\"0\":{\"line\":3}},\"b\":{\"0\":[1," + value + "]}}}");
      check_same("{\"a.js\":{\"branchMap\":{\"0\":{\"line\":3}},\"b\":{\"0\":" + value + "}}}");
    }
  }

  TEST_CASE("Istanbul: the error reported is the DOM reader's first") {
    // statements before branches, whatever the member order; the first bad entry in map order.
    check_same("{\"a.js\":{\"branchMap\":{\"0\":{}},\"statementMap\":{\"0\":{}}}}");
    check_same("{\"a.js\":{\"b\":{\"0\":5},\"branchMap\":{\"0\":{\"line\":1}},"
               "\"s\":{\"0\":\"x\"},\"statementMap\":{\"0\":{\"start\":{\"line\":1}}}}}");
    check_same("{\"a.js\":{\"statementMap\":{\"0\":{\"start\":{\"line\":1}},\"1\":{}},"
               "\"s\":{\"0\":-4}}}");
    check_same("{\"a.js\":{\"statementMap\":{\"1\":{}}},\"b.js\":7}");
    check_same("{\"a.js\":7,\"b.js\":{\"statementMap\":{\"1\":{}}}}");
    check_same("{\"a.js\":{\"statementMap\":{}},\"b.js\":[1]}");
  }

  TEST_CASE("coverage.py: lists, arcs and their errors") {
    const auto file = [](std::string_view members) {
      return "{\"meta\":{\"format\":2},\"files\":{\"a.py\":{" + std::string(members) + "}}}";
    };
    check_same(file("\"executed_lines\":[1,2,3],\"missing_lines\":[4],\"executed_branches\":[[1,"
                    "2],[2,-1]],\"missing_branches\":[[3,4]]"),
               true);
    check_same(file("\"missing_branches\":[[3,4]],\"missing_lines\":[4,0],\"executed_lines\":[1]"),
               true);
    check_same(file(""), true);
    check_same(file("\"executed_lines\":[1],\"executed_lines\":[2]"), true);
    check_same(file("\"executed_lines\":[1],\"executed_lines\":5"), true);
    for (std::string_view v :
         {"5", "{}", "null", "[null]", "[-1]", "[0]", "[1.0]", "[1.5]", "[\"1\"]", "[[1]]", "[{}]",
          "[2147483648]", "[1e300]", "[18446744073709551616]"}) {
      const std::string value(v);
      check_same(file("\"executed_lines\":" + value));
      check_same(file("\"missing_lines\":[1],\"executed_lines\":" + value));
    }
    for (std::string_view v :
         {"5", "[5]", "[[1]]", "[[1,2,3]]", "[[1,\"2\"]]", "[[1.0,2]]", "[[0,2]]", "[[-1,2]]",
          "[[2147483648,-1]]", "[[1,[2]]]", "[[9223372036854775808,1]]",
          "[[1,9223372036854775807]]", "[[2,3],[]]", "[{}]", "[null]"}) {
      const std::string value(v);
      check_same(file("\"executed_branches\":" + value));
      check_same(file("\"missing_branches\":" + value + ",\"executed_lines\":[-3]"));
    }
    check_same("{\"meta\":{},\"files\":{\"a.py\":5,\"b.py\":{\"executed_lines\":[-1]}}}");
    check_same("{\"meta\":{},\"files\":{\"a.py\":{\"executed_lines\":[-1]},\"b.py\":5}}");
    check_same("{\"meta\":{},\"files\":{\"a.py\":{},\"a.py\":{\"executed_lines\":[1]}}}", true);
    check_same("{\"meta\":{},\"files\":{\"a.py\":{\"executed_lines\":[1]}},\"files\":{}}", true);
    check_same("{\"meta\":{},\"files\":5,\"files\":{}}");
  }

  TEST_CASE("shapes the first member misleads about go the whole-document way") {
    check_same("{\"files\":{\"statementMap\":{}}}", true); // Istanbul with a file named files
    check_same("{\"meta\":{\"statementMap\":{}}}", true);
    check_same("{\"a.js\":{\"statementMap\":{}},\"meta\":1,\"files\":{}}", true);
    check_same("{\"files\":{\"a.py\":{\"executed_lines\":[1]}},\"meta\":{}}", true);
    check_same("{\"meta\":{}}");
    check_same("{\"files\":{}}");
    check_same("{}", true);
    check_same("{\"a.js\":{}}");
    check_same("{\"a.js\":[{\"statementMap\":{}}]}");
    check_same("[{\"statementMap\":{}}]");
    check_same("{\"meta\":{},\"files\":[]}");
    check_same("{\"\\u006deta\":{},\"files\":{}}", true);
    check_same(" \n{ \"meta\" : {}, \"files\" : {} } \n", true);
    check_same("\"files\"");
    check_same("7");
  }

  TEST_CASE("broken JSON: the same error at the same place") {
    check_same("\xEF\xBB\xBF{}"); // parse_coverage strips the mark; this reader refuses it
    check_same("{\"a.js\":{\"path\":\"\xC3\x28\"}}");
    check_same("{\"a\xFF.js\":{}}");
    check_same("{\"a.js\":{\"path\":\"\xE2\x82\"}}");
    check_same(std::string("{\"a.js\":{\"path\":\"\xE2", 17));
    check_same(std::string("{\"a.js\":{\"path\":\"a\0b\"}}", 24));
    check_same(std::string("{}\0", 3));
    check_same("{} {}");
    check_same("{}\n\t x");
    check_same("{\"a.js\":{\"statementMap\":{}},}");
    check_same("{\"a.js\":{\"s\":{\"0\":01}}}");
    check_same("{\"a.js\":{\"s\":{\"0\":1.}}}");
    check_same("{\"a.js\":{\"s\":{\"0\":tru}}}");
    for (size_t depth : {255, 256, 257, 300}) {
      const std::string deep = std::string(depth, '[') + std::string(depth, ']');
      check_same("{\"a.js\":" + deep + "}");
      check_same("{\"meta\":{},\"files\":{\"a.py\":{\"executed_branches\":" + deep + "}}}");
      check_same(deep);
    }
  }

  TEST_CASE("parse_coverage skips a byte order mark before either reader") {
    const std::string report = "{\"meta\":{},\"files\":{\"a.py\":{\"executed_lines\":[1]}}}";
    const auto plain = report::parse_coverage(report);
    REQUIRE(plain);
    CHECK(describe(report::parse_coverage("\xEF\xBB\xBF" + report)) == describe(plain));
    CHECK(describe(report::parse_coverage("\xEF\xBB\xBF{\"a.js\":[]}")) ==
          describe(report::parse_json_coverage_whole("{\"a.js\":[]}", "")));
  }
}
