#include "report/leg_result.h"

#include <fmt/format.h>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/coverage_json.h"
#include "report/json_events.h"
#include "report/repo_paths.h"
#include "report/scan_json.h"
#include "util/files.h"
#include "util/json.h"

namespace tollgate::report {

namespace {

// The coverage_data layout this reader understands; the coverage command writes it.
constexpr uint64_t k_coverage_data_version = 1;

util::ParseError error(std::string message) { return util::ParseError{std::move(message), 0, 0}; }

// Each reader fills `out` or returns the error.
using Status = util::Expected<bool, util::ParseError>;

const Status k_ok = true;

Status read_string(const rapidjson::Value& object, const char* key, std::string& out, std::string_view where,
                   bool required) {
  const rapidjson::Value* v = util::member(object, key);
  if (!v) return required ? util::unexpected(error(fmt::format("{}: missing \"{}\"", where, key))) : k_ok;
  if (!v->IsString()) return util::unexpected(error(fmt::format("{}: \"{}\" must be a string", where, key)));
  out.assign(v->GetString(), v->GetStringLength());
  return k_ok;
}

Status read_line(const rapidjson::Value& object, const char* key, int& out, std::string_view where) {
  const rapidjson::Value* v = util::member(object, key);
  if (!v) return k_ok;
  uint64_t n = 0;
  if (!json_uint(*v, n) || n > model::k_max_line)
    return util::unexpected(error(fmt::format("{}: \"{}\" must be a line number", where, key)));
  out = static_cast<int>(n);
  return k_ok;
}

util::Expected<model::Level, util::ParseError> level_of(std::string_view text, std::string_view where) {
  if (text == "notice") return model::Level::notice;
  if (text == "warning") return model::Level::warning;
  if (text == "failure") return model::Level::failure;
  return util::unexpected(error(fmt::format("{}: \"level\" must be notice, warning or failure", where)));
}

Status read_gates(const rapidjson::Value& doc, std::vector<model::Gate>& out) {
  const rapidjson::Value* gates = util::member(doc, "gates");
  if (!gates) return k_ok;
  if (!gates->IsArray()) return util::unexpected(error("\"gates\" must be an array"));
  for (rapidjson::SizeType i = 0; i < gates->Size(); ++i) {
    const auto& g = (*gates)[i];
    const std::string where = fmt::format("gates[{}]", i);
    if (!g.IsObject()) return util::unexpected(error(where + " must be an object"));
    model::Gate gate;
    if (auto s = read_string(g, "name", gate.name, where, true); !s) return s;
    if (auto s = read_string(g, "detail", gate.detail, where, false); !s) return s;
    const auto threshold = util::number_member(g, "threshold");
    const auto actual = util::number_member(g, "actual");
    const auto passed = util::bool_member(g, "passed");
    // A gate that measured nothing has "measured": false and "actual": null.
    gate.measured = util::bool_member(g, "measured").value_or(true);
    const auto* actual_value = util::member(g, "actual");
    const bool null_actual = !gate.measured && actual_value && actual_value->IsNull();
    if (!threshold || (!actual && !null_actual) || !passed)
      return util::unexpected(error(where + " needs a numeric \"threshold\" and \"actual\" and a boolean \"passed\""));
    gate.threshold = *threshold;
    gate.actual = actual.value_or(0);
    gate.passed = *passed;
    out.push_back(std::move(gate));
  }
  return k_ok;
}

Status read_findings(const rapidjson::Value& doc, std::vector<model::Finding>& out) {
  const rapidjson::Value* findings = util::member(doc, "findings");
  if (!findings) return k_ok;
  if (!findings->IsArray()) return util::unexpected(error("\"findings\" must be an array"));
  out.reserve(findings->Size());
  for (rapidjson::SizeType i = 0; i < findings->Size(); ++i) {
    const auto& f = (*findings)[i];
    const std::string where = fmt::format("findings[{}]", i);
    if (!f.IsObject()) return util::unexpected(error(where + " must be an object"));
    model::Finding finding;
    std::string level = "failure";
    for (auto [key, target] : {std::pair{"path", &finding.path}, {"title", &finding.title},
                               {"message", &finding.message}, {"raw_details", &finding.raw_details}, {"level", &level}})
      if (auto s = read_string(f, key, *target, where, false); !s) return s;
    if (auto s = read_line(f, "start_line", finding.start_line, where); !s) return s;
    if (auto s = read_line(f, "end_line", finding.end_line, where); !s) return s;
    auto parsed_level = level_of(level, where);
    if (!parsed_level) return util::unexpected(parsed_level.error());
    finding.level = *parsed_level;
    out.push_back(std::move(finding));
  }
  return k_ok;
}

Status read_test_counts(const rapidjson::Value& doc, std::optional<model::LegTestCounts>& out) {
  const rapidjson::Value* totals = util::member(doc, "totals");
  if (!totals) return util::unexpected(error("a tests result needs \"totals\""));
  if (!totals->IsObject()) return util::unexpected(error("\"totals\" must be an object"));
  model::LegTestCounts c;
  for (auto [key, target] : {std::pair{"tests", &c.tests}, {"passed", &c.passed}, {"failed", &c.failed},
                             {"errors", &c.errors}, {"skipped", &c.skipped}, {"flaky", &c.flaky}}) {
    const rapidjson::Value* v = util::member(*totals, key);
    if (!v || !json_uint(*v, *target))
      return util::unexpected(error(fmt::format("totals: \"{}\" must be a non-negative integer", key)));
  }
  c.duration_s = util::number_member(*totals, "duration_s").value_or(0);
  out = c;
  return k_ok;
}

// Reads the first "files" array of the first "coverage_data" object of the root on its way from
// the reader, and passes every other event on to the document, which gets an empty "files" array
// instead: the coverage data (every line's hits, nearly all of a coverage leg's bytes) never
// becomes a tree, which took ~80 bytes a line (docs/performance.md, "merge"). The first of each
// member counts, as util::member finds it in a tree; a bad file's error is the one the checks on a
// tree gave, in their order: "path", then the types of "lines" and "branches", then their entries.
class CoverageFilesTap {
public:
  explicit CoverageFilesTap(rapidjson::Document& doc) : m_doc(doc) {}

