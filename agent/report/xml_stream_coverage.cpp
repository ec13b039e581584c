// XML coverage reports streamed (report/coverage_xml.h): the root and its children tell the
// format, as format_of_xml_root does for a loaded document; Cobertura's reader follows the stream.
#include "report/clover.h"
#include "report/cobertura.h"
#include "report/coverage_numbers.h"
#include "report/coverage_report.h"
#include "report/coverage_xml.h"
#include "report/jacoco.h"
#include "report/xml.h"
#include "util/parallel.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

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
    if (depth == 1) add_child(local_name(element));
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
    if (depth == 1) add_child(local_name(element));
    if (m_follow) m_cobertura.record(element, depth);
  }
  void add_child(std::string_view local) {
    m_facts.add_child(local);
    m_children.emplace_back(local);
  }

  std::string_view m_forced;
  size_t m_roots = 0, m_tops = 0;
  bool m_follow = false, m_follow_clover = false, m_follow_jacoco = false;
  size_t m_root_offset = 0;
  XmlRootFacts m_facts;
  std::vector<std::string> m_children; // the root's element children, in order (for parts)
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

// A large Cobertura report read in parts (report/coverage_xml.h).
constexpr unsigned k_max_parts = 4;
// What is open where parts are cut, written in front of every part but the first and closed
// behind every part but the last. The Cobertura reader reads no attribute of these.
constexpr std::string_view k_open_tags = "<coverage><packages><package><classes>";
constexpr std::string_view k_close_tags = "</classes></package></packages></coverage>";
constexpr std::string_view k_class_tag = "<class";

// The bytes of a part: `before`, the source's [begin, end), then `after`.
XmlSource part_source(const XmlSource& source, size_t begin, size_t end, std::string_view before,
                      std::string_view after) {
  XmlSource part;
  const size_t middle = end - begin;
  part.size = before.size() + middle + after.size();
  part.read_at = [&source, begin, middle, before, after](char* into, size_t n,
                                                           size_t offset) -> long {
    size_t done = 0;
    while (done < n) {
      const size_t at = offset + done;
      if (at < before.size()) {
        const size_t k = std::min(n - done, before.size() - at);
        std::copy_n(before.data() + at, k, into + done);
        done += k;
      } else if (at < before.size() + middle) {
        const size_t in_middle = at - before.size();
        const long r =
            source.read_at(into + done, std::min(n - done, middle - in_middle), begin + in_middle);
        if (r < 0) return -1;
        if (r == 0) break; // the file shrank: the part ends here
        done += static_cast<size_t>(r);
      } else if (at < before.size() + middle + after.size()) {
        const size_t in_after = at - before.size() - middle;
        const size_t k = std::min(n - done, after.size() - in_after);
        std::copy_n(after.data() + in_after, k, into + done);
        done += k;
      } else {
        break;
      }
    }
    return static_cast<long>(done);
  };
  return part;
}

// The offset of the first "<class" start tag at or after `from` (its '<'), or npos. One inside a
// comment, CDATA or an attribute value makes the part before it malformed: it is then read whole.
size_t class_tag_after(const XmlSource& source, size_t from) {
  std::string window(size_t{1} << 20, '\0');
  for (size_t at = from; at < source.size;) {
    const long n = source.read_at(window.data(), window.size(), at);
    if (n <= 0) return std::string_view::npos;
    const std::string_view w(window.data(), static_cast<size_t>(n));
    for (size_t found = w.find(k_class_tag); found != std::string_view::npos;
         found = w.find(k_class_tag, found + 1)) {
      if (found + k_class_tag.size() >= w.size()) break; // seen again in the next window
      const char c = w[found + k_class_tag.size()];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/')
        return at + found;
    }
    if (w.size() < window.size()) return std::string_view::npos;
    at += w.size() - k_class_tag.size();
  }
  return std::string_view::npos;
}

struct Part {
  size_t begin = 0, end = 0;
  std::unique_ptr<CoverageXmlStream> stream;
  bool ok = false;
};

void parse_part(const XmlSource& source, std::string_view forced, size_t window_bytes,
                Part& part, bool first, bool last) {
  part.stream = std::make_unique<CoverageXmlStream>(forced, source.size);
  const XmlSource bytes = part_source(source, part.begin, part.end, first ? "" : k_open_tags,
                                      last ? "" : k_close_tags);
  const auto error = stream_xml(bytes, *part.stream, window_bytes);
  const CoberturaStream& cobertura = part.stream->m_cobertura;
  part.ok = !error && part.stream->m_follow && !cobertura.error() &&
            (last || cobertura.last_classes_in_first_packages());
}

