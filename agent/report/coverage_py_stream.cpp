// coverage.py's JSON report read as a stream of JSON events: the lines and arcs of each file go
// straight into the model, by the rules of parse_coverage_py (the DOM reader,
// report/coverage_py.cpp): a member read by name is its first occurrence, and the error
// reported for a file is the first of its lists, in the order the DOM reader reads them.
#include "report/coverage_json.h"
#include "report/coverage_numbers.h"
#include "report/json_events.h"

#include <array>
#include <fmt/format.h>
#include <vector>

namespace tollgate::report {

namespace {

enum class Role : uint8_t { skip, root, files, file, list, arc };

// The lists read, in the DOM reader's order; the first two hold lines, the others arcs.
constexpr std::array<const char*, 4> k_lists = {"executed_lines", "missing_lines",
                                                "executed_branches", "missing_branches"};
constexpr uint32_t hits_of(size_t list) {
  return list % 2 == 0 ? 1 : 0;
}

struct Frame {
  Role role;
  uint8_t seen = 0; // members of this object already met (by bit), or which list
};

// A line number from the JSON: ok, zero (skipped) or an error.
LineNumber json_line(const JsonScalar& v, uint32_t& line) {
  if (v.kind == JsonScalar::Kind::negative) return LineNumber::out_of_range;
  uint64_t n = 0;
  if (!json_uint(v, n)) return LineNumber::invalid;
  return check_line(n, line);
}

class CoveragePyEvents {
public:
  void key(std::string_view key);
  void scalar(const JsonScalar& v) { begin_value(Shape::scalar, &v); }
  void string(std::string_view) { scalar({JsonScalar::Kind::other}); }
  void start_object() { m_stack.push_back(begin_value(Shape::object, nullptr)); }
  void start_array() { m_stack.push_back(begin_value(Shape::array, nullptr)); }
  void end_object();
  void end_array();

  model::CoverageReport& report() { return m_report; }
  std::optional<util::ParseError>& error() { return m_error; }
  bool files_object() const { return m_files_object; }

private:
  enum class Shape { scalar, object, array };
  Frame begin_value(Shape shape, const JsonScalar* v);
  void fail(size_t list, std::string message) {
    if (!m_problems[list]) m_problems[list] = std::move(message);
  }
  void add_line(size_t list, const JsonScalar& v);