  bool Null() { return scalar({JsonScalar::Kind::null}) || m_doc.Null(); }
  bool Bool(bool b) { return scalar({JsonScalar::Kind::other}) || m_doc.Bool(b); }
  bool Int(int i) { return scalar(integer(i)) || m_doc.Int(i); }
  bool Uint(unsigned u) { return scalar({JsonScalar::Kind::natural, u}) || m_doc.Uint(u); }
  bool Int64(int64_t i) { return scalar(integer(i)) || m_doc.Int64(i); }
  bool Uint64(uint64_t u) { return scalar({JsonScalar::Kind::natural, u}) || m_doc.Uint64(u); }
  bool Double(double d) { return scalar({JsonScalar::Kind::real, 0, 0, d}) || m_doc.Double(d); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; } // not asked for
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    if (!m_taking) {
      m_next = Next::other;
      return m_doc.String(s, n, copy);
    }
    if (begin_value(Value::string) && m_member == Member::path) m_file.path.assign(s, n);
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    const std::string_view key(s, n);
    if (m_taking) {
      if (m_skip_above == k_none && m_depth == m_files_depth + 1) m_member = member_of(key);
      return true;
    }
    if (m_depth == 1 && !m_data_seen && key == "coverage_data") {
      m_data_seen = true;
      m_next = Next::coverage_data;
    } else if (m_in_data && m_depth == 2 && !m_files_seen && key == "files") {
      m_files_seen = true;
      m_next = Next::files;
    }
    return m_doc.Key(s, n, copy);
  }
  bool StartObject() {
    if (m_taking) {
      begin_value(Value::object);
      ++m_depth;
      return true;
    }
    if (m_next == Next::coverage_data) m_in_data = true;
    m_next = Next::other;
    ++m_depth;
    return m_doc.StartObject();
  }
  bool EndObject(rapidjson::SizeType n) {
    --m_depth;
    if (m_taking) {
      end_container();
      return true;
    }
    if (m_depth == 1) m_in_data = false;
    return m_doc.EndObject(n);
  }
  bool StartArray() {
    if (m_taking) {
      begin_value(Value::array);
      ++m_depth;
      return true;
    }
    if (m_next == Next::files) {
      m_next = Next::other;
      m_taking = true;
      m_files_depth = ++m_depth;
      files.emplace();
      return m_doc.StartArray() && m_doc.EndArray(0);
    }
    m_next = Next::other;
    ++m_depth;
    return m_doc.StartArray();
  }
  bool EndArray(rapidjson::SizeType n) {
    --m_depth;
    if (!m_taking) return m_doc.EndArray(n);
    if (m_depth < m_files_depth) m_taking = false;
    else end_container();
    return true;
  }

