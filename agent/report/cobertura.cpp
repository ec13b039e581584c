#include "report/cobertura.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"
#include "util/text.h"

#include <fmt/format.h>
#include <string>
#include <unordered_map>

namespace tollgate::report {

namespace {

// condition-coverage="50% (1/2)" → covered 1 of 2.
bool parse_condition_coverage(std::string_view text, uint64_t& covered, uint64_t& total) {
  const size_t open = text.find('(');
  const size_t slash = text.find('/', open);
  const size_t close = text.find(')', slash);
  if (open == std::string_view::npos || slash == std::string_view::npos ||
      close == std::string_view::npos)
    return false;
  const auto c = parse_digits(util::trim(text.substr(open + 1, slash - open - 1)));
  const auto t = parse_digits(util::trim(text.substr(slash + 1, close - slash - 1)));
  if (!c || !t || *c > *t) return false;
  covered = *c;
  total = *t;
  return true;
}

// name == want, compared inline (a call to strcmp per attribute shows in the profile).
bool is_name(const char* name, std::string_view want) {
  for (const char c : want)
    if (*name++ != c) return false;
  return *name == '\0';
}

// The attributes of a <line> that are read, each the first of its name (as attr() finds it), in
// one pass over the attributes: a report is mostly <line> elements.
struct LineAttributes {
  std::string_view number, hits, branch, condition;
};
LineAttributes line_attributes(pugi::xml_node line) {
  LineAttributes a;
  bool number = false, hits = false, branch = false, condition = false;
  for (pugi::xml_attribute at = line.first_attribute(); at; at = at.next_attribute()) {
    const char* name = at.name();
    const auto take = [&](std::string_view want, bool& seen, std::string_view& into) {
      if (!seen && is_name(name, want)) {
        seen = true;
        into = at.value();
      }
    };
    switch (name[0]) {
    case 'n':
      take("number", number, a.number);
      break;
    case 'h':
      take("hits", hits, a.hits);
      break;
    case 'b':
      take("branch", branch, a.branch);
      break;
    case 'c':
      take("condition-coverage", condition, a.condition);
      break;
    default:
      break;
    }
  }
  return a;
}

// One <line> of a class: its hits, and branches from condition-coverage. An error message, or
// empty.
std::string read_line(pugi::xml_node line, model::FileCoverage& file, ExpansionBudget& budget) {
  const LineAttributes a = line_attributes(line);
  uint32_t number = 0;
  const LineNumber check = check_line(a.number, number);
  if (check == LineNumber::zero) return {};
  if (check != LineNumber::ok) return line_number_problem(check);
  const auto hits = parse_hit_count(a.hits);
  if (!hits) return "hits is not a number";
  file.lines.push_back({number, model::saturate_hits(*hits)});
  if (a.branch != "true") return {};
  const std::string_view condition = a.condition;
  if (condition.empty()) return {};
  uint64_t covered = 0, total = 0;
  if (!parse_condition_coverage(condition, covered, total))
    return fmt::format("condition-coverage '{}' is not 'P% (covered/total)'",
                       util::truncate_utf8(condition, 40));
  if (!budget.take(total)) return k_branch_budget_message;
  add_counted_branches(file, number, covered, total);
  return {};
}

} // namespace

void fold_entries(model::FileCoverage& file, FoldedEntries& done) {
  if (done.lines == 0 && done.branches == 0) {
    file.normalize();
  } else if (file.lines.size() > done.lines || file.branches.size() > done.branches) {
    model::FileCoverage tail;
    tail.lines.assign(file.lines.begin() + static_cast<std::ptrdiff_t>(done.lines),
                      file.lines.end());
    tail.branches.assign(file.branches.begin() + static_cast<std::ptrdiff_t>(done.branches),
                         file.branches.end());
    tail.normalize();
    file.lines.resize(done.lines);
    file.branches.resize(done.branches);
    file.merge(tail);
  }
  done = {file.lines.size(), file.branches.size()};
}

util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(pugi::xml_node root,
                                                                        std::string_view bytes) {
  model::CoverageReport report;
  report.format = "cobertura";
  for (pugi::xml_node source : root.child("sources").children("source")) {
    const std::string text(util::trim(node_text(source)));
    if (!text.empty()) report.source_roots.push_back(text);
  }
  ExpansionBudget budget(bytes.size());
  std::unordered_map<std::string_view, size_t>
      index; // filename → file (a file may have several classes)
  for (pugi::xml_node package : root.child("packages").children("package")) {
    for (pugi::xml_node cls : package.child("classes").children("class")) {
      const std::string_view filename = attr(cls, "filename");
      if (filename.empty())
        return util::unexpected(error_at_node(bytes, cls, "<class> without a filename attribute"));
      auto [it, inserted] = index.try_emplace(filename, report.files.size());
      if (inserted) {
        report.files.emplace_back();
        report.files.back().path = std::string(filename);
      }
      model::FileCoverage& file = report.files[it->second];
      for (pugi::xml_node line : cls.child("lines").children("line")) {
        if (std::string problem = read_line(line, file, budget); !problem.empty())
          return util::unexpected(error_at_node(bytes, line, std::move(problem)));
      }
    }
  }
  for (auto& f : report.files)
    f.normalize();
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(std::string_view bytes) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  return parse_cobertura(*root, bytes);
}

} // namespace tollgate::report

