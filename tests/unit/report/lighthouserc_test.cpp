#include <doctest/doctest.h>

#include "report/lighthouserc.h"

using namespace tollgate;
using model::RcValue;

TEST_SUITE("report::lighthouserc") {
  TEST_CASE("JSON keeps the line of every key") {
    const auto rc = report::parse_rc_value("{\n  \"ci\": {\n    \"assert\": {\n      \"assertions\": {\n"
                                           "        \"dom-size\": \"error\",\n        \"categories.seo\": [\"warn\", {\"minScore\": 0.9}]\n"
                                           "      }\n    }\n  }\n}\n",
                                           report::RcSyntax::json);
    REQUIRE(rc);
    const RcValue* assertions = rc->find("ci")->find("assert")->find("assertions");
    REQUIRE(assertions);
    CHECK(assertions->find_member("dom-size")->key_line == 5);
    CHECK(assertions->find_member("categories.seo")->key_line == 6);
    CHECK(assertions->find("categories.seo")->items[1].find("minScore")->number == 0.9);
  }

  TEST_CASE("JSON errors carry line and column") {
    const auto rc = report::parse_rc_value("{\n  \"ci\": {,}\n}", report::RcSyntax::json);
    REQUIRE_FALSE(rc);
    CHECK(rc.error().line == 2);
  }

  TEST_CASE("YAML plain scalars resolve as js-yaml resolves them") {
    const auto rc = report::parse_rc_value("a: 0.9\nb: 'off'\nc: off\nd: true\ne: ~\nf: 1e3\ng: 0x10\nh: error\ni: \"1\"\n",
                                           report::RcSyntax::yaml);
    REQUIRE(rc);
    CHECK(rc->find("a")->number == 0.9);
    CHECK(rc->find("b")->text == "off");
    CHECK(rc->find("c")->text == "off"); // js-yaml's default schema has no yes/no/on/off booleans
    CHECK(rc->find("d")->type == RcValue::Type::boolean);
    CHECK(rc->find("e")->type == RcValue::Type::null);
    CHECK(rc->find("f")->number == 1000);
    CHECK(rc->find("g")->number == 16);
    CHECK(rc->find("h")->is_string());
    CHECK(rc->find("i")->is_string());
    CHECK(rc->find_member("c")->key_line == 3);
  }

  TEST_CASE("dots in keys become colons at every level; the dotted key wins a clash") {
    auto rc = report::parse_rc_value(R"({"ci": {"assert": {"assertions": {"categories:seo": "warn", "categories.seo": "error",
      "categories.performance": "error"}}}})",
                                     report::RcSyntax::json);
    REQUIRE(rc);
    report::replace_dots_in_keys(*rc);
    const RcValue* assertions = rc->find("ci")->find("assert")->find("assertions");
    REQUIRE(assertions->members.size() == 2);
    CHECK(assertions->members[0].key == "categories:seo");
    CHECK(assertions->members[0].value.text == "error");
    CHECK(assertions->members[1].key == "categories:performance");
  }

  TEST_CASE("the sections are spread in lhci's order, and extends is reported") {
    const auto rc = report::parse_rc_value(
        R"({"ci": {"extends": "./base.json", "assert": {"preset": "lighthouse:all"}, "collect": {"numberOfRuns": 3}},
            "lhci": {"upload": {"target": "temporary-public-storage"}}})",
        report::RcSyntax::json);
    REQUIRE(rc);
    const auto flat = report::flatten_rc(*rc);
    CHECK(flat.options.find("preset")->text == "lighthouse:all");
    CHECK(flat.options.find("numberOfRuns")->number == 3);
    CHECK(flat.options.find("target"));
    CHECK(flat.extends == "./base.json");
  }

  TEST_CASE("yargs drops empty objects and adds camelCase names of kebab-case options") {
    const auto rc = report::parse_rc_value(R"({"assertions": {}, "budgets-file": "b.json", "preset": "lighthouse:all"})",
                                           report::RcSyntax::json);
    REQUIRE(rc);
    const RcValue options = report::as_yargs_options(*rc);
    CHECK_FALSE(options.find("assertions"));
    CHECK(options.find("budgetsFile")->text == "b.json");
  }

  TEST_CASE("file names choose the syntax as lhci does") {
    CHECK(report::rc_syntax_for(".lighthouserc.yml") == report::RcSyntax::yaml);
    CHECK(report::rc_syntax_for("lighthouserc.YAML") == report::RcSyntax::yaml);
    CHECK(report::rc_syntax_for("lighthouserc.json") == report::RcSyntax::json);
    CHECK(report::rc_syntax_for("lighthouserc") == report::RcSyntax::json);
    CHECK(report::rc_syntax_for("lighthouserc.cjs") == report::RcSyntax::javascript);
    CHECK_FALSE(report::parse_rc_value("module.exports = {}", report::RcSyntax::javascript));
    CHECK(report::rc_file_names().front() == ".lighthouserc.cjs");
  }

  TEST_CASE("merge: objects by key, arrays by element, the rest replaced") {
    auto preset = report::parse_rc_value(R"({"a": ["error", {"maxLength": 0}], "b": "off", "c": ["warn", {}]})", report::RcSyntax::json);
    const auto user = report::parse_rc_value(R"({"a": ["warn", {"minScore": 0.5}], "b": ["error", {}], "c": "off", "d": "error"})",
                                             report::RcSyntax::json);
    REQUIRE(preset);
    REQUIRE(user);
    model::merge_like_lhci(*preset, *user);
    const RcValue* a = preset->find("a");
    CHECK(a->items[0].text == "warn");
    CHECK(a->items[1].find("maxLength")->number == 0);
    CHECK(a->items[1].find("minScore")->number == 0.5);
    CHECK(preset->find("b")->is_array());
    CHECK(preset->find("c")->text == "off");
    CHECK(preset->members.back().key == "d");
  }
}

