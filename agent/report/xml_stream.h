#pragma once
// XML read in bounded memory: the bytes are cut into windows of a few megabytes at points between
// nodes, and pugixml parses each window with the start tags of the elements still open in front
// of it (and end tags for them behind it), so every window is the slice of the one document that
// pugixml would have built from the whole file. A consumer sees the elements as they close, and
// whole subtrees for the elements it calls records. Errors are pugixml's own, at the file's
// offsets: a window starts exactly where pugixml's parse of the whole file would stand, so the
// first error is found where the whole-file parse finds it (tests/unit/report/xml_stream_test,
// tests/fuzz/xml_chunks_fuzz). Measurements behind the choice: docs/xml-streaming.md.
//
// Hardening as load_xml: no DTD processing (a DOCTYPE is skipped), only the predefined entities,
// nesting bounded by k_max_xml_depth; and what one window must hold is bounded: the text kept per
// element (k_max_xml_text, the rest is dropped: the model keeps at most k_max_output_bytes of
// it), one tag or DOCTYPE (k_max_xml_markup) and one record (k_max_xml_record).
#include "report/xml.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::report {

// Text kept per element (its character data and CDATA together): twice what any text of the
// model keeps (k_max_output_bytes), so trimming leading blanks still leaves all of it.
inline constexpr size_t k_max_xml_text = 2 * k_max_output_bytes;
// One start tag (all its attributes), processing instruction or DOCTYPE; longer is an error.
// Real reports' longest tags are a failure message of a few kilobytes.
inline constexpr size_t k_max_xml_markup = size_t{16} << 20;
// One record (a <testcase>, a <class> …) after text is capped; larger is an error.
inline constexpr size_t k_max_xml_record = size_t{64} << 20;
// The start tags of the elements open at one point, together (nesting is bounded by
// k_max_xml_depth; this bounds what the tags may hold).
inline constexpr size_t k_max_xml_open_tags = size_t{64} << 20;
// Bytes a window holds before it is cut at the next point between nodes.
inline constexpr size_t k_xml_window_bytes = size_t{4} << 20;
// Records a window of a test report holds before it is cut: a window's document is its elements
// (a bare <testcase> is a node and three attributes in 70 bytes), and one of a few thousand
// records stays in the cache and reuses the previous window's memory instead of touching new
// pages; windows of large records (traces, output) stay 4 MiB. 100k-case JUnit bench, CPU time
// and page faults: 4 MiB windows 109 ms, 5,100 faults; 256 KiB 68 ms, 1,500
// (docs/xml-streaming.md).
inline constexpr size_t k_test_window_records = 4096;

// Where the bytes come from: a file read at offsets, or a buffer in memory.
struct XmlSource {
  size_t size = 0;
  // Up to n bytes at offset into `into`; fewer only at the end; -1 on a read error.
  std::function<long(char* into, size_t n, size_t offset)> read_at;
};
XmlSource memory_source(std::string_view bytes);

// An error at a byte offset of the source; line and column are counted only when it is shown.
struct XmlError {
  size_t offset = 0;
  std::string message;
  bool io = false;     // the source could not be read (message says why)
  bool located = true; // false: no position (line and column 0)
};

// What a format reader does with the elements. depth: 0 for a top-level element.
class XmlConsumer {
public:
  virtual ~XmlConsumer() = default;
  // Elements the consumer wants whole: the reader never cuts inside them and hands the subtree
  // to record() instead of open()/close(). Asked once for each start tag outside a record, in
  // document order, before the window holding it is parsed (so also where a format is told).
  virtual bool is_record(std::string_view name, size_t depth, std::string_view parent) = 0;
  // A start tag: the element's attributes are complete, its children not yet.
  virtual void open(pugi::xml_node element, size_t depth) = 0;
  // An end tag (or an empty element after its open()): attributes as at open().
  virtual void close(pugi::xml_node element, size_t depth) = 0;
  virtual void record(pugi::xml_node element, size_t depth) = 0;

  // The source offset of an element's '<', valid inside the calls above.
  size_t offset_of(pugi::xml_node element) const { return m_offset_of(element); }

private:
  friend class XmlStreamer;
  std::function<size_t(pugi::xml_node)> m_offset_of;
};

// Streams the source through the consumer. Returns the first malformed-XML error (worded as
// load_xml words it), else the first element nested deeper than k_max_xml_depth, else nullopt.
// window_bytes is for tests (small windows prove the result does not depend on the cuts); a
// window is also cut once it holds window_records records.
std::optional<XmlError> stream_xml(const XmlSource& source, XmlConsumer& consumer,
                                   size_t window_bytes = k_xml_window_bytes,
                                   size_t window_records = SIZE_MAX);

// True when pugixml's encoding detection would read the source as UTF-8 (every report in
// practice); UTF-16/32 and Latin-1 declared documents are read whole by load_xml instead.
bool streams_as_utf8(const XmlSource& source);

// Where a DOCTYPE that starts at buf[at] ends (just after its '>'), scanned as pugixml's
// parse_doctype_group scans it; npos when buf ends first or pugixml would stop with an error
// (*stop: where scanning stopped).
size_t xml_doctype_end(std::string_view buf, size_t at, size_t* stop);

// Line and column of an error, counted by reading the source up to it.
util::ParseError locate(const XmlSource& source, const XmlError& error);

} // namespace tollgate::report