  // The files, when the document has such an array; the first bad file's error.
  std::optional<std::vector<model::FileCoverage>> files;
  std::optional<util::ParseError> error;

private:
  static constexpr size_t k_none = SIZE_MAX;
  enum class Next : uint8_t { other, coverage_data, files };
  enum class Member : uint8_t { other, path, lines, branches };
  enum class Value : uint8_t { scalar, string, object, array };
  enum class Seen : uint8_t { no, right_type, wrong_type };

  static JsonScalar integer(int64_t i) {
    return i < 0 ? JsonScalar{JsonScalar::Kind::negative, 0, i}
                 : JsonScalar{JsonScalar::Kind::natural, static_cast<uint64_t>(i)};
  }

  // A file's member: only the first of each name is read.
  Member member_of(std::string_view key) {
    const auto first = [](bool& seen, Member member) { return std::exchange(seen, true) ? Member::other : member; };
    if (key == "path") return first(m_path_key, Member::path);
    if (key == "lines") return first(m_lines_key, Member::lines);
    if (key == "branches") return first(m_branches_key, Member::branches);
    return Member::other;
  }

  // A scalar other than a string: true when it is inside the files array (the document does not
  // get it).
  bool scalar(const JsonScalar& v) {
    if (!m_taking) {
      m_next = Next::other;
      return false;
    }
    if (begin_value(Value::scalar) && m_depth == m_files_depth + 3) {
      uint64_t n = 0;
      if (m_tuple_size < 4 && json_uint(v, n)) m_tuple[m_tuple_size] = n;
      else m_tuple_ok = false;
      ++m_tuple_size;
    }
    return true;
  }

  // A value begins inside the files array, at m_depth: a file (depth m_files_depth), a file's
  // member (+1), an entry of its "lines" or "branches" (+2), an entry's number (+3). False when it
  // is not read: inside a part skipped, or of no use (a container of no use is skipped whole).
  bool begin_value(Value value) {
    if (m_skip_above != k_none) return false;
    const bool container = value == Value::object || value == Value::array;
    bool read = true;
    switch (m_depth - m_files_depth) {
    case 0:
      read = !error && value == Value::object;
      if (read) start_file();
      else if (!error) file_error("{} must be an object");
      break;
    case 1:
      if (m_member == Member::path) m_path = value == Value::string ? Seen::right_type : Seen::wrong_type;
      if (m_member == Member::lines) m_lines = value == Value::array ? Seen::right_type : Seen::wrong_type;
      if (m_member == Member::branches) m_branches = value == Value::array ? Seen::right_type : Seen::wrong_type;
      read = (m_member == Member::lines || m_member == Member::branches) && value == Value::array;
      if (read) m_list = m_member;
      else read = m_member == Member::path && value == Value::string;
      break;
    case 2:
      read = value == Value::array;
      if (read) m_tuple_size = 0, m_tuple_ok = true;
      else bad_entry();
      break;
    default:
      read = value == Value::scalar;
      if (!read) m_tuple_ok = false;
    }
    if (!read && container) m_skip_above = m_depth;
    return read;
  }

  // A container inside the files array ended; m_depth is where it began.
  void end_container() {
    if (m_skip_above != k_none) {
      if (m_depth == m_skip_above) m_skip_above = k_none;
      return;
    }
    switch (m_depth - m_files_depth) {
    case 0:
      end_file();
      break;
    case 2:
      end_entry();
      break;
    default:
      break;
    }
  }

  void start_file() {
    m_file = model::FileCoverage{};
    m_path = m_lines = m_branches = Seen::no;
    m_path_key = m_lines_key = m_branches_key = false;
    m_bad_lines = m_bad_branches = false;
    m_line_entries.clear();
    m_branch_entries.clear();
  }

  void end_entry() {
    const bool lines = m_list == Member::lines;
    const size_t size = lines ? 2 : 4;
    const bool good = m_tuple_ok && m_tuple_size == size && m_tuple[0] != 0 && m_tuple[0] <= model::k_max_line;
    if (!good) return bad_entry();
    uint32_t v[4];
    for (size_t i = 0; i < size; ++i) v[i] = model::saturate_hits(m_tuple[i]);
    if (lines) m_line_entries.push_back({v[0], v[1]});
    else m_branch_entries.push_back({v[0], v[1], v[2], v[3]});
  }

  void bad_entry() { (m_list == Member::lines ? m_bad_lines : m_bad_branches) = true; }

