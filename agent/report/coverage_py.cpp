#include "report/coverage_py.h"

#include "report/coverage_json.h"
#include "report/coverage_numbers.h"
#include "report/json_events.h"
#include "util/json.h"
#include "util/text.h"

#include <fmt/format.h>
#include <string>

namespace tollgate::report {

namespace {

const rapidjson::Value* get(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// A line number from the JSON: ok, zero (skipped) or an error.
LineNumber json_line(const rapidjson::Value& v, uint32_t& line) {
  if (v.IsInt64() && v.GetInt64() < 0) return LineNumber::out_of_range;
  uint64_t n = 0;
  if (!json_uint(v, n)) return LineNumber::invalid;
  return check_line(n, line);
}

bool read_lines(const rapidjson::Value& data, const char* name, uint32_t hits,
                model::FileCoverage& file, std::string& error) {
  const rapidjson::Value* list = get(data, name);
  if (!list) return true;
  if (!list->IsArray()) {
    error = fmt::format("{} is not an array", name);
    return false;
  }
  for (const auto& v : list->GetArray()) {
    uint32_t line = 0;
    const LineNumber check = json_line(v, line);
    if (check == LineNumber::zero) continue;
    if (check != LineNumber::ok) {
      error = fmt::format("{}: {}", name, line_number_problem(check));
      return false;
    }
    file.lines.push_back({line, hits});
  }
  return true;
}

bool read_arcs(const rapidjson::Value& data, const char* name, uint32_t hits,
               model::FileCoverage& file, std::string& error) {
  const rapidjson::Value* list = get(data, name);
  if (!list) return true;
  if (!list->IsArray()) {
    error = fmt::format("{} is not an array", name);
    return false;
  }
  for (const auto& arc : list->GetArray()) {
    if (!arc.IsArray() || arc.Size() != 2 || !arc[0].IsInt64() || !arc[1].IsInt64()) {
      error = fmt::format("{} holds something that is not an arc [from, to]", name);
      return false;
    }
    uint32_t line = 0;
    const LineNumber check = json_line(arc[0], line);
    if (check == LineNumber::zero) continue;
    if (check != LineNumber::ok) {
      error = fmt::format("{}: {}", name, line_number_problem(check));
      return false;
    }
    // Destinations are negative for exits from a code object; the id only has to be stable.
    file.branches.push_back(
        {line, model::k_arc_block, static_cast<uint32_t>(arc[1].GetInt64()), hits});
  }
  return true;
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError>
parse_coverage_py(const rapidjson::Value& root) {
  const rapidjson::Value* files = get(root, "files");
  if (!files || !files->IsObject())
    return util::unexpected(util::ParseError{"coverage.py JSON needs a \"files\" object", 0, 0});
  model::CoverageReport report;
  report.format = "coveragepy";
  for (const auto& entry : files->GetObject()) {
    const std::string_view path(entry.name.GetString(), entry.name.GetStringLength());
    if (!entry.value.IsObject())
      return util::unexpected(coverage_py_file_error(path, "is not an object"));
    model::FileCoverage file;
    file.path = std::string(path);
    std::string error;
    if (!read_lines(entry.value, "executed_lines", 1, file, error) ||
        !read_lines(entry.value, "missing_lines", 0, file, error) ||
        !read_arcs(entry.value, "executed_branches", 1, file, error) ||
        !read_arcs(entry.value, "missing_branches", 0, file, error))
      return util::unexpected(coverage_py_file_error(path, error));
    file.normalize();
    report.files.push_back(std::move(file));
  }
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_coverage_py(std::string_view bytes) {
  JsonShape shape;
  return stream_json_coverage(bytes, true, shape);
}

} // namespace tollgate::report
