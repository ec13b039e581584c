#include "report/istanbul.h"

#include "report/coverage_json.h"
#include "report/coverage_numbers.h"
#include "report/json_events.h"
#include "util/json.h"
#include "util/text.h"

#include <fmt/format.h>
#include <string>
#include <unordered_map>

namespace tollgate::report {

namespace {

using Members = std::unordered_map<std::string_view, const rapidjson::Value*>;

std::string_view key_of(const rapidjson::Value& key) {
  return {key.GetString(), key.GetStringLength()};
}

// RapidJSON finds members by linear search; counters are looked up through a hash map instead.
Members index_members(const rapidjson::Value* object) {
  Members members;
  if (!object || !object->IsObject()) return members;
  members.reserve(object->MemberCount());
  for (const auto& m : object->GetObject())
    members.emplace(key_of(m.name), &m.value);
  return members;
}

const rapidjson::Value* get(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The start line of a location {"start":{"line":N,…},…}; 0 when absent or not a line.
LineNumber start_line(const rapidjson::Value* loc, uint32_t& line) {
  const rapidjson::Value* start = loc ? get(*loc, "start") : nullptr;
  const rapidjson::Value* l = start ? get(*start, "line") : nullptr;
  uint64_t n = 0;
  if (!l || !json_uint(*l, n)) return LineNumber::invalid;
  return check_line(n, line);
}

// A counter as istanbul-lib-coverage reads it: null counts as a counter that never ran
// (computeBranchTotals counts every entry of a `b` array and `hits > 0` as covered;
// computeSimpleTotals counts `!!v`), so null is 0, not an error.
bool istanbul_count(const rapidjson::Value& v, uint64_t& n) {
  if (v.IsNull()) {
    n = 0;
    return true;
  }
  return json_uint(v, n);
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError>
parse_istanbul(const rapidjson::Value& root) {
  if (!root.IsObject())
    return util::unexpected(
        util::ParseError{"coverage-final.json must be an object of files", 0, 0});
  model::CoverageReport report;
  report.format = "istanbul";
  for (const auto& entry : root.GetObject()) {
    const std::string_view key = key_of(entry.name);
    const rapidjson::Value& data = entry.value;
    if (!data.IsObject()) return util::unexpected(istanbul_entry_error(key, "is not an object"));
    model::FileCoverage file;
    const rapidjson::Value* path = get(data, "path");
    file.path = path && path->IsString() && path->GetStringLength() ? std::string(key_of(*path))
                                                                    : std::string(key);

    const Members counts = index_members(get(data, "s"));
    if (const rapidjson::Value* statements = get(data, "statementMap");
        statements && statements->IsObject()) {
      // Line hits are the maximum over the statements starting on the line: collect, then fold.
      std::unordered_map<uint32_t, uint32_t> hits_by_line;
      for (const auto& s : statements->GetObject()) {
        uint32_t line = 0;
        const LineNumber check = start_line(&s.value, line);
        if (check == LineNumber::zero) continue;
        if (check != LineNumber::ok)
          return util::unexpected(istanbul_entry_error(
              key, fmt::format("statementMap[\"{}\"]: {}", util::truncate_utf8(key_of(s.name), 40),
                               check == LineNumber::invalid ? "no start line"
                                                            : line_number_problem(check))));
        const auto c = counts.find(key_of(s.name));
        uint64_t n = 0;
        if (c != counts.end() && !istanbul_count(*c->second, n))
          return util::unexpected(
              istanbul_entry_error(key, fmt::format("s[\"{}\"] is not a count",
                                                    util::truncate_utf8(key_of(s.name), 40))));
        auto [it, inserted] = hits_by_line.try_emplace(line, model::saturate_hits(n));
        if (!inserted && it->second < n) it->second = model::saturate_hits(n);
      }
      file.lines.reserve(hits_by_line.size());
      for (const auto& [line, hits] : hits_by_line)
        file.lines.push_back({line, hits});
    }

    const Members branch_counts = index_members(get(data, "b"));
    if (const rapidjson::Value* branches = get(data, "branchMap");
        branches && branches->IsObject()) {
      for (const auto& b : branches->GetObject()) {
        const std::string_view id = key_of(b.name);
        uint32_t line = 0;
        LineNumber check = start_line(get(b.value, "loc"), line);
        if (check == LineNumber::invalid) {
          const rapidjson::Value* l = get(b.value, "line");
          uint64_t n = 0;
          if (l && json_uint(*l, n)) check = check_line(n, line);
        }
        if (check == LineNumber::zero) continue;
        if (check != LineNumber::ok)
          return util::unexpected(istanbul_entry_error(
              key,
              fmt::format("branchMap[\"{}\"]: {}", util::truncate_utf8(id, 40),
                          check == LineNumber::invalid ? "no line" : line_number_problem(check))));
        const auto c = branch_counts.find(id);
        if (c == branch_counts.end()) continue; // a branch without counters was never instrumented
        if (!c->second->IsArray())
          return util::unexpected(istanbul_entry_error(
              key, fmt::format("b[\"{}\"] is not an array", util::truncate_utf8(id, 40))));
        uint32_t index = 0;
        for (const auto& v : c->second->GetArray()) {
          uint64_t n = 0;
          if (!istanbul_count(v, n))
            return util::unexpected(
                istanbul_entry_error(key, fmt::format("b[\"{}\"] holds a value that is not a count",
                                                      util::truncate_utf8(id, 40))));
          file.branches.push_back({line, named_block_id(id), index++, model::saturate_hits(n)});
        }
      }
    }
    file.normalize();
    report.files.push_back(std::move(file));
  }
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_istanbul(std::string_view bytes) {
  JsonShape shape;
  return stream_json_coverage(bytes, false, shape);
}

} // namespace tollgate::report
