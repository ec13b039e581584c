#pragma once
// The oracle of the streamed reading of a leg result's coverage data (report/leg_result.cpp reads
// "coverage_data"."files" on its way from the parser, never as a tree): the same checks on the
// whole document's tree, as parse_leg_result made them before, and the comparison of the two.
// And the leg read from a file in chunks (read_leg_result_file) against parse_leg_result on the
// same bytes. Used by tests/unit/report/leg_result_test.cpp and the leg_result fuzz target.
#include "model/coverage.h"
#include "report/coverage_json.h"
#include "report/leg_result.h"
#include "util/json.h"
#include "xml_stream_test_support.h"

#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

namespace tollgate::testing {

// [a, b, ...] of exactly n unsigned integers, each saturated to 32 bits.
inline bool tree_tuple(const rapidjson::Value& v, uint32_t* out, rapidjson::SizeType n) {
  if (!v.IsArray() || v.Size() != n) return false;
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    uint64_t x = 0;
    if (!report::json_uint(v[i], x)) return false;
    out[i] = model::saturate_hits(x);
  }
  return true;
}

// The files as the streamed readers' tests write a report out (xml_stream_test_support.h).
inline std::string describe_files(std::vector<model::FileCoverage> files) {
  model::CoverageReport report;
  report.files = std::move(files);
  return describe(util::Expected<model::CoverageReport, util::ParseError>(std::move(report)));
}

// The coverage part of the document, read from its tree: "none" (no "coverage_data"), the files,
// or "error: …" (coverage_data's own errors, in parse_leg_result's words); "syntax …" for bytes
// that are no JSON document.
inline std::string leg_coverage_from_tree(std::string_view bytes) {
  std::string buffer(bytes);
  auto doc = report::parse_json_in_place(buffer, bytes);
  if (!doc) return fmt::format("syntax {}:{}: {}", doc.error().line, doc.error().column, doc.error().message);
  const rapidjson::Value* data = util::member(*doc, "coverage_data");
  if (!data) return "none";
  if (!data->IsObject()) return "error: \"coverage_data\" must be an object";
  uint64_t version = 0;
  const rapidjson::Value* v = util::member(*data, "version");
  if (!v || !report::json_uint(*v, version) || version != 1)
    return fmt::format("error: coverage_data: version {} is not understood (this tollgate reads version 1)",
                       v ? util::to_json(*v) : "(missing)");
  const rapidjson::Value* files = util::member(*data, "files");
  if (!files || !files->IsArray()) return "error: coverage_data: \"files\" must be an array";
  std::vector<model::FileCoverage> out(files->Size());
  for (rapidjson::SizeType i = 0; i < files->Size(); ++i) {
    const rapidjson::Value& f = (*files)[i];
    const std::string where = fmt::format("coverage_data.files[{}]", i);
    if (!f.IsObject()) return "error: " + where + " must be an object";
    const rapidjson::Value* path = util::member(f, "path");
    if (!path) return "error: " + where + ": missing \"path\"";
    if (!path->IsString()) return "error: " + where + ": \"path\" must be a string";
    model::FileCoverage& file = out[i];
    file.path.assign(path->GetString(), path->GetStringLength());
    if (file.path.empty()) return "error: " + where + ": \"path\" is empty";
    const rapidjson::Value* lines = util::member(f, "lines");
    const rapidjson::Value* branches = util::member(f, "branches");
    if ((lines && !lines->IsArray()) || (branches && !branches->IsArray()))
      return "error: " + where + ": \"lines\" and \"branches\" must be arrays";
    static const rapidjson::Value none(rapidjson::kArrayType);
    for (const auto& entry : (lines ? *lines : none).GetArray()) {
      uint32_t t[2];
      if (!tree_tuple(entry, t, 2) || t[0] == 0 || t[0] > model::k_max_line)
        return "error: " + where + ": each of \"lines\" must be [line, hits]";
      file.lines.push_back({t[0], t[1]});
    }
    for (const auto& entry : (branches ? *branches : none).GetArray()) {
      uint32_t t[4];
      if (!tree_tuple(entry, t, 4) || t[0] == 0 || t[0] > model::k_max_line)
        return "error: " + where + ": each of \"branches\" must be [line, block, branch, hits]";
      file.branches.push_back({t[0], t[1], t[2], t[3]});
    }
    file.normalize();
  }
  return describe_files(std::move(out));
}

