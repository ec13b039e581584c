#include "report/coverage_report.h"

#include "report/clover.h"
#include "report/cobertura.h"
#include "report/coverage_json.h"
#include "report/coverage_xml.h"
#include "report/go_cover.h"
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

util::ParseError not_a_report(std::string_view bytes, pugi::xml_node node, std::string why) {
  return error_at_node(bytes, node, std::string(k_not_a_report) + why);
}

} // namespace

std::string_view first_element_name(std::string_view text) {
  size_t at = 0;
  while ((at = text.find('<', at)) != std::string_view::npos && at + 1 < text.size()) {
    const char next = text[at + 1];
    if (next == '?' || next == '!') {
      const bool comment = text.compare(at, 4, "<!--") == 0;
      const size_t end = comment ? text.find("-->", at) : text.find('>', at);
      if (end == std::string_view::npos) return {};
      at = end + 1;
      continue;
    }
    size_t end = at + 1;
    while (end < text.size() && text[end] != ' ' && text[end] != '>' && text[end] != '/' &&
           text[end] != '\t' && text[end] != '\r' && text[end] != '\n')
      ++end;
    std::string_view name = text.substr(at + 1, end - at - 1);
    if (const size_t colon = name.find(':'); colon != std::string_view::npos)
      name = name.substr(colon + 1);
    return name;
  }
  return {};
}

void XmlRootFacts::add_child(std::string_view local) {
  any_child = true;
  if (local == "project" || local == "testproject") project_child = true;
  if (local == "packages" || local == "sources") cobertura_child = true;
  if (local == "file") file_child = true;
  // JaCoCo's report.dtd: report (sessioninfo*, (group* | package*), counter*), name required.
  if (!foreign_child && local != "sessioninfo" && local != "group" && local != "package" &&
      local != "counter")
    foreign_child = std::string(local);
}

XmlRootFacts root_facts(pugi::xml_node root) {
  XmlRootFacts facts;
  facts.name = local_name(root);
  facts.clover_attr = static_cast<bool>(root.attribute("clover"));
  facts.line_rate_attr = static_cast<bool>(root.attribute("line-rate"));
  facts.version_attr = static_cast<bool>(root.attribute("version"));
  facts.name_attr = static_cast<bool>(root.attribute("name"));
  facts.any_child = static_cast<bool>(root.first_child());
  for (pugi::xml_node child = root.first_child(); child; child = child.next_sibling())
    if (child.type() == pugi::node_element) facts.add_child(local_name(child));
  return facts;
}

// Which format an XML root is, by the elements and attributes each writer always puts there;
// unknown (with why in `why`) for anything else: another root, or a <coverage> of a format
// Tollgate does not read (SonarQube's generic coverage: <coverage version="1"><file path=…>).
XmlCoverageFormat format_of_xml_root(const XmlRootFacts& facts, std::string& why) {
  using enum XmlCoverageFormat;
  if (facts.name == "coverage") {
    if (facts.clover_attr || facts.project_child) return clover;
    if (facts.cobertura_child || facts.line_rate_attr) return cobertura;
    why = facts.version_attr && facts.file_child
              ? "<coverage version=…> with <file> elements is SonarQube's generic coverage "
                "format, which Tollgate does not read"
              : "<coverage> without <packages> (Cobertura) or <project> (Clover)";
    return unknown;
  }
  if (facts.name == "report") {
    if (facts.foreign_child) {
      why = fmt::format("<report> holding <{}> is not a JaCoCo report",
                        util::truncate_utf8(*facts.foreign_child, 60));
      return unknown;
    }
    if (facts.name_attr || facts.any_child) return jacoco;
    why = "<report> without a name is not a JaCoCo report";
    return unknown;
  }
  why = fmt::format("<{}> is not the root of a coverage report (expected <coverage> for Cobertura "
                    "or Clover, <report> for JaCoCo)",
                    util::truncate_utf8(facts.name, 60));
  return unknown;
}

namespace {

Format format_of(XmlCoverageFormat format) {
  switch (format) {
  case XmlCoverageFormat::cobertura:
    return Format::cobertura;
  case XmlCoverageFormat::jacoco:
    return Format::jacoco;
  case XmlCoverageFormat::clover:
    return Format::clover;
  case XmlCoverageFormat::unknown:
    break;
  }
  return Format::unknown;
}

util::Expected<model::CoverageReport, util::ParseError> parse_xml(std::string_view bytes,
                                                                  Format forced) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) {
    // Markup that is not XML (HTML) or XML with a root no coverage format has is not a report;
    // a <coverage> or <report> document that breaks off is a broken one.
    const std::string_view first = first_element_name(bytes);
    if (forced == Format::unknown && !first.empty() && first != "coverage" && first != "report")
      return util::unexpected(util::ParseError{
          fmt::format("{}<{}> is not the root of a coverage report, and the file is not "
                      "well-formed XML",
                      k_not_a_report, util::truncate_utf8(first, 60)),
          root.error().line, root.error().column});
    return util::unexpected(root.error());
  }
  Format format = forced;
  if (format == Format::unknown) {
    std::string why;
    format = format_of(format_of_xml_root(root_facts(*root), why));
    if (format == Format::unknown) return util::unexpected(not_a_report(bytes, *root, why));
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

util::Expected<model::CoverageReport, util::ParseError>
parse_xml_streamed(std::string_view bytes, std::string_view forced_format) {
  return read_xml_coverage(memory_source(bytes), forced_format, k_xml_window_bytes,
                           [bytes]() -> util::Expected<std::string, util::ParseError> {
                             return std::string(bytes);
                           });
}

util::Expected<model::CoverageReport, util::ParseError> parse_json(std::string_view bytes,
                                                                   Format forced) {
  if (util::starts_with(bytes, "\xEF\xBB\xBF"))
    bytes.remove_prefix(3); // RapidJSON reads no byte order mark
  return parse_json_coverage(bytes, forced == Format::coveragepy ? "coveragepy"
                                    : forced == Format::istanbul ? "istanbul"
                                                                 : "");
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError>
parse_xml_coverage_whole(std::string_view bytes, std::string_view forced) {
  return parse_xml(bytes, format_named(forced));
}

bool is_not_a_report(const util::ParseError& error) {
  return util::starts_with(error.message, k_not_a_report);
}

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
    return parse_xml_streamed(bytes, forced_format);
  case Format::istanbul:
  case Format::coveragepy:
    return parse_json(bytes, forced);
  case Format::unknown:
    break;
  }
  if (is_xml_start(text) || has_wide_bom(bytes)) return parse_xml_streamed(bytes, "");
  if (text[0] == '{') return parse_json(bytes, Format::unknown);
  if (util::starts_with(text, "mode:")) return parse_go_cover(bytes);
  if (looks_like_lcov(text)) return parse_lcov(bytes);
  return util::unexpected(util::error_at(
      bytes, static_cast<size_t>(text.data() - bytes.data()),
      std::string(k_not_a_report) +
          "its content is in none of the formats this tool reads (LCOV, Cobertura, JaCoCo, Istanbul JSON, coverage.py "
          "JSON, Go cover profile or Clover); --format forces one"));
}

} // namespace tollgate::report
