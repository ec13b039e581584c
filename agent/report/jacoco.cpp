#include "report/jacoco.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"

#include <algorithm>
#include <compare>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(pugi::xml_node root,
                                                                     std::string_view bytes) {
  model::CoverageReport report;
  report.format = "jacoco";
  ExpansionBudget budget(bytes.size());
  std::unordered_map<std::string, size_t> index;
  // Groups nest (report > group > group > package); walked with a stack, not recursion.
  std::vector<pugi::xml_node> containers{root};
  while (!containers.empty()) {
    const pugi::xml_node container = containers.back();
    containers.pop_back();
    for (pugi::xml_node group : container.children("group"))
      containers.push_back(group);
    for (pugi::xml_node package : container.children("package")) {
      std::string prefix(attr(package, "name"));
      if (!prefix.empty() && prefix.back() != '/') prefix += '/';
      for (pugi::xml_node source : package.children("sourcefile")) {
        const std::string_view name = attr(source, "name");
        if (name.empty())
          return util::unexpected(
              error_at_node(bytes, source, "<sourcefile> without a name attribute"));
        auto [it, inserted] = index.try_emplace(prefix + std::string(name), report.files.size());
        if (inserted) {
          report.files.emplace_back();
          report.files.back().path = it->first;
        }
        model::FileCoverage& file = report.files[it->second];
        for (pugi::xml_node line : source.children("line")) {
          uint32_t number = 0;
          const LineNumber check = check_line(attr(line, "nr"), number);
          if (check == LineNumber::zero) continue;
          if (check != LineNumber::ok)
            return util::unexpected(error_at_node(bytes, line, line_number_problem(check)));
          const auto ci = parse_digits(attr(line, "ci"));
          const auto mb = parse_digits(attr(line, "mb"));
          const auto cb = parse_digits(attr(line, "cb"));
          if (!ci || !parse_digits(attr(line, "mi")) || !mb || !cb)
            return util::unexpected(
                error_at_node(bytes, line, "<line> needs numeric mi, ci, mb and cb attributes"));
          file.lines.push_back({number, model::saturate_hits(*ci)});
          if (*mb > UINT32_MAX || *cb > UINT32_MAX || !budget.take(*mb + *cb))
            return util::unexpected(error_at_node(bytes, line, k_branch_budget_message));
          add_counted_branches(file, number, *cb, *mb + *cb);
        }
      }
    }
  }
  for (auto& f : report.files)
    f.normalize();
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(std::string_view bytes) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  return parse_jacoco(*root, bytes);
}

} // namespace tollgate::report

