#pragma once
// JaCoCo XML (report.dtd 1.1): report > group* > package > sourcefile > line nr mi ci mb cb.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include "report/xml_stream.h"

#include <memory>
#include <pugixml.hpp>
#include <string_view>

namespace tollgate::report {

// Paths are "<package name>/<sourcefile name>" ("com/example/Cart.java"); path resolution finds
// the source root (src/main/java/…) by suffix. Every <line> is executable with ci (covered
// instructions) as its hits, as diff-cover reads it; mb + cb branches, cb of them covered.
util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(pugi::xml_node root,
                                                                     std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(std::string_view bytes);

// The same fed by stream_xml with the root's events (no records). parse_jacoco walks groups
// last-first (a stack): a container's packages, then its groups from the last one; the stream
// sees document order, so each file keeps the position of its first occurrence in that walk and
// take() orders the files by it. Whether a line or element breaks the format does not depend on
// the order (nor does the branch budget, a sum); which error parse_jacoco meets first does, so a
// broken report is told by failed() and read again by parse_jacoco for its exact error.
class JacocoStream {
public:
  explicit JacocoStream(size_t input_bytes);
  ~JacocoStream();
  void open(pugi::xml_node element, size_t depth);
  void close(size_t depth);
  bool failed() const;
  model::CoverageReport take();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

} // namespace tollgate::report