  void end_file() {
    if (m_path == Seen::no) return file_error("{}: missing \"path\"");
    if (m_path == Seen::wrong_type) return file_error("{}: \"path\" must be a string");
    if (m_file.path.empty()) return file_error("{}: \"path\" is empty");
    if (m_lines == Seen::wrong_type || m_branches == Seen::wrong_type)
      return file_error("{}: \"lines\" and \"branches\" must be arrays");
    if (m_bad_lines) return file_error("{}: each of \"lines\" must be [line, hits]");
    if (m_bad_branches) return file_error("{}: each of \"branches\" must be [line, block, branch, hits]");
    m_file.lines.assign(m_line_entries.begin(), m_line_entries.end());
    m_file.branches.assign(m_branch_entries.begin(), m_branch_entries.end());
    m_file.normalize();
    files->push_back(std::move(m_file));
  }

  void file_error(fmt::format_string<std::string> words) {
    if (!error) error = util::ParseError{fmt::format(words, fmt::format("coverage_data.files[{}]", files->size())), 0, 0};
  }

  rapidjson::Document& m_doc;
  size_t m_depth = 0; // containers open
  Next m_next = Next::other; // what the value after the last key is
  bool m_data_seen = false, m_in_data = false, m_files_seen = false, m_taking = false;
  size_t m_files_depth = 0;    // m_depth inside the files array
  size_t m_skip_above = k_none; // inside a container skipped that began at this depth
  // The file being read.
  model::FileCoverage m_file;
  Member m_member = Member::other; // the member whose value comes next
  Member m_list = Member::other;   // the list whose entries are being read
  Seen m_path = Seen::no, m_lines = Seen::no, m_branches = Seen::no;
  bool m_path_key = false, m_lines_key = false, m_branches_key = false;
  bool m_bad_lines = false, m_bad_branches = false;
  std::vector<model::LineHits> m_line_entries; // kept from file to file: copied once per file
  std::vector<model::BranchHits> m_branch_entries;
  uint64_t m_tuple[4] = {};
  size_t m_tuple_size = 0;
  bool m_tuple_ok = true;
};

Status read_coverage(const rapidjson::Value& doc, CoverageFilesTap& tap, model::LegResult& leg) {
  const rapidjson::Value* data = util::member(doc, "coverage_data");
  if (!data) return k_ok;
  if (!data->IsObject()) return util::unexpected(error("\"coverage_data\" must be an object"));
  uint64_t version = 0;
  const rapidjson::Value* v = util::member(*data, "version");
  if (!v || !json_uint(*v, version) || version != k_coverage_data_version)
    return util::unexpected(error(fmt::format("coverage_data: version {} is not understood (this tollgate reads version {})",
                                              v ? util::to_json(*v) : "(missing)", k_coverage_data_version)));
  // The tap read the array, if there is one (the document holds an empty one in its place).
  if (!tap.files) return util::unexpected(error("coverage_data: \"files\" must be an array"));
  if (tap.error) return util::unexpected(std::move(*tap.error));
  leg.coverage = std::move(tap.files);

  if (const rapidjson::Value* outside = util::member(doc, "outside_repository"); outside && outside->IsArray())
    for (const auto& p : outside->GetArray())
      if (p.IsString()) leg.coverage_outside.emplace_back(p.GetString(), p.GetStringLength());
  if (const rapidjson::Value* baseline = util::member(doc, "baseline"); baseline && baseline->IsObject())
    leg.baseline_line_pct = util::number_member(*baseline, "line_pct");
  return k_ok;
}

// The leg a well-formed document (its coverage data taken by `tap` on the way) describes, or the
// error naming the member that is wrong.
util::Expected<model::LegResult, util::ParseError> leg_of(const rapidjson::Document& doc, CoverageFilesTap& tap) {
  if (!doc.IsObject() || util::string_or(doc, "tool") != "tollgate")
    return util::unexpected(error("not a tollgate --json result (no \"tool\": \"tollgate\")"));

  model::LegResult leg;
  if (auto s = read_string(doc, "command", leg.command, "result", true); !s) return util::unexpected(s.error());
  // The command names the merged check ("Tests + Coverage (all legs)"): a word, nothing else.
  if (leg.command.empty() || leg.command.size() > 32 ||
      leg.command.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
    return util::unexpected(error("result: \"command\" must be a tollgate command name"));
  if (auto s = read_string(doc, "check_name", leg.check_name, "result", false); !s) return util::unexpected(s.error());
  if (auto s = read_string(doc, "title", leg.title, "result", false); !s) return util::unexpected(s.error());
  const auto passed = util::bool_member(doc, "passed");
  if (!passed) return util::unexpected(error("result: \"passed\" must be true or false"));
  leg.passed = *passed;
  const std::string_view conclusion = util::string_or(doc, "conclusion", leg.passed ? "success" : "failure");
  if (conclusion == "success") leg.conclusion = model::Conclusion::success;
  else if (conclusion == "failure") leg.conclusion = model::Conclusion::failure;
  else if (conclusion == "neutral") leg.conclusion = model::Conclusion::neutral;
  else return util::unexpected(error("result: \"conclusion\" must be success, failure or neutral"));

  if (const rapidjson::Value* writer = util::member(doc, "writer")) {
    if (!writer->IsObject()) return util::unexpected(error("\"writer\" must be an object"));
    for (auto [key, target] : {std::pair{"job", &leg.job}, {"leg", &leg.leg}, {"run_id", &leg.run_id}})
      if (auto s = read_string(*writer, key, *target, "writer", false); !s) return util::unexpected(s.error());
    // The run id goes into an API path: digits only.
    if (leg.run_id.size() > 20 || leg.run_id.find_first_not_of("0123456789") != std::string::npos)
      return util::unexpected(error("writer: \"run_id\" must be a workflow run id (digits)"));
    leg.has_writer = true;
  }
  if (auto s = read_gates(doc, leg.gates); !s) return util::unexpected(s.error());
  if (auto s = read_findings(doc, leg.findings); !s) return util::unexpected(s.error());
  // A merged result carries the summed test counts too, so results can be merged again.
  const rapidjson::Value* totals = util::member(doc, "totals");
  const bool has_test_counts = leg.command == "tests" || (leg.command == "merge" && totals && util::member(*totals, "tests"));
  if (has_test_counts)
    if (auto s = read_test_counts(doc, leg.tests); !s) return util::unexpected(s.error());
  if (auto s = read_coverage(doc, tap, leg); !s) return util::unexpected(s.error());
  if (const rapidjson::Value* scan = util::member(doc, "scan")) {
    auto data = read_scan_section(*scan);
    if (!data) return util::unexpected(data.error());
    leg.scan = std::move(*data);
  } else if (leg.command == "scan") {
    return util::unexpected(error("a scan result without \"scan\""));
  }
  if (leg.command == "coverage" && !leg.coverage)
    return util::unexpected(error("a coverage result without \"coverage_data\" (written by an older tollgate): "
                                  "run the leg again with this version"));
  return leg;
}

} // namespace

util::Expected<model::LegResult, util::ParseError> parse_leg_result(std::string_view bytes) {
  // Room for the padding parse_json_in_place appends: without it the append copies the file.
  std::string buffer;
  buffer.reserve(bytes.size() + util::k_simd_padding);
  buffer.assign(bytes);
  rapidjson::Document doc;
  CoverageFilesTap tap(doc);
  if (auto bad = parse_json_in_place_through(doc, tap, buffer, bytes)) return util::unexpected(std::move(*bad));
  return leg_of(doc, tap);
}

std::optional<model::LegResult> read_leg_result_file(const std::string& path) {
  return read_leg_result_file(path, k_json_read_bytes);
}

std::optional<model::LegResult> read_leg_result_file(const std::string& path, size_t read_bytes) {
  const util::FileReader file(path);
  if (!file.regular_size() || read_bytes == 0) return std::nullopt;
  const auto buffer = std::make_unique_for_overwrite<char[]>(read_bytes);
  JsonInput input(file, 0, buffer.get(), read_bytes);
  // stream_json's fast way: the recursive parser (as deep as JsonDepthLimit lets it go), strings
  // not validated as they are parsed but every chunk checked for UTF-8 as it is read. Strings are
  // copied into the document (and the tap copies the paths it keeps): the buffer is reused.
  input.check_utf8();
  rapidjson::Document doc;
  CoverageFilesTap tap(doc);
  bool too_deep = false;
  if (parse_json_through<rapidjson::kParseStopWhenDoneFlag>(doc, tap, input, too_deep).IsError()) return std::nullopt;
  input.skip_blanks();
  if (!input.at_end() || input.saw_invalid_utf8() || input.read_failed()) return std::nullopt;
  auto leg = leg_of(doc, tap);
  if (!leg) return std::nullopt;
  return std::move(*leg);
}

std::optional<std::string> confined_leg_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || (path.size() >= 2 && path[1] == ':')) return std::nullopt;
  for (const char c : path)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
  auto normal = normalize_path(path);
  if (!normal || normal->empty() || normal->front() == '/') return std::nullopt;
  return normal;
}

} // namespace tollgate::report
