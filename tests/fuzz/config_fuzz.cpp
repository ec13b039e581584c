// libFuzzer target: the Tollgate config (.github/tollgate.yml, written by pull-request code) as
// the CLI loads it, and the probe list read from it. Errors must be InputErrors, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <yaml-cpp/yaml.h>

#include "probe/probe_config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  YAML::Node config;
  try {
    config = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return 0; // the CLI turns this into exit 2 with the line and column
  }
  try {
    (void)tollgate::probe::build_probe_specs(config, ".github/tollgate.yml", {},
                                             [](const std::string&) { return std::optional<std::string>("v"); });
  } catch (const tollgate::util::InputError&) {
  }
  return 0;
}
