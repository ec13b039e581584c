// XML coverage reports streamed (report/coverage_xml.h): the root and its children tell the
// format, as format_of_xml_root does for a loaded document; Cobertura's reader follows the stream.
#include "report/clover.h"
#include "report/cobertura.h"
#include "report/coverage_report.h"
#include "report/coverage_xml.h"
#include "report/jacoco.h"
#include "report/xml.h"
#include "util/text.h"

#include <fmt/format.h>

namespace tollgate::report {

namespace {

class CoverageXmlStream final : public XmlConsumer {
public:
  CoverageXmlStream(std::string_view forced, size_t input_bytes)
      : m_forced(forced), m_cobertura(input_bytes), m_clover(input_bytes), m_jacoco(input_bytes) {}

  bool is_record(std::string_view name, size_t depth, std::string_view parent) override {
    if (depth == 0) {
      if (m_tops++ == 0) {
        // A <coverage> root is Cobertura's or Clover's: both follow until its children tell.
        const bool coverage = m_forced.empty() && local_name(name) == "coverage";
        m_follow = m_forced == "cobertura" || coverage;
        m_follow_clover = m_forced == "clover" || coverage;
        m_follow_jacoco =
            m_forced == "jacoco" || (m_forced.empty() && local_name(name) == "report");
      }
      return false;
    }
    return m_follow && m_tops == 1 && CoberturaStream::is_record(name, depth, parent);
  }
  void open(pugi::xml_node element, size_t depth) override {
    if (depth == 0) {
      ++m_roots;
      if (m_roots == 1) {
        m_root_offset = offset_of(element);
        m_facts.name = local_name(element);
        m_facts.clover_attr = static_cast<bool>(element.attribute("clover"));
        m_facts.line_rate_attr = static_cast<bool>(element.attribute("line-rate"));
        m_facts.version_attr = static_cast<bool>(element.attribute("version"));
        m_facts.name_attr = static_cast<bool>(element.attribute("name"));
      }
    }
    if (m_roots != 1) return;
    if (depth == 0 && element.first_child()) m_facts.any_child = true;
    if (depth == 1) m_facts.add_child(local_name(element));
    if (m_follow) m_cobertura.open(element, depth, *this);
    if (m_follow_clover) m_clover.open(element, depth, *this);
    if (m_follow_jacoco) m_jacoco.open(element, depth);
  }
  void close(pugi::xml_node element, size_t depth) override {
    if (m_roots != 1) return;
    // Text under the root (a <report> holding only text is JaCoCo's, as the document says).
    if (depth == 0 && element.first_child()) m_facts.any_child = true;
    if (m_follow) m_cobertura.close(element, depth);
    if (m_follow_clover) m_clover.close(depth);
    if (m_follow_jacoco) m_jacoco.close(depth);
  }
  void record(pugi::xml_node element, size_t depth) override {
    if (m_roots != 1) return;
    if (depth == 1) m_facts.add_child(local_name(element));
    if (m_follow) m_cobertura.record(element, depth);
  }

  std::string_view m_forced;
  size_t m_roots = 0, m_tops = 0;
  bool m_follow = false, m_follow_clover = false, m_follow_jacoco = false;
  size_t m_root_offset = 0;
  XmlRootFacts m_facts;
  CoberturaStream m_cobertura;
  CloverStream m_clover;
  JacocoStream m_jacoco;
};

// The head of the source, for first_element_name (a prolog longer than this is not HTML).
std::string head_of(const XmlSource& source) {
  std::string head(std::min<size_t>(source.size, size_t{1} << 20), '\0');
  const long n = source.read_at(head.data(), head.size(), 0);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head;
}

util::Expected<model::CoverageReport, util::ParseError>
read(const XmlSource& source, std::string_view forced, size_t window_bytes,
     const std::function<util::Expected<std::string, util::ParseError>()>& whole) {
  const auto whole_path = [&]() -> util::Expected<model::CoverageReport, util::ParseError> {
    auto bytes = whole();
    if (!bytes) return util::unexpected(bytes.error());
    return parse_xml_coverage_whole(*bytes, forced);
  };
  if (!streams_as_utf8(source)) return whole_path();
  CoverageXmlStream stream(forced, source.size);
  if (auto error = stream_xml(source, stream, window_bytes)) {
    if (error->io) return util::unexpected(util::ParseError{error->message, 0, 0});
    const util::ParseError located = locate(source, *error);
    // Markup that is not XML (HTML) or XML with a root no coverage format has is not a report;
    // a <coverage> or <report> document that breaks off is a broken one.
    const std::string head = forced.empty() ? head_of(source) : std::string();
    const std::string_view first = first_element_name(head);
    if (forced.empty() && !first.empty() && first != "coverage" && first != "report")
      return util::unexpected(util::ParseError{
          fmt::format("{}<{}> is not the root of a coverage report, and the file is not "
                      "well-formed XML",
                      k_not_a_report, util::truncate_utf8(first, 60)),
          located.line, located.column});
    return util::unexpected(located);
  }
  XmlCoverageFormat format = XmlCoverageFormat::unknown;
  if (forced == "cobertura") format = XmlCoverageFormat::cobertura;
  if (forced == "clover") format = XmlCoverageFormat::clover;
  if (forced == "jacoco") format = XmlCoverageFormat::jacoco;
  if (forced.empty()) {
    std::string why;
    format = format_of_xml_root(stream.m_facts, why);
    if (format == XmlCoverageFormat::unknown)
      return util::unexpected(
          locate(source, {stream.m_root_offset, std::string(k_not_a_report) + why}));
  }
  if (format == XmlCoverageFormat::clover) {
    if (const auto& error = stream.m_clover.error())
      return util::unexpected(locate(source, {error->first, error->second}));
    return stream.m_clover.take();
  }
  if (format == XmlCoverageFormat::jacoco) {
    // A broken JaCoCo report is read again whole: which error comes first is parse_jacoco's
    // walk order (report/jacoco.h).
    if (stream.m_jacoco.failed()) return whole_path();
    return stream.m_jacoco.take();
  }
  if (const auto& error = stream.m_cobertura.error())
    return util::unexpected(locate(source, {error->first, error->second}));
  return stream.m_cobertura.take();
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError>
read_xml_coverage(const XmlSource& source, std::string_view forced, size_t window_bytes,
                  const std::function<util::Expected<std::string, util::ParseError>()>& whole) {
  return read(source, forced, window_bytes, whole);
}

} // namespace tollgate::report