  std::vector<Frame> m_stack;
  Role m_next = Role::skip; // the role of the value after the last key
  uint8_t m_next_list = 0;
  bool m_files_object = false;
  std::optional<util::ParseError> m_error; // the first file's error
  model::CoverageReport m_report;
  // The file being read, and the first problem in each of its lists.
  std::string m_path;
  model::FileCoverage m_file;
  std::vector<model::LineHits> m_lines;      // the file's lines so far
  std::vector<model::BranchHits> m_branches; // and arcs
  std::array<std::optional<std::string>, 4> m_problems;
  // The arc being read: its elements so far, and whether each was an integer (IsInt64).
  size_t m_arc_size = 0;
  bool m_arc_ints = true;
  JsonScalar m_arc[2];
};

Frame CoveragePyEvents::begin_value(Shape shape, const JsonScalar* v) {
  Role role = m_next;
  uint8_t list = m_next_list;
  if (m_stack.empty())
    role = Role::root;
  else if (m_stack.back().role == Role::skip)
    role = Role::skip;
  else if (m_stack.back().role == Role::list)
    role = Role::list, list = m_stack.back().seen;
  else if (m_stack.back().role == Role::arc)
    role = Role::arc;
  const bool element =
      !m_stack.empty() && (m_stack.back().role == Role::list || m_stack.back().role == Role::arc);
  m_next = Role::skip;
  if (element && role == Role::arc) { // an element of an arc
    if (m_arc_size < 2 && v) m_arc[m_arc_size] = *v;
    m_arc_ints = m_arc_ints && v && v->is_int64();
    ++m_arc_size;
    return {Role::skip};
  }
  if (element) { // an element of a list
    if (list < 2) {
      if (v)
        add_line(list, *v);
      else
        fail(list, fmt::format("{}: {}", k_lists[list], line_number_problem(LineNumber::invalid)));
      return {Role::skip};
    }
    if (shape != Shape::array) {
      fail(list, fmt::format("{} holds something that is not an arc [from, to]", k_lists[list]));
      return {Role::skip};
    }
    m_arc_size = 0;
    m_arc_ints = true;
    return {Role::arc, list};
  }
  switch (role) {
  case Role::root:
    return {shape == Shape::object ? Role::root : Role::skip};
  case Role::files:
    m_files_object = shape == Shape::object;
    return {m_files_object ? Role::files : Role::skip};
  case Role::file:
    if (m_error) return {Role::skip};
    if (shape != Shape::object) {
      m_error = coverage_py_file_error(m_path, "is not an object");
      return {Role::skip};
    }
    m_file = {};
    m_file.path = m_path;
    m_lines.clear();
    m_branches.clear();
    m_problems = {};
    return {Role::file};
  case Role::list:
    if (shape != Shape::array) {
      fail(list, fmt::format("{} is not an array", k_lists[list]));
      return {Role::skip};
    }
    return {Role::list, list};
  default:
    return {Role::skip};
  }
}

void CoveragePyEvents::add_line(size_t list, const JsonScalar& v) {
  if (m_problems[list]) return;
  uint32_t line = 0;
  const LineNumber check = json_line(v, line);
  if (check == LineNumber::zero) return;
  if (check != LineNumber::ok)
    return fail(list, fmt::format("{}: {}", k_lists[list], line_number_problem(check)));
  m_lines.push_back({line, hits_of(list)});
}

void CoveragePyEvents::key(std::string_view key) {
  Frame& frame = m_stack.back();
  m_next = Role::skip;
  if (frame.role == Role::root) {
    if (key == "files" && !(frame.seen & 1)) m_next = Role::files;
    if (key == "files") frame.seen |= 1;
  } else if (frame.role == Role::files) {
    m_path.assign(key);
    m_next = Role::file;
  } else if (frame.role == Role::file) {
    for (uint8_t i = 0; i < k_lists.size(); ++i)
      if (key == k_lists[i] && !(frame.seen & (1u << i))) {
        frame.seen |= static_cast<uint8_t>(1u << i);
        m_next = Role::list;
        m_next_list = i;
      }
  }
}

void CoveragePyEvents::end_object() {
  const Role role = m_stack.back().role;
  m_stack.pop_back();
  if (role != Role::file) return;
  for (size_t i = 0; i < k_lists.size(); ++i)
    if (m_problems[i]) {
      m_error = coverage_py_file_error(m_path, std::move(*m_problems[i]));
      return;
    }
  // One allocation of the file's size each, from lists that keep their capacity between files
  // (growing each file's own vector copied it into fresh pages at every doubling).
  m_file.lines.assign(m_lines.begin(), m_lines.end());
  m_file.branches.assign(m_branches.begin(), m_branches.end());
  m_file.normalize();
  m_report.files.push_back(std::move(m_file));
}

void CoveragePyEvents::end_array() {
  const Frame frame = m_stack.back();
  m_stack.pop_back();
  if (frame.role != Role::arc || m_problems[frame.seen]) return;
  const size_t list = frame.seen;
  if (m_arc_size != 2 || !m_arc_ints)
    return fail(list,
                fmt::format("{} holds something that is not an arc [from, to]", k_lists[list]));
  uint32_t line = 0;
  const LineNumber check = json_line(m_arc[0], line);
  if (check == LineNumber::zero) return;
  if (check != LineNumber::ok)
    return fail(list, fmt::format("{}: {}", k_lists[list], line_number_problem(check)));
  // Destinations are negative for exits from a code object; the id only has to be stable.
  const int64_t to = m_arc[1].kind == JsonScalar::Kind::negative
                         ? m_arc[1].negative
                         : static_cast<int64_t>(m_arc[1].natural);
  m_branches.push_back({line, model::k_arc_block, static_cast<uint32_t>(to), hits_of(list)});
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError> stream_coverage_py(JsonInput& input,
                                                                           JsonShape& shape) {
  CoveragePyEvents events;
  if (auto error = stream_json(input, events, shape))
    return util::unexpected(util::ParseError{std::move(error->message), 0, 0});
  if (!events.files_object())
    return util::unexpected(util::ParseError{"coverage.py JSON needs a \"files\" object", 0, 0});
  if (events.error()) return util::unexpected(std::move(*events.error()));
  model::CoverageReport report = std::move(events.report());
  report.format = "coveragepy";
  return report;
}

} // namespace tollgate::report