namespace tollgate::report {

// Where the stream stands: which elements on the path down are the ones parse_cobertura reads
// (the first <sources>, the first <packages>, each <package>'s first <classes>, each class's
// first <lines>).
enum class CoberturaStream::Kind { none, root, sources, packages, package, classes, cls, lines };

struct CoberturaStream::State {
  explicit State(size_t input_bytes) : budget(input_bytes), budget_at_start(budget.left()) {}
  model::CoverageReport report;
  ExpansionBudget budget;
  uint64_t budget_at_start;
  bool last_classes_ok = false;
  std::unordered_map<std::string, size_t> index; // filename → file
  std::vector<Kind> kinds;                       // per open element
  bool sources_seen = false, packages_seen = false, classes_seen = false, lines_seen = false;
  size_t file = 0;
  std::vector<FoldedEntries> folded; // per file
};

CoberturaStream::CoberturaStream(size_t input_bytes)
    : m_state(std::make_unique<State>(input_bytes)) {
  m_state->report.format = "cobertura";
}
CoberturaStream::~CoberturaStream() = default;

bool CoberturaStream::is_record(std::string_view name, size_t depth, std::string_view parent) {
  return depth == 2 && name == "source" && parent == "sources";
}

void CoberturaStream::open(pugi::xml_node element, size_t depth, const XmlConsumer& where) {
  using enum Kind;
  State& s = *m_state;
  s.kinds.resize(depth);
  const Kind parent = depth == 0 ? none : s.kinds[depth - 1];
  const std::string_view name = element.name();
  Kind kind = none;
  if (depth == 0) {
    kind = root;
  } else if (m_error) {
  } else if (parent == root && name == "sources") {
    kind = s.sources_seen ? none : sources;
    s.sources_seen = true;
  } else if (parent == root && name == "packages") {
    kind = s.packages_seen ? none : packages;
    s.packages_seen = true;
  } else if (parent == packages && name == "package") {
    kind = package;
    s.classes_seen = false;
  } else if (parent == package && name == "classes") {
    kind = s.classes_seen ? none : classes;
    s.classes_seen = true;
  } else if (parent == classes && name == "class") {
    const std::string_view filename = attr(element, "filename");
    if (filename.empty()) {
      m_error.emplace(where.offset_of(element), "<class> without a filename attribute");
    } else {
      auto [it, inserted] = s.index.try_emplace(std::string(filename), s.report.files.size());
      if (inserted) {
        s.report.files.emplace_back().path = it->first;
        s.folded.emplace_back();
      }
      s.file = it->second;
      s.lines_seen = false;
      kind = cls;
    }
  } else if (parent == cls && name == "lines") {
    kind = s.lines_seen ? none : lines;
    s.lines_seen = true;
  } else if (parent == lines && name == "line") {
    model::FileCoverage& file = s.report.files[s.file];
    if (std::string problem = read_line(element, file, s.budget); !problem.empty()) {
      m_error.emplace(where.offset_of(element), std::move(problem));
    } else if (unfolded_entries(file, s.folded[s.file]) >
               2 * (s.folded[s.file].lines + s.folded[s.file].branches) + 4096) {
      // A file met again and again (one class per method, a report of merged runs) folds its
      // entries as it goes (and at the end of each class, below): memory stays near the result.
      fold_entries(file, s.folded[s.file]);
    }
  }
  s.kinds.push_back(kind);
}

void CoberturaStream::close(pugi::xml_node, size_t depth) {
  State& s = *m_state;
  // At a class's end its lines are folded in once they are half the file's folded entries or
  // more: each fold is linear, so this costs a constant per line.
  if (!m_error && depth < s.kinds.size() && s.kinds[depth] == Kind::cls) {
    model::FileCoverage& file = s.report.files[s.file];
    FoldedEntries& done = s.folded[s.file];
    if (2 * unfolded_entries(file, done) >= done.lines + done.branches) fold_entries(file, done);
  }
  if (depth == 3 && s.kinds.size() == 4)
    s.last_classes_ok = s.kinds[0] == Kind::root && s.kinds[1] == Kind::packages &&
                        s.kinds[2] == Kind::package && s.kinds[3] == Kind::classes;
  s.kinds.resize(depth);
}

void CoberturaStream::record(pugi::xml_node element, size_t depth) {
  State& s = *m_state;
  if (m_error || depth != 2 || s.kinds.size() < 2 || s.kinds[1] != Kind::sources) return;
  const std::string text(util::trim(node_text(element)));
  if (!text.empty()) s.report.source_roots.push_back(text);
}

bool CoberturaStream::last_classes_in_first_packages() const { return m_state->last_classes_ok; }
bool CoberturaStream::saw_sources() const { return m_state->sources_seen; }
uint64_t CoberturaStream::branches_taken() const {
  return m_state->budget_at_start - m_state->budget.left();
}

model::CoverageReport CoberturaStream::take() {
  for (auto& f : m_state->report.files)
    f.normalize();
  return std::move(m_state->report);
}

} // namespace tollgate::report
