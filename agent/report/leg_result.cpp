#include "report/leg_result.h"

#include <fmt/format.h>
#include <limits>
#include <string>

#include "report/coverage_json.h"
#include "report/repo_paths.h"
#include "report/scan_json.h"
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

// [a, b, ...] of exactly n unsigned integers that fit 32 bits.
bool read_tuple(const rapidjson::Value& v, uint32_t* out, rapidjson::SizeType n) {
  if (!v.IsArray() || v.Size() != n) return false;
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    uint64_t x = 0;
    if (!json_uint(v[i], x)) return false;
    out[i] = model::saturate_hits(x);
  }
  return true;
}

Status read_coverage_file(const rapidjson::Value& f, const std::string& where, model::FileCoverage& file) {
  if (!f.IsObject()) return util::unexpected(error(where + " must be an object"));
  if (auto s = read_string(f, "path", file.path, where, true); !s) return s;
  if (file.path.empty()) return util::unexpected(error(where + ": \"path\" is empty"));
  const rapidjson::Value* lines = util::member(f, "lines");
  const rapidjson::Value* branches = util::member(f, "branches");
  if ((lines && !lines->IsArray()) || (branches && !branches->IsArray()))
    return util::unexpected(error(where + ": \"lines\" and \"branches\" must be arrays"));
  if (lines) {
    file.lines.reserve(lines->Size());
    for (const auto& entry : lines->GetArray()) {
      uint32_t v[2];
      if (!read_tuple(entry, v, 2) || v[0] == 0 || v[0] > model::k_max_line)
        return util::unexpected(error(where + ": each of \"lines\" must be [line, hits]"));
      file.lines.push_back({v[0], v[1]});
    }
  }
  if (branches) {
    file.branches.reserve(branches->Size());
    for (const auto& entry : branches->GetArray()) {
      uint32_t v[4];
      if (!read_tuple(entry, v, 4) || v[0] == 0 || v[0] > model::k_max_line)
        return util::unexpected(error(where + ": each of \"branches\" must be [line, block, branch, hits]"));
      file.branches.push_back({v[0], v[1], v[2], v[3]});
    }
  }
  file.normalize();
  return k_ok;
}

Status read_coverage(const rapidjson::Value& doc, model::LegResult& leg) {
  const rapidjson::Value* data = util::member(doc, "coverage_data");
  if (!data) return k_ok;
  if (!data->IsObject()) return util::unexpected(error("\"coverage_data\" must be an object"));
  uint64_t version = 0;
  const rapidjson::Value* v = util::member(*data, "version");
  if (!v || !json_uint(*v, version) || version != k_coverage_data_version)
    return util::unexpected(error(fmt::format("coverage_data: version {} is not understood (this tollgate reads version {})",
                                              v ? util::to_json(*v) : "(missing)", k_coverage_data_version)));
  const rapidjson::Value* files = util::member(*data, "files");
  if (!files || !files->IsArray()) return util::unexpected(error("coverage_data: \"files\" must be an array"));
  std::vector<model::FileCoverage> out(files->Size());
  for (rapidjson::SizeType i = 0; i < files->Size(); ++i)
    if (auto s = read_coverage_file((*files)[i], fmt::format("coverage_data.files[{}]", i), out[i]); !s) return s;
  leg.coverage = std::move(out);

  if (const rapidjson::Value* outside = util::member(doc, "outside_repository"); outside && outside->IsArray())
    for (const auto& p : outside->GetArray())
      if (p.IsString()) leg.coverage_outside.emplace_back(p.GetString(), p.GetStringLength());
  if (const rapidjson::Value* baseline = util::member(doc, "baseline"); baseline && baseline->IsObject())
    leg.baseline_line_pct = util::number_member(*baseline, "line_pct");
  return k_ok;
}

} // namespace

util::Expected<model::LegResult, util::ParseError> parse_leg_result(std::string_view bytes) {
  // Room for the padding parse_json_in_place appends: without it the append copies the file.
  std::string buffer;
  buffer.reserve(bytes.size() + util::k_simd_padding);
  buffer.assign(bytes);
  auto doc = parse_json_in_place(buffer, bytes);
  if (!doc) return util::unexpected(doc.error());
  if (!doc->IsObject() || util::string_or(*doc, "tool") != "tollgate")
    return util::unexpected(error("not a tollgate --json result (no \"tool\": \"tollgate\")"));

  model::LegResult leg;
  if (auto s = read_string(*doc, "command", leg.command, "result", true); !s) return util::unexpected(s.error());
  // The command names the merged check ("Tests + Coverage (all legs)"): a word, nothing else.
  if (leg.command.empty() || leg.command.size() > 32 ||
      leg.command.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
    return util::unexpected(error("result: \"command\" must be a tollgate command name"));
  if (auto s = read_string(*doc, "check_name", leg.check_name, "result", false); !s) return util::unexpected(s.error());
  if (auto s = read_string(*doc, "title", leg.title, "result", false); !s) return util::unexpected(s.error());
  const auto passed = util::bool_member(*doc, "passed");
  if (!passed) return util::unexpected(error("result: \"passed\" must be true or false"));
  leg.passed = *passed;
  const std::string_view conclusion = util::string_or(*doc, "conclusion", leg.passed ? "success" : "failure");
  if (conclusion == "success") leg.conclusion = model::Conclusion::success;
  else if (conclusion == "failure") leg.conclusion = model::Conclusion::failure;
  else if (conclusion == "neutral") leg.conclusion = model::Conclusion::neutral;
  else return util::unexpected(error("result: \"conclusion\" must be success, failure or neutral"));

  if (const rapidjson::Value* writer = util::member(*doc, "writer")) {
    if (!writer->IsObject()) return util::unexpected(error("\"writer\" must be an object"));
    for (auto [key, target] : {std::pair{"job", &leg.job}, {"leg", &leg.leg}, {"run_id", &leg.run_id}})
      if (auto s = read_string(*writer, key, *target, "writer", false); !s) return util::unexpected(s.error());
    // The run id goes into an API path: digits only.
    if (leg.run_id.size() > 20 || leg.run_id.find_first_not_of("0123456789") != std::string::npos)
      return util::unexpected(error("writer: \"run_id\" must be a workflow run id (digits)"));
    leg.has_writer = true;
  }
  if (auto s = read_gates(*doc, leg.gates); !s) return util::unexpected(s.error());
  if (auto s = read_findings(*doc, leg.findings); !s) return util::unexpected(s.error());
  // A merged result carries the summed test counts too, so results can be merged again.
  const rapidjson::Value* totals = util::member(*doc, "totals");
  const bool has_test_counts = leg.command == "tests" || (leg.command == "merge" && totals && util::member(*totals, "tests"));
  if (has_test_counts)
    if (auto s = read_test_counts(*doc, leg.tests); !s) return util::unexpected(s.error());
  if (auto s = read_coverage(*doc, leg); !s) return util::unexpected(s.error());
  if (const rapidjson::Value* scan = util::member(*doc, "scan")) {
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

std::optional<std::string> confined_leg_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || (path.size() >= 2 && path[1] == ':')) return std::nullopt;
  for (const char c : path)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
  auto normal = normalize_path(path);
  if (!normal || normal->empty() || normal->front() == '/') return std::nullopt;
  return normal;
}

} // namespace tollgate::report
