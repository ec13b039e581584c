#pragma once
// The one way Tollgate reads YAML (the Tollgate config, lighthouserc files, probe configs): a
// bounded pass over yaml-cpp's parse events before anything is built. yaml-cpp shares aliased
// nodes while loading, but every walk over the result (iteration, conversion) expands them, so
// a few hundred bytes of nested aliases ("billion laughs") become billions of nodes. The pass
// counts nodes as if every alias were expanded and stops at a limit, with the line and column of
// the alias that crossed it; a file within the limits then loads with yaml-cpp as usual.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

#include "util/error.h"
#include "util/expected.h"
#include "util/json.h"

namespace tollgate::util {

// Nodes in a document with every alias expanded. Tollgate's own bound, in the spirit of
// go-yaml v3's alias-expansion check (the Kubernetes "billion laughs" fix, CVE-2019-11253):
// real configs hold hundreds of nodes; the 394-byte bomb of the hostile suite expands to 10^9.
constexpr size_t k_max_yaml_nodes = 100'000;

// Nesting, aliases expanded: the same bound as for JSON.
constexpr size_t k_max_yaml_depth = k_max_json_depth;

// A config file is read whole; configs are a few KB, so anything past this is not one.
constexpr size_t k_max_yaml_bytes = 1024 * 1024;

// Checks `bytes` against the limits above and for what yaml-cpp lets through silently: a key
// written twice in one mapping (js-yaml, which lhci uses, refuses it too), an alias of a node
// that contains it (a cycle), and a second document. Pure; no exceptions; nullopt when fine.
std::optional<ParseError> check_yaml(std::string_view bytes);

// check_yaml, then yaml-cpp's Load; every error has a 1-based line and column.
Expected<YAML::Node, ParseError> load_yaml(std::string_view bytes);

// The file wrapper: reads at most k_max_yaml_bytes and throws util::InputError
// ("path:line:column: message") on any error.
YAML::Node load_yaml_file(const std::string& path);

} // namespace tollgate::util
