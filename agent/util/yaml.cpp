#include "util/yaml.h"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#include <yaml-cpp/eventhandler.h>

namespace tollgate::util {

namespace {

// What one anchored node costs each time an alias repeats it.
struct Extent {
  size_t nodes = 1;
  size_t height = 1;
};

// Counts nodes as if every alias were expanded, from the parser's events: O(events) time and
// memory, whatever the aliases multiply to. Errors are thrown as YAML::ParserException, which the
// parser passes through, so the message keeps the mark of the event that crossed a limit.
class BoundedScan final : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++m_documents > 1)
      throw YAML::ParserException(mark, "a second YAML document (---): a config file holds one");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, "null", false); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    leaf(mark, anchor, value, tag == "?" && value == "<<");
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto known = m_anchors.find(anchor);
    if (known == m_anchors.end())
      throw YAML::ParserException(mark, "an alias of a node that contains it (a cycle)");
    child_starts(mark, nullptr);
    const Extent e = known->second;
    if (m_open.size() + e.height > k_max_yaml_depth)
      throw YAML::ParserException(mark, fmt::format("aliases nest deeper than {} levels", k_max_yaml_depth));
    count(mark, e.nodes);
    add_to_parent(e);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

private:
  struct Frame {
    Extent extent;
    YAML::anchor_t anchor = 0;
    bool is_map = false;
    bool next_is_key = true;
    std::unordered_map<std::string, size_t> key_lines; // key → 1-based line where first written
  };

  // A node begins inside the innermost collection: in a mapping, keys and values alternate.
  void child_starts(const YAML::Mark& mark, const std::string* scalar, bool merge_key = false) {
    if (m_open.empty() || !m_open.back().is_map) return;
    Frame& parent = m_open.back();
    const bool is_key = parent.next_is_key;
    parent.next_is_key = !parent.next_is_key;
    // A plain `<<` is a merge key (YAML 1.1 merge type, applied by js-yaml); it may repeat.
    if (!is_key || !scalar || merge_key) return;
    const auto [it, inserted] = parent.key_lines.emplace(*scalar, mark.line + 1);
    if (!inserted)
      throw YAML::ParserException(mark, fmt::format("duplicate key '{}' (first at line {})", *scalar, it->second));
  }

  void count(const YAML::Mark& mark, size_t nodes) {
    m_nodes += nodes;
    if (m_nodes > k_max_yaml_nodes)
      throw YAML::ParserException(mark, fmt::format("aliases expand to more than {} nodes (an alias bomb?)", k_max_yaml_nodes));
  }

  void add_to_parent(const Extent& e) {
    if (m_open.empty()) return;
    Extent& p = m_open.back().extent;
    p.nodes += e.nodes;
    p.height = std::max(p.height, e.height + 1);
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& text, bool merge_key) {
    child_starts(mark, &text, merge_key);
    count(mark, 1);
    if (anchor) m_anchors[anchor] = Extent{};
    add_to_parent(Extent{});
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    child_starts(mark, nullptr);
    if (m_open.size() + 1 > k_max_yaml_depth)
      throw YAML::ParserException(mark, fmt::format("nesting deeper than {} levels", k_max_yaml_depth));
    count(mark, 1);
    Frame f;
    f.anchor = anchor;
    f.is_map = is_map;
    m_open.push_back(std::move(f));
  }

  void close() {
    if (m_open.empty()) return;
    const Frame done = std::move(m_open.back());
    m_open.pop_back();
    if (done.anchor) m_anchors[done.anchor] = done.extent;
    add_to_parent(done.extent);
  }

  std::vector<Frame> m_open;
  std::unordered_map<YAML::anchor_t, Extent> m_anchors;
  size_t m_nodes = 0;
  int m_documents = 0;
};

ParseError error_of(const YAML::Exception& e) {
  return ParseError{e.msg, static_cast<size_t>(std::max(0, e.mark.line) + 1), static_cast<size_t>(std::max(0, e.mark.column) + 1)};
}

} // namespace

std::optional<ParseError> check_yaml(std::string_view bytes) {
  if (bytes.size() > k_max_yaml_bytes)
    return ParseError{fmt::format("larger than {} bytes: not a config file", k_max_yaml_bytes), 0, 0};
  try {
    std::istringstream in{std::string(bytes)};
    YAML::Parser parser(in);
    BoundedScan scan;
    while (parser.HandleNextDocument(scan)) {
    }
  } catch (const YAML::Exception& e) {
    return error_of(e);
  }
  return std::nullopt;
}

Expected<YAML::Node, ParseError> load_yaml(std::string_view bytes) {
  if (auto problem = check_yaml(bytes)) return unexpected(std::move(*problem));
  try {
    return YAML::Load(std::string(bytes));
  } catch (const YAML::Exception& e) {
    return unexpected(error_of(e));
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open", path));
  std::string bytes(k_max_yaml_bytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) throw InputError(fmt::format("{}: read error", path));
  bytes.resize(static_cast<size_t>(in.gcount()));
  auto node = load_yaml(bytes);
  if (!node) throw InputError(describe(path, node.error()));
  return std::move(*node);
}

} // namespace tollgate::util
