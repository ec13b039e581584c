#include "publish/json_result.h"

#include <fmt/format.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "util/error.h"

namespace tollgate::publish {

namespace {

void write_result(util::JsonWriter& w, const model::Outcome& outcome, const model::Writer* writer) {
  w.StartObject();
  w.Key("tool");
  w.String("tollgate");
  w.Key("version");
  w.String(TOLLGATE_VERSION);
  w.Key("command");
  util::write_string(w, outcome.command);
  w.Key("check_name");
  util::write_string(w, outcome.check_name);
  w.Key("passed");
  w.Bool(outcome.passed);
  w.Key("conclusion");
  w.String(model::to_string(outcome.conclusion));
  w.Key("title");
  util::write_string(w, outcome.title);
  if (writer) {
    w.Key("writer");
    w.StartObject();
    for (auto [key, value] : {std::pair{"run_id", &writer->run_id}, {"run_attempt", &writer->run_attempt},
                              {"job", &writer->job}, {"leg", &writer->leg}}) {
      w.Key(key);
      util::write_string(w, *value);
    }
    w.EndObject();
  }
  w.Key("gates");
  w.StartArray();
  for (const auto& g : outcome.gates) {
    w.StartObject();
    w.Key("name");
    util::write_string(w, g.name);
    w.Key("threshold");
    w.Double(g.threshold);
    w.Key("actual");
    if (g.measured)
      w.Double(g.actual);
    else
      w.Null();
    if (!g.measured) {
      w.Key("measured");
      w.Bool(false);
    }
    w.Key("passed");
    w.Bool(g.passed);
    if (!g.detail.empty()) {
      w.Key("detail");
      util::write_string(w, g.detail);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  model::for_each_finding(outcome, [&](const model::Finding& f) {
    w.StartObject();
    w.Key("path");
    util::write_string(w, f.path);
    w.Key("start_line");
    w.Int(f.start_line);
    w.Key("end_line");
    w.Int(std::max(f.start_line, f.end_line));
    w.Key("level");
    w.String(model::to_string(f.level));
    w.Key("title");
    util::write_string(w, f.title);
    w.Key("message");
    util::write_string(w, f.message);
    if (!f.raw_details.empty()) {
      w.Key("raw_details");
      util::write_string(w, f.raw_details);
    }
    w.EndObject();
    return true;
  });
  w.EndArray();
  if (outcome.write_json_extra) outcome.write_json_extra(w);
  w.EndObject();
}

} // namespace

std::string result_json(const model::Outcome& outcome, const model::Writer* writer) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  write_result(w, outcome, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void write_result_json(const std::string& path, const model::Outcome& outcome, const model::Writer* writer) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) throw util::InputError(fmt::format("--json {}: cannot open for writing", path));
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.stream_to(file.get());
  write_result(w, outcome, writer);
  buffer.Put('\n');
  if (!w.finish() || std::fflush(file.get()) != 0)
    throw util::InputError(fmt::format("--json {}: cannot write: {}", path, std::strerror(errno)));
}

} // namespace tollgate::publish
