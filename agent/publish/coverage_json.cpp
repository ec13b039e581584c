#include "publish/coverage_json.h"

namespace tollgate::publish {

void write_coverage_totals(util::JsonWriter& w, const model::CoverageCounts& c) {
  w.Key("lines");
  w.Uint64(c.lines);
  w.Key("lines_covered");
  w.Uint64(c.lines_covered);
  // Nothing to cover is null, never a made-up 100 (docs/counting.md, "Coverage").
  w.Key("line_pct");
  if (c.lines)
    w.Double(c.line_pct());
  else
    w.Null();
  w.Key("branches");
  w.Uint64(c.branches);
  w.Key("branches_covered");
  w.Uint64(c.branches_covered);
  w.Key("branch_pct");
  if (c.branches)
    w.Double(c.branch_pct());
  else
    w.Null();
}

void write_test_totals(util::JsonWriter& w, const gate::TestTotals& t) {
  w.Key("tests");
  w.Uint64(t.tests);
  w.Key("passed");
  w.Uint64(t.passed);
  w.Key("failed");
  w.Uint64(t.failed);
  w.Key("errors");
  w.Uint64(t.errors);
  w.Key("skipped");
  w.Uint64(t.skipped);
  w.Key("flaky");
  w.Uint64(t.flaky);
  w.Key("duration_s");
  w.Double(t.duration_s);
}

void write_patch_json(util::JsonWriter& w, const gate::PatchCoverage& patch) {
  w.Key("patch");
  w.StartObject();
  w.Key("lines");
  w.Uint64(patch.lines);
  w.Key("lines_covered");
  w.Uint64(patch.lines_covered);
  w.Key("pct");
  w.Double(patch.pct());
  w.Key("changed_lines");
  w.Uint64(patch.changed_lines);
  w.Key("files");
  w.StartArray();
  for (const auto& f : patch.files) {
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("lines");
    w.Uint64(f.lines);
    w.Key("lines_covered");
    w.Uint64(f.lines_covered);
    w.Key("uncovered_lines");
    w.StartArray();
    for (const uint32_t l : f.uncovered)
      w.Uint(l);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_coverage_files_json(util::JsonWriter& w, const std::vector<model::FileCoverage>& files,
                               const std::vector<std::string>& outside) {
  w.Key("files");
  w.StartArray();
  for (const auto& f : files) {
    const auto c = model::count_coverage(f);
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("lines");
    w.Uint64(c.lines);
    w.Key("lines_covered");
    w.Uint64(c.lines_covered);
    w.Key("branches");
    w.Uint64(c.branches);
    w.Key("branches_covered");
    w.Uint64(c.branches_covered);
    w.EndObject();
  }
  w.EndArray();
  w.Key("outside_repository");
  w.StartArray();
  for (const auto& p : outside)
    util::write_string(w, p);
  w.EndArray();
  w.Key("coverage_data");
  w.StartObject();
  w.Key("version");
  w.Uint(1);
  w.Key("files");
  w.StartArray();
  for (const auto& f : files) {
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("lines");
    w.StartArray();
    for (const auto& l : f.lines) w.uint_tuple({l.line, l.hits});
    w.EndArray();
    w.Key("branches");
    w.StartArray();
    for (const auto& b : f.branches) w.uint_tuple({b.line, b.block, b.branch, b.hits});
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

} // namespace tollgate::publish