TEST_SUITE("report::lighthouserc") {
  TEST_CASE("numbers are read as JavaScript reads them, including zero with a large exponent") {
    // 0E61 was undefined behaviour in RapidJSON 1.1.0's full-precision path (budgets fuzz target).
    const auto zero = tollgate::report::parse_rc_value("0E61", tollgate::report::RcSyntax::json);
    REQUIRE(zero.has_value());
    CHECK(zero->is_number());
    CHECK(zero->number == 0.0);
    const auto tenth = tollgate::report::parse_rc_value("[0.9, 1e-7, 123456789012345678]", tollgate::report::RcSyntax::json);
    REQUIRE(tenth.has_value());
    CHECK(tenth->items.at(0).number == 0.9);
    CHECK(tenth->items.at(1).number == 1e-7);
    CHECK(tenth->items.at(2).number == 123456789012345678.0);
  }
  TEST_CASE("YAML merge keys apply as js-yaml applies them") {
    const auto rc = report::parse_rc_value("base: &b {a: 1, b: 2}\nmore: &m {b: 3, c: 4}\n"
                                           "x:\n  <<: [*b, *m]\n  a: 9\n",
                                           report::RcSyntax::yaml);
    REQUIRE(rc);
    const RcValue* x = rc->find("x");
    REQUIRE(x);
    CHECK(x->find("a")->number == 9); // a key written after the merge overrides it
    CHECK(x->find("b")->number == 2); // the first source wins
    CHECK(x->find("c")->number == 4);
    CHECK(x->members.size() == 3);
  }

  TEST_CASE("YAML: a duplicate key and an alias bomb are errors with their line") {
    const auto dup = report::parse_rc_value("a: 1\nb: 2\na: 3\n", report::RcSyntax::yaml);
    REQUIRE_FALSE(dup);
    CHECK(dup.error().line == 3);
    std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n";
    std::string prev = "a";
    for (char level = 'b'; level <= 'i'; ++level) {
      const std::string name(1, level);
      bomb += name + ": &" + name + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev +
              ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
      prev = name;
    }
    const auto refused = report::parse_rc_value(bomb, report::RcSyntax::yaml);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("aliases expand") != std::string::npos);
  }
}