// The report read in parts, or nullopt when it is small, not Cobertura, or any part failed (the
// caller then reads it in one piece, which also finds the first error where it is).
std::optional<model::CoverageReport> read_cobertura_in_parts(const XmlSource& source,
                                                             std::string_view forced,
                                                             size_t window_bytes,
                                                             size_t part_bytes) {
  if (!forced.empty() && forced != "cobertura") return std::nullopt;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t wanted = std::clamp<size_t>(source.size / std::max<size_t>(part_bytes, 1), 1,
                                           std::min(cores, k_max_parts));
  if (wanted < 2) return std::nullopt;
  // Cut only what looks like Cobertura from its head (a JaCoCo or Clover report has <class>
  // elements too, elsewhere): a wrong guess costs a second reading, never a wrong result.
  const std::string head = head_of(source).substr(0, size_t{64} << 10);
  if (first_element_name(head) != "coverage" || head.find("<packages") == std::string::npos)
    return std::nullopt;
  std::vector<Part> parts(1);
  for (size_t i = 1; i < wanted; ++i) {
    const size_t at =
        class_tag_after(source, std::max(parts.back().begin + 1, source.size * i / wanted));
    if (at == std::string_view::npos || at >= source.size) break;
    parts.back().end = at;
    parts.emplace_back().begin = at;
  }
  parts.back().end = source.size;
  if (parts.size() < 2) return std::nullopt;
  util::parallel_for(
      parts.size(),
      [&](size_t i) {
        parse_part(source, forced, window_bytes, parts[i], i == 0, i + 1 == parts.size());
      },
      k_max_parts);
  if (!std::all_of(parts.begin(), parts.end(), [](const Part& p) { return p.ok; }))
    return std::nullopt;

  // The format from the root and all its children (the parts after the first begin with the
  // <packages> written in front of them).
  XmlRootFacts facts = parts[0].stream->m_facts;
  for (size_t i = 1; i < parts.size(); ++i)
    for (size_t c = 1; c < parts[i].stream->m_children.size(); ++c)
      facts.add_child(parts[i].stream->m_children[c]);
  std::string why;
  if (forced.empty() && format_of_xml_root(facts, why) != XmlCoverageFormat::cobertura)
    return std::nullopt;
  // The branch budget is the report's, not each part's.
  uint64_t taken = 0;
  for (const Part& part : parts)
    taken += part.stream->m_cobertura.branches_taken();
  if (taken > ExpansionBudget(source.size).left()) return std::nullopt;

  model::CoverageReport report = parts[0].stream->m_cobertura.take();
  bool sources = parts[0].stream->m_cobertura.saw_sources();
  std::unordered_map<std::string, size_t> index; // path → file
  for (size_t f = 0; f < report.files.size(); ++f)
    index.emplace(report.files[f].path, f);
  for (size_t i = 1; i < parts.size(); ++i) {
    CoberturaStream& cobertura = parts[i].stream->m_cobertura;
    const bool part_sources = cobertura.saw_sources();
    model::CoverageReport more = cobertura.take();
    if (!sources && part_sources) report.source_roots = std::move(more.source_roots);
    sources = sources || part_sources;
    for (auto& file : more.files) {
      if (const auto it = index.find(file.path); it != index.end()) {
        report.files[it->second].merge(file);
      } else {
        report.files.push_back(std::move(file));
        index.emplace(report.files.back().path, report.files.size() - 1);
      }
    }
  }
  return report;
}

util::Expected<model::CoverageReport, util::ParseError>
read(const XmlSource& source, std::string_view forced, size_t window_bytes,
     const std::function<util::Expected<std::string, util::ParseError>()>& whole,
     size_t part_bytes) {
  const auto whole_path = [&]() -> util::Expected<model::CoverageReport, util::ParseError> {
    auto bytes = whole();
    if (!bytes) return util::unexpected(bytes.error());
    return parse_xml_coverage_whole(*bytes, forced);
  };
  if (!streams_as_utf8(source)) return whole_path();
  if (auto report = read_cobertura_in_parts(source, forced, window_bytes, part_bytes))
    return std::move(*report);
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
                  const std::function<util::Expected<std::string, util::ParseError>()>& whole,
                  size_t part_bytes) {
  return read(source, forced, window_bytes, whole, part_bytes);
}

} // namespace tollgate::report
