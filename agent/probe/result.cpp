#include "probe/result.h"

#include "probe/expectations.h"

namespace tollgate::probe {

ProbeResult summarize(const ProbeSpec& spec, Analysis analysis, std::vector<Sample> samples) {
  ProbeResult r;
  r.name = spec.name;
  r.shown_url = spec.shown_url;
  std::vector<double> latencies;
  for (const auto& s : samples) {
    if (s.kind != SampleKind::error) latencies.push_back(s.latency_ms);
  }
  r.percentiles = latency_percentiles(latencies);
  if (analysis.verdict() != Verdict::failed) {
    if (auto over = check_percentiles(spec, r.percentiles)) analysis.fail(*over);
  }
  r.samples = std::move(samples);
  r.failures = analysis.failures();
  r.errors = analysis.errors();
  r.verdict = analysis.verdict();
  r.passed = analysis.passed();
  r.reason = analysis.reason();
  return r;
}

} // namespace tollgate::probe