// Whether parse_leg_result reads the coverage data of `bytes` as the tree does; `why` says how
// not. A JSON error must be the same error; parse_leg_result's other checks (the command, the
// gates, …) may refuse the document first, but an error about coverage_data must be the tree's,
// and a leg read must hold the tree's files.
inline bool leg_coverage_agrees(std::string_view bytes, std::string& why) {
  const std::string tree = leg_coverage_from_tree(bytes);
  const auto leg = report::parse_leg_result(bytes);
  std::string streamed;
  if (!leg) {
    const auto& e = leg.error();
    if (e.line > 0 || tree.starts_with("syntax "))
      streamed = fmt::format("syntax {}:{}: {}", e.line, e.column, e.message);
    else if (e.message.find("coverage_data") != std::string::npos &&
             e.message.find("a coverage result without") == std::string::npos)
      streamed = "error: " + e.message;
    else
      return true; // refused by a check made before the coverage data's
  } else {
    streamed = leg->coverage ? describe_files(*leg->coverage) : "none";
  }
  if (streamed == tree) return true;
  why = "streamed:\n" + streamed + "\ntree:\n" + tree;
  return false;
}

// Everything parse_leg_result reads (the scan member's findings field by field), written out: two
// legs read alike when these are equal.
inline std::string describe_leg(const model::LegResult& leg) {
  std::string out = fmt::format("{} '{}' '{}' passed={} conclusion={} writer={} '{}' '{}' '{}'\n", leg.command,
                                leg.check_name, leg.title, leg.passed, static_cast<int>(leg.conclusion),
                                leg.has_writer, leg.job, leg.leg, leg.run_id);
  for (const auto& g : leg.gates)
    out += fmt::format("gate '{}' {} {} {} {} '{}'\n", g.name, g.threshold, g.actual, g.passed, g.measured, g.detail);
  for (const auto& f : leg.findings)
    out += fmt::format("finding {}:{}-{} {} '{}' '{}' '{}'\n", f.path, f.start_line, f.end_line,
                       static_cast<int>(f.level), f.title, f.message, f.raw_details);
  if (leg.tests)
    out += fmt::format("tests {} {} {} {} {} {} {}\n", leg.tests->tests, leg.tests->passed, leg.tests->failed,
                       leg.tests->errors, leg.tests->skipped, leg.tests->flaky, leg.tests->duration_s);
  if (leg.coverage) out += "coverage\n" + describe_files(*leg.coverage) + "\n";
  for (const auto& p : leg.coverage_outside) out += "outside " + p + "\n";
  if (leg.baseline_line_pct) out += fmt::format("baseline {}\n", *leg.baseline_line_pct);
  if (leg.scan) {
    out += fmt::format("scan fail_on={} new_only={} baseline={}\n", leg.scan->fail_on, leg.scan->new_only,
                       leg.scan->has_baseline);
    for (const auto* list : {&leg.scan->findings, &leg.scan->fixed})
      for (const auto& f : *list) {
        out += fmt::format("  {} {} '{}' {} {} {}:{}-{}:{} '{}' {} {} {} {} {} {} '{}' '{}' '{}' '{}'\n", f.tool.str(),
                           f.rule_id.str(), f.rule_name.str(), f.help_uri.str(), f.uri.str(), f.path.str(),
                           f.start_line, f.end_line, f.start_column, f.message, static_cast<int>(f.severity),
                           static_cast<int>(f.suppression), static_cast<int>(f.state), f.on_changed_line,
                           f.security_severity ? fmt::format("{}", *f.security_severity) : "none", f.kind.str(),
                           f.context_hash.view(), f.snippet, f.suppression_reason.str(), f.source.str());
        for (const auto& [key, value] : f.fingerprints) out += fmt::format("    {} {}\n", key.str(), value);
      }
  }
  return out;
}

// `bytes` as a file (an anonymous one in memory), for read_leg_result_file.
class MemoryFile {
public:
  explicit MemoryFile(std::string_view bytes) : m_fd(::memfd_create("tollgate-leg", 0)) {
    size_t written = 0;
    while (m_fd >= 0 && written < bytes.size()) {
      const ssize_t n = ::write(m_fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
  }
  ~MemoryFile() {
    if (m_fd >= 0) ::close(m_fd);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(m_fd); }

private:
  int m_fd;
};

// Whether the leg read from a file `read_bytes` at a time is the leg parse_leg_result reads from
// the same bytes, and it is read exactly when parse_leg_result reads one (every refusal is left
// to the whole-file read, which words it); `why` says how not.
inline bool leg_file_agrees(std::string_view bytes, size_t read_bytes, std::string& why) {
  const MemoryFile file(bytes);
  const auto streamed = report::read_leg_result_file(file.path(), read_bytes);
  const auto whole = report::parse_leg_result(bytes);
  if (!streamed && !whole) return true;
  if (streamed && whole && describe_leg(*streamed) == describe_leg(*whole)) return true;
  why = fmt::format("read in chunks of {}:\n{}\nwhole:\n{}", read_bytes,
                    streamed ? describe_leg(*streamed) : "(not read)",
                    whole ? describe_leg(*whole) : "error " + whole.error().message);
  return false;
}

} // namespace tollgate::testing
