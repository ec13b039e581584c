#include "publish/merge_json.h"

#include "publish/coverage_json.h"

namespace tollgate::publish {

void write_merge_json(util::JsonWriter& w, const MergeJsonInput& in) {
  w.Key("legs");
  w.StartArray();
  for (const auto& leg : *in.legs) {
    w.StartObject();
    w.Key("source"); util::write_string(w, leg.source);
    w.Key("command"); util::write_string(w, leg.command);
    w.Key("check_name"); util::write_string(w, leg.check_name);
    w.Key("passed"); w.Bool(leg.passed);
    w.Key("conclusion"); w.String(model::to_string(leg.conclusion));
    w.Key("title"); util::write_string(w, leg.title);
    if (leg.has_writer || leg.missing) {
      w.Key("job"); util::write_string(w, leg.job);
      w.Key("leg"); util::write_string(w, leg.leg);
    }
    if (leg.missing) {
      w.Key("missing"); w.Bool(true);
      w.Key("job_conclusion"); util::write_string(w, leg.job_conclusion);
      w.Key("job_url"); util::write_string(w, leg.job_url);
    }
    w.EndObject();
  }
  w.EndArray();

  // Which legs each finding came from, in the order of "findings".
  w.Key("finding_legs");
  w.StartArray();
  for (const auto& s : *in.findings) {
    w.StartArray();
    for (const auto& name : s.legs) util::write_string(w, name);
    w.EndArray();
  }
  w.EndArray();

  w.Key("totals");
  w.StartObject();
  if (in.tests) write_test_totals(w, *in.tests);
  if (in.coverage) write_coverage_totals(w, in.coverage->totals);
  w.EndObject();
  if (!in.coverage) return;

  if (in.patch) write_patch_json(w, *in.patch);
  write_coverage_files_json(w, in.coverage->files, in.coverage->outside);
}

} // namespace tollgate::publish
