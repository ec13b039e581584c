#include "report/coverage_report.h"

#include "report/clover.h"
#include "report/cobertura.h"
#include "report/coverage_json.h"
#include "report/coverage_py.h"
#include "report/go_cover.h"
#include "report/istanbul.h"
#include "report/jacoco.h"
#include "report/lcov.h"
#include "report/xml.h"
#include "util/json.h"
#include "util/text.h"

#include <fmt/format.h>
#include <string>

namespace tollgate::report {

namespace {

enum class Format { lcov, cobertura, jacoco, istanbul, coveragepy, go, clover, unknown };

Format format_named(std::string_view name) {
  if (name == "lcov") return Format::lcov;
  if (name == "cobertura") return Format::cobertura;
  if (name == "jacoco") return Format::jacoco;
  if (name == "istanbul") return Format::istanbul;
  if (name == "coveragepy" || name == "coverage.py") return Format::coveragepy;
  if (name == "go") return Format::go;
  if (name == "clover") return Format::clover;
  return Format::unknown;
}

std::string_view skip_blank(std::string_view bytes) {
  if (util::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  size_t i = 0;
  while (i < bytes.size() &&
         (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    ++i;
  return bytes.substr(i);
}

bool is_xml_start(std::string_view text) {
  return !text.empty() && text[0] == '<';
}
// UTF-16/32 XML (with a byte order mark) is XML too; pugixml converts it.
bool has_wide_bom(std::string_view bytes) {
  return util::starts_with(bytes, "\xFF\xFE") || util::starts_with(bytes, "\xFE\xFF");
}

util::Expected<model::CoverageReport, util::ParseError> parse_xml(std::string_view bytes,
                                                                  Format forced) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  const std::string_view name = local_name(*root);
  Format format = forced;
  if (format == Format::unknown) {
    if (name == "coverage") {
      format = (root->attribute("clover") || root->child("project")) ? Format::clover
                                                                     : Format::cobertura;
    } else if (name == "report") {
      format = Format::jacoco;
    } else {
      return util::unexpected(
          error_at_node(bytes, *root,
                        fmt::format("<{}> is not the root of a coverage report (expected "
                                    "<coverage> for Cobertura or Clover, <report> for JaCoCo)",
                                    util::truncate_utf8(name, 60))));
    }
  }
  switch (format) {
  case Format::cobertura:
    return parse_cobertura(*root, bytes);
  case Format::jacoco:
    return parse_jacoco(*root, bytes);
  case Format::clover:
    return parse_clover(*root, bytes);
  default:
    break;
  }
  return util::unexpected(util::ParseError{"not an XML coverage format", 0, 0});
}

util::Expected<model::CoverageReport, util::ParseError> parse_json(std::string_view bytes,
                                                                   Format forced) {
  if (util::starts_with(bytes, "\xEF\xBB\xBF"))
    bytes.remove_prefix(3); // RapidJSON reads no byte order mark
  std::string buffer(bytes);
  auto doc = parse_json_in_place(buffer, bytes);
  if (!doc) return util::unexpected(doc.error());
  Format format = forced;
  if (format == Format::unknown) {
    const rapidjson::Value* files = util::member(*doc, "files");
    const bool coverage_py = files && files->IsObject() && util::member(*doc, "meta");
    format = coverage_py ? Format::coveragepy : Format::istanbul;
  }
  return format == Format::coveragepy ? parse_coverage_py(*doc) : parse_istanbul(*doc);
}

} // namespace

bool looks_like_lcov(std::string_view head) {
  const std::string_view text = skip_blank(head);
  return util::starts_with(text, "TN:") || util::starts_with(text, "SF:") ||
         util::starts_with(text, "VER:");
}

const std::vector<std::string_view>& coverage_format_names() {
  static const std::vector<std::string_view> names = {
      "lcov", "cobertura", "jacoco", "istanbul", "coveragepy", "go", "clover"};
  return names;
}

util::Expected<model::CoverageReport, util::ParseError>
parse_coverage(std::string_view bytes, std::string_view forced_format) {
  Format forced = Format::unknown;
  if (!forced_format.empty()) {
    forced = format_named(forced_format);
    if (forced == Format::unknown)
      return util::unexpected(
          util::ParseError{fmt::format("unknown coverage format '{}' (expected lcov, cobertura, "
                                       "jacoco, istanbul, coveragepy, go or clover)",
                                       util::truncate_utf8(forced_format, 40)),
                           0, 0});
  }
  if (util::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const std::string_view text = skip_blank(bytes);
  if (text.empty() && !has_wide_bom(bytes))
    return util::unexpected(util::ParseError{"empty report", 0, 0});
  switch (forced) {
  case Format::lcov:
    return parse_lcov(bytes);
  case Format::go:
    return parse_go_cover(bytes);
  case Format::cobertura:
  case Format::jacoco:
  case Format::clover:
    return parse_xml(bytes, forced);
  case Format::istanbul:
  case Format::coveragepy:
    return parse_json(bytes, forced);
  case Format::unknown:
    break;
  }
  if (is_xml_start(text) || has_wide_bom(bytes)) return parse_xml(bytes, Format::unknown);
  if (text[0] == '{') return parse_json(bytes, Format::unknown);
  if (util::starts_with(text, "mode:")) return parse_go_cover(bytes);
  if (looks_like_lcov(text)) return parse_lcov(bytes);
  return util::unexpected(util::error_at(
      bytes, static_cast<size_t>(text.data() - bytes.data()),
      "not a coverage report this tool knows (LCOV, Cobertura, JaCoCo, Istanbul JSON, "
      "coverage.py JSON, Go cover profile or Clover); --format forces one"));
}

} // namespace tollgate::report
