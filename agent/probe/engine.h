#pragma once
// Runs probes concurrently on one libcurl multi handle: every probe samples on its own schedule
// (its Analysis decides when), all transfers share one event loop. This transport is separate
// from the GitHub client's: it never sees the GitHub token, and it follows redirects itself so
// that a hop to another origin is refused (or, with allow-redirects, made without the probe's
// headers). TLS peer and host name verification are always on.
#include "probe/probe_spec.h"
#include "probe/result.h"
#include "util/clock.h"

#include <functional>
#include <vector>

namespace tollgate::probe {

// The largest response body kept for the body, regex and JSON checks; the rest is discarded.
constexpr size_t k_max_probe_body_bytes = 1024 * 1024;
// Redirect hops followed per sample, as curl's own default limit would be far too generous here.
constexpr int k_max_redirects = 5;

// Called as each sample finishes, on the thread that called run_probes.
using SampleObserver = std::function<void(const ProbeSpec&, const Sample&, const Analysis&)>;

std::vector<ProbeResult> run_probes(const std::vector<ProbeSpec>& specs, util::Clock& clock,
                                    const SampleObserver& on_sample);

// "scheme://host:port", lower-cased, default port explicit: redirects stay within one origin.
std::string url_origin(std::string_view url);

} // namespace tollgate::probe