namespace tollgate::report {

namespace {

// A step of parse_jacoco's walk down to a <sourcefile>: a container's packages come before its
// groups, its groups last-first, sourcefiles in order. Keys compare as the walk meets them.
struct Step {
  bool group = false;
  int64_t index = 0; // a group's: minus its position among the container's groups
  auto operator<=>(const Step&) const = default;
};
using WalkKey = std::vector<Step>;

// Which of nr, mi, ci, mb, cb an attribute name is (0–4), else 5: two bytes tell them apart.
size_t line_attribute(const char* name) {
  if (name[0] == '\0' || name[1] == '\0' || name[2] != '\0') return 5;
  const char second = name[1];
  switch (name[0]) {
  case 'n':
    return second == 'r' ? 0 : 5;
  case 'm':
    return second == 'i' ? 1 : second == 'b' ? 3 : 5;
  case 'c':
    return second == 'i' ? 2 : second == 'b' ? 4 : 5;
  default:
    return 5;
  }
}

// A <line>'s nr, mi, ci, mb and cb, each the first of its name (as attr() finds it), or nothing
// when parse_jacoco would stop at it with an error. Lines numbered 0 give {0, …}.
struct JacocoLine {
  uint32_t number = 0;
  uint64_t ci = 0, mb = 0, cb = 0;
};
std::optional<JacocoLine> read_line(pugi::xml_node line) {
  std::string_view value[5];
  bool seen[5] = {};
  for (pugi::xml_attribute at = line.first_attribute(); at; at = at.next_attribute())
    if (const size_t i = line_attribute(at.name()); i < 5 && !seen[i]) {
      seen[i] = true;
      value[i] = at.value();
    }
  JacocoLine out;
  const LineNumber check = check_line(value[0], out.number);
  if (check == LineNumber::zero) return JacocoLine{};
  if (check != LineNumber::ok) return std::nullopt;
  const auto ci = parse_digits(value[2]);
  const auto mb = parse_digits(value[3]);
  const auto cb = parse_digits(value[4]);
  if (!ci || !parse_digits(value[1]) || !mb || !cb) return std::nullopt;
  if (*mb > UINT32_MAX || *cb > UINT32_MAX) return std::nullopt;
  out.ci = *ci;
  out.mb = *mb;
  out.cb = *cb;
  return out;
}

} // namespace

struct JacocoStream::State {
  enum class Kind { none, container, package, sourcefile };
  struct Frame {
    Kind kind = Kind::none;
    int64_t groups = 0, packages = 0, sourcefiles = 0; // children met so far
  };
  explicit State(size_t input_bytes) : budget(input_bytes) {}
  model::CoverageReport report;
  ExpansionBudget budget;
  bool failed = false;
  std::unordered_map<std::string, size_t> index; // path → file
  std::vector<WalkKey> first;                     // per file: its first place in the walk
  std::vector<FoldedEntries> folded;              // per file
  std::vector<Frame> frames;                      // per open element
  WalkKey key;                                    // of the open group/package/sourcefile path
  std::string prefix;                             // the open package's name and '/'
  size_t file = 0;
};

JacocoStream::JacocoStream(size_t input_bytes) : m_state(std::make_unique<State>(input_bytes)) {
  m_state->report.format = "jacoco";
}
JacocoStream::~JacocoStream() = default;

void JacocoStream::open(pugi::xml_node element, size_t depth) {
  using Kind = State::Kind;
  State& s = *m_state;
  s.frames.resize(depth);
  Kind kind = Kind::none;
  State::Frame* parent = depth == 0 ? nullptr : &s.frames[depth - 1];
  const std::string_view name = element.name();
  if (depth == 0) {
    kind = Kind::container;
  } else if (s.failed || parent->kind == Kind::none) {
  } else if (parent->kind == Kind::container && name == "group") {
    kind = Kind::container;
    s.key.push_back({true, -parent->groups++});
  } else if (parent->kind == Kind::container && name == "package") {
    kind = Kind::package;
    s.key.push_back({false, parent->packages++});
    s.prefix = attr(element, "name");
    if (!s.prefix.empty() && s.prefix.back() != '/') s.prefix += '/';
  } else if (parent->kind == Kind::package && name == "sourcefile") {
    const std::string_view file = attr(element, "name");
    if (file.empty()) {
      s.failed = true;
    } else {
      kind = Kind::sourcefile;
      s.key.push_back({false, parent->sourcefiles++});
      auto [it, inserted] = s.index.try_emplace(s.prefix + std::string(file), s.first.size());
      if (inserted) {
        s.report.files.emplace_back().path = it->first;
        s.first.push_back(s.key);
        s.folded.emplace_back();
      } else if (s.key < s.first[it->second]) {
        s.first[it->second] = s.key;
      }
      s.file = it->second;
    }
  } else if (parent->kind == Kind::sourcefile && name == "line") {
    const auto line = read_line(element);
    model::FileCoverage& file = s.report.files[s.file];
    if (!line || !s.budget.take(line->mb + line->cb)) {
      s.failed = true;
    } else if (line->number != 0) {
      file.lines.push_back({line->number, model::saturate_hits(line->ci)});
      add_counted_branches(file, line->number, line->cb, line->mb + line->cb);
      if (unfolded_entries(file, s.folded[s.file]) >
          2 * (s.folded[s.file].lines + s.folded[s.file].branches) + 4096)
        fold_entries(file, s.folded[s.file]);
    }
  }
  s.frames.push_back({kind});
}

void JacocoStream::close(size_t depth) {
  using Kind = State::Kind;
  State& s = *m_state;
  if (depth < s.frames.size() && depth > 0) {
    const Kind kind = s.frames[depth].kind;
    if (kind != Kind::none && !s.key.empty()) s.key.pop_back();
    if (kind == Kind::sourcefile && !s.failed) {
      model::FileCoverage& file = s.report.files[s.file];
      const FoldedEntries& done = s.folded[s.file];
      if (2 * unfolded_entries(file, done) >= done.lines + done.branches)
        fold_entries(file, s.folded[s.file]);
    }
  }
  s.frames.resize(std::min(depth, s.frames.size()));
}

bool JacocoStream::failed() const {
  return m_state->failed;
}

model::CoverageReport JacocoStream::take() {
  State& s = *m_state;
  std::vector<size_t> order(s.report.files.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return s.first[a] < s.first[b]; });
  model::CoverageReport report;
  report.format = std::move(s.report.format);
  report.files.reserve(order.size());
  for (const size_t i : order) {
    report.files.push_back(std::move(s.report.files[i]));
    report.files.back().normalize();
  }
  return report;
}

} // namespace tollgate::report
