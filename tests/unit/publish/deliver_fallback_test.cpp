#include <doctest/doctest.h>

#include "publish/deliver_fallback.h"
#include "publish/limits.h"

using namespace tollgate;

namespace {

model::Finding at(int line, model::Level level, bool changed = false) {
  model::Finding f;
  f.path = "src/a.py";
  f.start_line = f.end_line = line;
  f.level = level;
  f.on_changed_line = changed;
  return f;
}

std::vector<int> lines_of(const std::vector<model::Finding>& shown) {
  std::vector<int> out;
  for (const auto& f : shown) out.push_back(f.start_line);
  return out;
}

} // namespace

TEST_SUITE("publish::deliver_fallback") {
  TEST_CASE("at most 10 of each level, changed lines first, the rest counted") {
    model::Outcome o;
    for (int i = 1; i <= 30; ++i) o.findings.push_back(at(i, model::Level::failure, i == 21 || i == 30));
    for (int i = 101; i <= 112; ++i) o.findings.push_back(at(i, model::Level::warning));
    o.findings.push_back(at(200, model::Level::notice));
    o.findings.push_back([] { auto f = at(0, model::Level::failure); f.path.clear(); return f; }());
    const auto s = publish::fallback_annotations(o);
    CHECK(lines_of(s.shown) == std::vector<int>{21, 30, 1, 2, 3, 4, 5, 6, 7, 8,                      // failures
                                                101, 102, 103, 104, 105, 106, 107, 108, 109, 110, // warnings
                                                200});
    CHECK(s.more_failures == 20);
    CHECK(s.more_warnings == 2);
    CHECK(s.more_notices == 0);
    CHECK(publish::describe_more(s) == "20 more failures, 2 more warnings");
  }

  TEST_CASE("findings made when read (Outcome::make_finding) are chosen and counted as held ones") {
    std::vector<model::Finding> all;
    for (int i = 1; i <= 30; ++i) all.push_back(at(i, model::Level::failure, i == 21 || i == 30));
    for (int i = 101; i <= 112; ++i) all.push_back(at(i, model::Level::warning));
    model::Outcome held, made;
    held.findings = all;
    made.made_findings = all.size();
    made.make_finding = [&](size_t i, model::Finding& into) { into = all[i]; };
    const auto a = publish::fallback_annotations(held), b = publish::fallback_annotations(made);
    CHECK(lines_of(b.shown) == lines_of(a.shown));
    CHECK(lines_of(b.shown).front() == 21);
    CHECK(b.more_failures == 20);
    CHECK(b.more_warnings == 2);
    // Held findings come first, then the made ones.
    held.findings.push_back(at(300, model::Level::notice));
    held.made_findings = 1;
    held.make_finding = [](size_t, model::Finding& into) { into = at(301, model::Level::notice); };
    CHECK(lines_of(publish::fallback_annotations(held).shown).back() == 301);
  }

  TEST_CASE("the --max-annotations cap is honoured, most severe first") {
    model::Outcome o;
    o.max_annotations = 3;
    for (int i = 1; i <= 2; ++i) o.findings.push_back(at(i, model::Level::failure));
    for (int i = 11; i <= 12; ++i) o.findings.push_back(at(i, model::Level::warning));
    const auto s = publish::fallback_annotations(o);
    CHECK(lines_of(s.shown) == std::vector<int>{1, 2, 11});
    CHECK(publish::describe_more(s) == "1 more warning");
  }
}
