// libFuzzer target: the Tollgate config (.github/tollgate.yml, written by pull-request code) as
// the CLI loads it (util::load_yaml, the schema check), and the probe list read from it. Errors
// must be InputErrors or ParseErrors, never crashes, and never unbounded work.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <yaml-cpp/yaml.h>

#include "command/tollgate_config.h"
#include "probe/probe_config.h"
#include "util/error.h"
#include "util/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto config = tollgate::util::load_yaml(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!config) return 0; // the CLI turns this into exit 2 with the line and column
  try {
    tollgate::command::check_config_keys(*config, ".github/tollgate.yml");
    (void)tollgate::probe::build_probe_specs(*config, ".github/tollgate.yml", {},
                                             [](const std::string&) { return std::optional<std::string>("v"); });
  } catch (const tollgate::util::InputError&) {
  }
  return 0;
}
