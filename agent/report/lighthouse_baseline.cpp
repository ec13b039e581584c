#include "report/lighthouse_baseline.h"

#include "util/json.h"

namespace tollgate::report {

namespace {

std::map<std::string, double> numbers_of(const rapidjson::Value* object) {
  std::map<std::string, double> out;
  if (!object || !object->IsObject()) return out;
  for (const auto& m : object->GetObject())
    if (m.value.IsNumber()) out[std::string(m.name.GetString(), m.name.GetStringLength())] = m.value.GetDouble();
  return out;
}

} // namespace

util::Expected<std::vector<model::LighthouseBaselineUrl>, util::ParseError> parse_lighthouse_baseline(std::string_view bytes) {
  auto doc = util::parse_json(bytes);
  if (!doc) return util::unexpected(doc.error());
  if (util::string_or(*doc, "tool") != "tollgate" || util::string_or(*doc, "command") != "lighthouse")
    return util::unexpected(util::ParseError{"not a `tollgate lighthouse --json` result", 0, 0});
  const rapidjson::Value* urls = util::member(*doc, "urls");
  if (!urls || !urls->IsArray()) return util::unexpected(util::ParseError{"the result has no \"urls\" array", 0, 0});
  std::vector<model::LighthouseBaselineUrl> out;
  for (const auto& u : urls->GetArray()) {
    const auto url = util::string_member(u, "url");
    if (!url) continue;
    out.push_back({std::string(*url), numbers_of(util::member(u, "categories")), numbers_of(util::member(u, "metrics"))});
  }
  return out;
}

} // namespace tollgate::report
