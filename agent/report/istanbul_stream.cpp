// Istanbul's coverage-final.json read as a stream of JSON events: per file entry only the
// statements' start lines, the branches' lines and the counters are kept (ids in one buffer),
// and the entry is turned into coverage when it ends, by the rules of parse_istanbul (the DOM
// reader, report/istanbul.cpp): a member read by name is its first occurrence, counters and maps
// may come in any order, and the first error in the DOM reader's order is the one reported.
#include "report/coverage_json.h"
#include "report/coverage_numbers.h"
#include "report/json_events.h"
#include "report/json_ids.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>
#include <vector>

namespace tollgate::report {

namespace {

// What a value is, by where it stands; skip: nothing under it is read.
enum class Role : uint8_t {
  skip,
  root,
  file,
  path,
  statement_map,
  statement,
  statement_start,
  statement_line,
  s_map,
  s_value,
  branch_map,
  branch,
  branch_loc,
  branch_loc_start,
  branch_start_line,
  branch_line,
  b_map,
  b_value,
  b_count
};

using Id = JsonId;

struct Statement {
  Id id;
  LineNumber check = LineNumber::invalid; // of start.line
  uint32_t line = 0;
};

// A counter of `s`, or of a `b` array.
struct Count {
  uint64_t n = 0;
  bool ok = false; // a count as istanbul_count reads one
};

struct Branch {
  Id id;
  LineNumber check = LineNumber::invalid; // of loc.start.line
  uint32_t line = 0;
  bool has_line = false; // the `line` member is a number (read when loc has no line)
  uint64_t line_n = 0;
};

struct Counters {
  bool array = false;
  size_t begin = 0, end = 0; // in the entry's counts
};

struct Frame {
  Role role;
  uint8_t seen = 0; // members of this object already met, by bit
};

Count count_of(const JsonScalar& v) {
  Count c;
  if (v.kind == JsonScalar::Kind::null)
    c.ok = true;
  else
    c.ok = json_uint(v, c.n);
  return c;
}

class IstanbulEvents {
public:
  void key(std::string_view key);
  void scalar(const JsonScalar& v);
  void string(std::string_view s);
  void start_object() { m_stack.push_back({begin_value(Shape::object)}); }
  void start_array() { m_stack.push_back({begin_value(Shape::array)}); }
  void end_object();
  void end_array();

  model::CoverageReport& report() { return m_report; }
  std::optional<util::ParseError>& error() { return m_error; }
  bool root_not_object() const { return m_root_not_object; }

private:
  enum class Shape { scalar, object, array };
  Role begin_value(Shape shape);
  Role value_role() const;
  Id keep(std::string_view id);
  void end_entry();
  std::optional<std::string> statement_error();
  std::optional<std::string> branch_error();

