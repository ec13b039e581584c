#pragma once
// Probe specs from the command line and the config. Precedence, lowest first: built-in
// defaults, the config's `analysis:` map, analysis flags on the command line, then the keys of
// one probe in the config's `probes:` list (the most specific wins).
//
//   analysis: {interval: 2s, count: 10}
//   probes:
//     - name: api
//       url: https://api.example.com/health
//       headers: {Authorization: "Bearer ${API_TOKEN}"}
//       expect-json: ['/status == "ok"', '/checks/db/latency_ms < 50']
//       tls-min-days: 14
//       failure-limit: 1
#include "probe/probe_spec.h"

#include <string>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace tollgate::probe {

// What the command line said, as key/value pairs in the order given (repeatable keys repeat).
struct ProbeInputs {
  std::vector<std::pair<std::string, std::string>> analysis; // analysis keys
  std::vector<std::string> urls;                             // one probe per --url
  std::vector<std::pair<std::string, std::string>> probe;    // probe keys for the --url probes
  std::string ca_file;                                       // --cacert, for every probe
  bool allow_redirects = false;                              // --allow-redirects, for every probe
};

// The probes to run: one per --url when any is given (the config's `probes:` list is then not
// used), else the config's list. Throws util::InputError naming the file, line and key.
std::vector<ProbeSpec> build_probe_specs(const YAML::Node& config, const std::string& config_path,
                                         const ProbeInputs& inputs, const EnvLookup& env);

} // namespace tollgate::probe