  std::vector<Frame> m_stack;
  Role m_next = Role::skip; // the role of the value after the last key
  bool m_root_not_object = false;
  std::optional<util::ParseError> m_error; // the first entry's error, in the DOM reader's order
  model::CoverageReport m_report;
  // The entry being read; the vectors keep their capacity from entry to entry.
  std::string m_key;
  model::FileCoverage m_file;
  std::string m_ids;
  std::vector<Statement> m_statements;
  std::vector<Count> m_s;
  std::vector<Id> m_s_ids;
  std::vector<Branch> m_branches;
  std::vector<Id> m_b_ids;
  std::vector<Counters> m_b;
  std::vector<Count> m_counts;
  std::vector<model::LineHits> m_hits;
};

Role IstanbulEvents::value_role() const {
  if (m_stack.empty()) return Role::root;
  // The only arrays read are b's counter lists; members take the role their key gave.
  if (m_stack.back().role == Role::b_value) return Role::b_count;
  if (m_stack.back().role == Role::skip) return Role::skip;
  return m_next;
}

// A value starts: notes what the DOM reader would see of it, and returns the role of its members
// or elements (none for a scalar).
Role IstanbulEvents::begin_value(Shape shape) {
  const Role role = value_role();
  const bool object = shape == Shape::object;
  m_next = Role::skip;
  switch (role) {
  case Role::root:
    m_root_not_object = !object;
    return object ? Role::root : Role::skip;
  case Role::file:
    if (m_error) return Role::skip;
    if (!object) {
      m_error = istanbul_entry_error(m_key, "is not an object");
      return Role::skip;
    }
    m_file = {};
    m_file.path = m_key;
    m_ids.clear();
    m_statements.clear();
    m_s.clear();
    m_s_ids.clear();
    m_branches.clear();
    m_b_ids.clear();
    m_b.clear();
    m_counts.clear();
    return Role::file;
  case Role::s_value:
    m_s.push_back({}); // a container is not a count
    return Role::skip;
  case Role::b_value:
    m_b.back().array = shape == Shape::array;
    m_b.back().begin = m_b.back().end = m_counts.size();
    return m_b.back().array ? Role::b_value : Role::skip;
  case Role::b_count:
    m_counts.push_back({});
    return Role::skip;
  case Role::statement_map:
  case Role::statement:
  case Role::statement_start:
  case Role::s_map:
  case Role::branch_map:
  case Role::branch:
  case Role::branch_loc:
  case Role::branch_loc_start:
  case Role::b_map:
    return object ? role : Role::skip;
  default:
    return Role::skip;
  }
}

Id IstanbulEvents::keep(std::string_view id) {
  const Id kept{m_ids.size(), static_cast<uint32_t>(id.size())};
  m_ids.append(id);
  return kept;
}

void IstanbulEvents::key(std::string_view key) {
  Frame& frame = m_stack.back();
  // The first member of a name, as FindMember finds it.
  const auto first = [&](uint8_t bit) {
    const bool is_first = !(frame.seen & bit);
    frame.seen |= bit;
    return is_first;
  };
  m_next = Role::skip;
  switch (frame.role) {
  case Role::root:
    m_key.assign(key);
    m_next = Role::file;
    break;
  case Role::file:
    if (key == "path" && first(1))
      m_next = Role::path;
    else if (key == "statementMap" && first(2))
      m_next = Role::statement_map;
    else if (key == "s" && first(4))
      m_next = Role::s_map;
    else if (key == "branchMap" && first(8))
      m_next = Role::branch_map;
    else if (key == "b" && first(16))
      m_next = Role::b_map;
    break;
  case Role::statement_map:
    m_statements.push_back({keep(key)});
    m_next = Role::statement;
    break;
  case Role::statement:
    if (key == "start" && first(1)) m_next = Role::statement_start;
    break;
  case Role::statement_start:
    if (key == "line" && first(1)) m_next = Role::statement_line;
    break;
  case Role::s_map:
    m_s_ids.push_back(keep(key));
    m_next = Role::s_value;
    break;
  case Role::branch_map:
    m_branches.push_back({keep(key)});
    m_next = Role::branch;
    break;
  case Role::branch:
    if (key == "loc" && first(1))
      m_next = Role::branch_loc;
    else if (key == "line" && first(2))
      m_next = Role::branch_line;
    break;
  case Role::branch_loc:
    if (key == "start" && first(1)) m_next = Role::branch_loc_start;
    break;
  case Role::branch_loc_start:
    if (key == "line" && first(1)) m_next = Role::branch_start_line;
    break;
  case Role::b_map:
    m_b_ids.push_back(keep(key));
    m_b.push_back({});
    m_next = Role::b_value;
    break;
  default:
    break;
  }
}

void IstanbulEvents::scalar(const JsonScalar& v) {
  const Role role = value_role();
  if (role == Role::s_value) {
    m_s.push_back(count_of(v));
  } else if (role == Role::b_count) {
    m_counts.push_back(count_of(v));
  } else if (role == Role::statement_line) {
    uint64_t n = 0;
    if (json_uint(v, n)) m_statements.back().check = check_line(n, m_statements.back().line);
  } else if (role == Role::branch_start_line) {
    uint64_t n = 0;
    if (json_uint(v, n)) m_branches.back().check = check_line(n, m_branches.back().line);
  } else if (role == Role::branch_line) {
    m_branches.back().has_line = json_uint(v, m_branches.back().line_n);
  } else if (role != Role::skip) {
    begin_value(Shape::scalar); // a file entry, a map or a counter list that is no container
    return;
  }
  m_next = Role::skip;
}

void IstanbulEvents::string(std::string_view s) {
  if (value_role() == Role::path) {
    if (!s.empty()) m_file.path.assign(s);
    m_next = Role::skip;
    return;
  }
  scalar({JsonScalar::Kind::other});
}

void IstanbulEvents::end_object() {
  const Role role = m_stack.back().role;
  m_stack.pop_back();
  if (role == Role::file) end_entry();
}

void IstanbulEvents::end_array() {
  if (m_stack.back().role == Role::b_value) m_b.back().end = m_counts.size();
  m_stack.pop_back();
}

std::optional<std::string> IstanbulEvents::statement_error() {
  const JsonIdIndex counts(m_s_ids, m_ids);
  m_hits.clear();
  for (const Statement& s : m_statements) {
    if (s.check == LineNumber::zero) continue;
    const std::string_view id = counts.name(s.id);
    if (s.check != LineNumber::ok)
      return fmt::format("statementMap[\"{}\"]: {}", util::truncate_utf8(id, 40),
                         s.check == LineNumber::invalid ? "no start line"
                                                        : line_number_problem(s.check));
    const size_t c = counts.find(id);
    if (c != counts.npos && !m_s[c].ok)
      return fmt::format("s[\"{}\"] is not a count", util::truncate_utf8(id, 40));
    m_hits.push_back({s.line, model::saturate_hits(c == counts.npos ? 0 : m_s[c].n)});
  }
  // A line's hits are the most any statement starting on it ran.
  std::sort(m_hits.begin(), m_hits.end(),
            [](const auto& a, const auto& b) { return a.line < b.line; });
  for (const model::LineHits& h : m_hits)
    if (m_file.lines.empty() || m_file.lines.back().line != h.line)
      m_file.lines.push_back(h);
    else
      m_file.lines.back().hits = std::max(m_file.lines.back().hits, h.hits);
  return std::nullopt;
}

std::optional<std::string> IstanbulEvents::branch_error() {
  const JsonIdIndex counters(m_b_ids, m_ids);
  for (const Branch& b : m_branches) {
    const std::string_view id = counters.name(b.id);
    uint32_t line = b.line;
    LineNumber check = b.check;
    if (check == LineNumber::invalid && b.has_line) check = check_line(b.line_n, line);
    if (check == LineNumber::zero) continue;
    if (check != LineNumber::ok)
      return fmt::format("branchMap[\"{}\"]: {}", util::truncate_utf8(id, 40),
                         check == LineNumber::invalid ? "no line" : line_number_problem(check));
    const size_t c = counters.find(id);
    if (c == counters.npos) continue; // a branch without counters was never instrumented
    if (!m_b[c].array) return fmt::format("b[\"{}\"] is not an array", util::truncate_utf8(id, 40));
    uint32_t index = 0;
    for (size_t i = m_b[c].begin; i < m_b[c].end; ++i) {
      if (!m_counts[i].ok)
        return fmt::format("b[\"{}\"] holds a value that is not a count",
                           util::truncate_utf8(id, 40));
      m_file.branches.push_back(
          {line, named_block_id(id), index++, model::saturate_hits(m_counts[i].n)});
    }
  }
  return std::nullopt;
}

void IstanbulEvents::end_entry() {
  auto problem = statement_error();
  if (!problem) problem = branch_error();
  if (problem) {
    m_error = istanbul_entry_error(m_key, std::move(*problem));
    return;
  }
  m_file.normalize();
  m_report.files.push_back(std::move(m_file));
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError> stream_istanbul(JsonInput& input,
                                                                        JsonShape& shape) {
  IstanbulEvents events;
  if (auto error = stream_json(input, events, shape))
    return util::unexpected(util::ParseError{std::move(error->message), 0, 0});
  if (events.root_not_object())
    return util::unexpected(
        util::ParseError{"coverage-final.json must be an object of files", 0, 0});
  if (events.error()) return util::unexpected(std::move(*events.error()));
  model::CoverageReport report = std::move(events.report());
  report.format = "istanbul";
  return report;
}

} // namespace tollgate::report
