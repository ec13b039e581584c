#include "report/xml_stream.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <malloc.h>
#include <mutex>
#include <vector>

namespace tollgate::report {

namespace {

// The options load_xml parses with (report/xml.cpp): the two must stay the same.
constexpr unsigned k_options =
    pugi::parse_cdata | pugi::parse_escapes | pugi::parse_wconv_attribute | pugi::parse_eol;
constexpr size_t k_read_bytes = size_t{1} << 20;

// pugixml's character classes (its chartype_table): names start with a letter, '_', ':' or a
// byte of 0x80 and up, and go on with those, digits, '-' and '.'.
bool starts_name(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool in_name(unsigned char c) {
  return starts_name(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// The first c in base[from, size), or size: a few bytes inline first (attribute values and the
// text between elements are short), then memchr.
size_t find_byte(const char* base, size_t from, size_t size, char c) {
  const size_t inline_to = std::min(size, from + 16);
  for (size_t at = from; at < inline_to; ++at)
    if (base[at] == c) return at;
  if (inline_to == size) return size;
  const void* found = std::memchr(base + inline_to, c, size - inline_to);
  return found ? static_cast<size_t>(static_cast<const char*>(found) - base) : size;
}

// Each window's document is freed before the next is built: glibc would hand the freed top of
// its heap back to the system (above 128 KiB) and take it again page by page, and on a virtual
// machine a page fault costs more than parsing the page's bytes (a third of the CPU time of the
// 100k-case bench). Freed memory is kept for reuse instead; peak memory is unchanged.
void keep_freed_memory() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
  });
}

} // namespace

class XmlStreamer {
public:
  XmlStreamer(const XmlSource& source, XmlConsumer& consumer, size_t window_bytes,
              size_t window_records)
      : m_source(source), m_consumer(consumer), m_window_bytes(std::max<size_t>(window_bytes, 1)),
        m_window_records(std::max<size_t>(window_records, 1)) {
    m_consumer.m_offset_of = [this](pugi::xml_node node) { return offset_of(node); };
  }
  ~XmlStreamer() { m_consumer.m_offset_of = nullptr; }

  std::optional<XmlError> run();

private:
  struct Open {
    std::string tag; // the start tag as written, '<' to '>'
    size_t name_size = 0;
    size_t offset = 0; // of its '<' in the source
    size_t text_kept = 0;
  };
  struct Segment {
    size_t at;     // in m_win
    size_t offset; // in the source
  };
  enum class Step { ok, end, error };

  bool read_more();
  void compact();
  void keep(size_t from, size_t to);
  void take_text(size_t from, size_t to, size_t* kept);
  Step markup();
  Step start_tag();
  Step end_tag();
  Step until(std::string_view terminator, size_t* kept);
  Step whole_markup(size_t limit_from);
  bool fail(size_t offset, std::string message);
  size_t* text_budget() { return m_open.empty() ? &m_top_text : &m_open.back().text_kept; }

  void begin_window();
  bool emit(bool last);
  size_t source_offset(size_t win_at) const;
  size_t offset_of(pugi::xml_node node) const;
  void walk(pugi::xml_document& doc, size_t open_at_end);

  const XmlSource& m_source;
  XmlConsumer& m_consumer;
  size_t m_window_bytes;
  size_t m_window_records;

  std::string m_in; // bytes read and not yet consumed, from m_in_offset
  size_t m_in_offset = 0;
  size_t m_pos = 0;     // scan position in m_in
  size_t m_read_to = 0; // next source offset to read
  size_t m_end = 0;     // the input's end: the source size, or its first NUL byte
  bool m_nul = false;
  bool m_eof = false;

  std::vector<Open> m_open;
  size_t m_open_bytes = 0;
  size_t m_record = SIZE_MAX; // index in m_open of the open record, if any
  size_t m_record_at = 0;     // its '<' in m_win
  size_t m_top_text = 0;
  size_t m_top_elements = 0;
  bool m_seen_element = false;

  std::string m_win; // prefix (start tags of the open elements) + content
  size_t m_prefix = 0;
  std::vector<size_t> m_records;        // where each record's '<' is in m_win, ascending
  std::vector<size_t> m_prefix_tags;    // where each prefix tag starts in m_win
  std::vector<size_t> m_prefix_offsets; // and in the source
  std::vector<Segment> m_segments;
  size_t m_win_end_offset = 0; // source offset just after the content

  std::optional<XmlError> m_error;
  std::optional<XmlError> m_too_deep;
};

bool XmlStreamer::read_more() {
  if (m_eof) return false;
  const size_t want = std::min(k_read_bytes, m_end - m_read_to);
  if (want == 0) {
    m_eof = true;
    return false;
  }
  const size_t old = m_in.size();
  m_in.resize(old + want);
  const long n = m_source.read_at(m_in.data() + old, want, m_read_to);
  if (n < 0) {
    m_in.resize(old);
    m_error = XmlError{0, "read error", true, false};
    m_eof = true;
    return false;
  }
  m_in.resize(old + static_cast<size_t>(n));
  if (n == 0) { // the file shrank while being read: what was there is the input
    m_end = m_read_to;
    m_eof = true;
    return false;
  }
  // pugixml stops at the first NUL byte as at the end of its buffer.
  if (const void* nul = std::memchr(m_in.data() + old, '\0', static_cast<size_t>(n))) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(nul) - m_in.data());
    m_in.resize(at);
    m_end = m_in_offset + at;
    m_nul = true;
    m_eof = true; // nothing after it counts
  }
  m_read_to += static_cast<size_t>(n);
  return m_in.size() > old;
}

void XmlStreamer::compact() {
  m_in.erase(0, m_pos);
  m_in_offset += m_pos;
  m_pos = 0;
}

// Copies m_in[from, to) into the window.
void XmlStreamer::keep(size_t from, size_t to) {
  if (from >= to) return;
  const size_t offset = m_in_offset + from;
  if (m_segments.empty() || m_win_end_offset != offset)
    m_segments.push_back({m_win.size(), offset});
  m_win.append(m_in, from, to - from);
  m_win_end_offset = offset + (to - from);
}

// Character data (or CDATA) m_in[from, to): kept while the element's budget lasts, the rest
// dropped.
void XmlStreamer::take_text(size_t from, size_t to, size_t* kept) {
  size_t keep_to = to;
  if (kept) {
    const size_t room = k_max_xml_text - std::min(*kept, k_max_xml_text);
    if (to - from > room) {
      keep_to = from + room;
      // Cut at a character, before an entity reference the cut would split.
      while (keep_to > from && (static_cast<unsigned char>(m_in[keep_to]) & 0xC0) == 0x80)
        --keep_to;
      const size_t tail = keep_to - std::min<size_t>(keep_to - from, 16);
      const size_t amp = std::string_view(m_in).substr(tail, keep_to - tail).rfind('&');
      if (amp != std::string_view::npos &&
          std::string_view(m_in).substr(tail + amp, keep_to - tail - amp).find(';') ==
              std::string_view::npos)
        keep_to = tail + amp;
      *kept = k_max_xml_text;
    } else {
      *kept += to - from;
    }
  } else {
    keep_to = from;
  }
  keep(from, keep_to);
}

bool XmlStreamer::fail(size_t offset, std::string message) {
  m_error = XmlError{offset, std::move(message)};
  return false;
}

// Scans to the terminator, taking the bytes before it as text into *kept (nullptr: dropped).
XmlStreamer::Step XmlStreamer::until(std::string_view terminator, size_t* kept) {
  for (;;) {
    const size_t found = std::string_view(m_in).find(terminator, m_pos);
    if (found != std::string_view::npos) {
      take_text(m_pos, found, kept);
      keep(found, found + terminator.size());
      m_pos = found + terminator.size();
      return Step::ok;
    }
    const size_t safe = std::max(m_pos, m_in.size() - std::min(m_in.size(), terminator.size() - 1));
    take_text(m_pos, safe, kept);
    m_pos = safe;
    compact();
    if (!read_more()) return m_error ? Step::error : Step::end;
  }
}

// Makes sure the markup construct at m_pos is in m_in until `limit_from` grows past the limit.
XmlStreamer::Step XmlStreamer::whole_markup(size_t limit_from) {
  if (m_in.size() - limit_from > k_max_xml_markup) {
    fail(m_in_offset + limit_from,
         fmt::format("XML markup longer than {} MiB (hostile or corrupt input)",
                     k_max_xml_markup >> 20));
    return Step::error;
  }
  if (!read_more()) return m_error ? Step::error : Step::end;
  return Step::ok;
}

XmlStreamer::Step XmlStreamer::start_tag() {
  const size_t begin = m_pos;
  size_t name_end = begin + 1;
  size_t at = name_end;
  for (;;) { // the name, then '>' outside quoted values
    while (name_end < m_in.size() && in_name(static_cast<unsigned char>(m_in[name_end])))
      ++name_end;
    if (name_end < m_in.size()) break;
    if (const Step s = whole_markup(begin); s != Step::ok) return s;
  }
  at = name_end;
  size_t end = std::string::npos;
  while (end == std::string::npos) {
    // The next '>' outside quoted values, one byte at a time (start tags are short: a loop is
    // cheaper than a memchr per quote); a quoted value is skipped with memchr.
    const char* base = m_in.data();
    const size_t size = m_in.size();
    while (at < size) {
      const char c = base[at];
      if (c == '>') {
        end = at + 1;
        break;
      }
      if (c == '"' || c == '\'') {
        const size_t close = find_byte(base, at + 1, size, c);
        if (close == size) break;
        at = close + 1;
        continue;
      }
      ++at;
    }
    if (end == std::string::npos) {
      if (const Step s = whole_markup(begin); s != Step::ok) return s;
    }
  }
  const bool empty = m_in[end - 2] == '/';
  const size_t depth = m_open.size();
  const size_t offset = m_in_offset + begin;
  m_seen_element = true;
  if (depth == 0) ++m_top_elements;
  // load_xml checks the nesting of the document element only.
  if (depth >= k_max_xml_depth && m_top_elements == 1 && !m_too_deep)
    m_too_deep =
        XmlError{offset, fmt::format("XML nested deeper than {} elements", k_max_xml_depth)};
  const std::string_view name(m_in.data() + begin + 1, name_end - begin - 1);
  if (m_record == SIZE_MAX &&
      m_consumer.is_record(
          name, depth,
          m_open.empty()
              ? std::string_view()
              : std::string_view(m_open.back().tag).substr(1, m_open.back().name_size))) {
    m_records.push_back(m_win.size());
    if (!empty) {
      m_record = depth;
      m_record_at = m_win.size();
    }
  }
  keep(begin, end);
  m_pos = end;
  if (!empty) {
    m_open.push_back({std::string(m_in, begin, end - begin), name.size(), offset, 0});
    m_open_bytes += end - begin;
    if (m_open_bytes > k_max_xml_open_tags) {
      if (m_too_deep) {
        m_error = m_too_deep;
        return Step::error;
      }
      fail(offset, fmt::format("the start tags of the open XML elements hold more than {} MiB",
                               k_max_xml_open_tags >> 20));
      return Step::error;
    }
  }
  return Step::ok;
}

XmlStreamer::Step XmlStreamer::end_tag() {
  const size_t begin = m_pos;
  size_t close;
  while ((close = m_in.find('>', begin)) == std::string::npos) {
    if (const Step s = whole_markup(begin); s != Step::ok) return s;
  }
  keep(begin, close + 1);
  m_pos = close + 1;
  // A mismatched end tag is pugixml's error to report, in this window; the stack only follows.
  if (!m_open.empty()) {
    m_open_bytes -= m_open.back().tag.size();
    m_open.pop_back();
    if (m_record == m_open.size()) m_record = SIZE_MAX;
  }
  return Step::ok;
}

XmlStreamer::Step XmlStreamer::markup() {
  // Nothing holds a position in m_in but m_pos here: drop what was consumed before reading on.
  if (m_pos >= k_read_bytes) compact();
  // The longest opener told apart here is "<![CDATA[" (9 bytes).
  while (m_in.size() - m_pos < 9 && !m_eof)
    if (!read_more() && m_error) return Step::error;
  const std::string_view rest = std::string_view(m_in).substr(m_pos);
  const auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
  if (rest.size() >= 2 && starts_name(static_cast<unsigned char>(rest[1]))) return start_tag();
  if (starts("</")) return end_tag();
  if (starts("<?")) {
    const size_t begin = m_pos;
    size_t close;
    while ((close = m_in.find("?>", begin + 2)) == std::string::npos) {
      if (const Step s = whole_markup(begin); s != Step::ok) return s;
    }
    keep(begin, close + 2);
    m_pos = close + 2;
    return Step::ok;
  }
  if (starts("<!--")) {
    keep(m_pos, m_pos + 4);
    m_pos += 4;
    return until("-->", nullptr);
  }
  if (starts("<![CDATA[")) {
    keep(m_pos, m_pos + 9);
    m_pos += 9;
    return until("]]>", text_budget());
  }
  if (starts("<!DOCTYPE")) {
    const size_t begin = m_pos;
    for (;;) {
      size_t stop = 0;
      const size_t end = xml_doctype_end(m_in, begin, &stop);
      if (end != std::string_view::npos || stop < m_in.size()) {
        const size_t to = end != std::string_view::npos ? end : stop;
        keep(begin, to);
        m_pos = to;
        return Step::ok;
      }
      if (const Step s = whole_markup(begin); s != Step::ok) return s;
    }
  }
  // Anything else after '<' is pugixml's error at the first byte that continues none of the
  // openers it knows ("<x" at the x, "<!<" at the second '<', "<!-x" at the x, "<![CDAx" at the
  // x): kept up to and with that byte, so no window ends before it (found by the xml_chunks fuzz
  // target: a window ending at "<!" put the error a byte early), and it is reported.
  size_t n = 1;
  for (const std::string_view opener : {"<!--", "<![CDATA[", "<!DOCTYPE"}) {
    size_t k = 0;
    while (k < opener.size() && k < rest.size() && rest[k] == opener[k])
      ++k;
    n = std::max(n, k);
  }
  n = std::min(n + 1, rest.size());
  keep(m_pos, m_pos + n);
  m_pos += n;
  return Step::ok;
}

void XmlStreamer::begin_window() {
  m_win.clear();
  m_segments.clear();
  m_records.clear();
  m_prefix_tags.clear();
  m_prefix_offsets.clear();
  for (const Open& open : m_open) {
    m_prefix_tags.push_back(m_win.size());
    m_prefix_offsets.push_back(open.offset);
    m_win += open.tag;
  }
  m_prefix = m_win.size();
}

size_t XmlStreamer::source_offset(size_t win_at) const {
  if (win_at < m_prefix) return 0;
  const auto it = std::upper_bound(m_segments.begin(), m_segments.end(), win_at,
                                   [](size_t at, const Segment& s) { return at < s.at; });
  if (it == m_segments.begin()) return m_win_end_offset;
  const Segment& segment = *std::prev(it);
  const size_t next_at = it == m_segments.end() ? m_win.size() : it->at;
  if (win_at >= next_at) return m_win_end_offset;
  return segment.offset + (win_at - segment.at);
}

size_t XmlStreamer::offset_of(pugi::xml_node node) const {
  const ptrdiff_t name_at = node.offset_debug();
  if (name_at < 0) return 0;
  // An element's name follows its '<' directly (pugixml may have overwritten that byte with
  // the terminator of the text before it, in place).
  auto at = static_cast<size_t>(name_at);
  if (at > 0) --at;
  if (at < m_prefix) {
    const auto it = std::upper_bound(m_prefix_tags.begin(), m_prefix_tags.end(), at);
    return m_prefix_offsets[static_cast<size_t>(it - m_prefix_tags.begin()) - 1];
  }
  return source_offset(at);
}

// Parses the window; hands its elements to the consumer (when walk_it) or only checks it.
bool XmlStreamer::emit(bool last) {
  const size_t content_end = m_win.size();
  size_t open_at_end = 0;
  if (!last) {
    open_at_end = m_open.size();
    for (auto it = m_open.rbegin(); it != m_open.rend(); ++it) {
      m_win += "</";
      m_win.append(it->tag, 1, it->name_size);
      m_win += '>';
    }
  }
  // load_buffer parses a copy ending in a NUL terminator: so does every window. At the end, the
  // input's own NUL byte (if any) stands where pugixml would stop.
  // pugixml moves an error on its buffer's last byte (the terminator) back one: behind the
  // input's own NUL byte stand as many bytes (at most one counts) as in the whole buffer.
  if (last && m_nul) m_win.append(m_end + 1 < m_source.size ? 2 : 1, '\0');
  m_win += '\0';
  pugi::xml_document doc;
  const pugi::xml_parse_result result =
      doc.load_buffer_inplace(m_win.data(), m_win.size(), k_options, pugi::encoding_utf8);
  if (!result &&
      !(result.status == pugi::status_no_document_element && (!last || m_seen_element))) {
    const auto at = static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0));
    size_t offset = at < content_end ? source_offset(at)
                    : last           ? std::min(m_end + (at - content_end), m_source.size)
                                     : m_win_end_offset;
    // pugixml places this one at its buffer's end: the input's, even past a NUL byte.
    if (result.status == pugi::status_no_document_element) offset = m_source.size;
    return fail(offset, fmt::format("malformed XML: {}", result.description()));
  }
  walk(doc, open_at_end);
  return true;
}

// Document order: open() for each element that starts here, close() for each that ends here,
// record() for whole records; the prefix's elements were opened by an earlier window.
void XmlStreamer::walk(pugi::xml_document& doc, size_t open_at_end) {
  std::vector<pugi::xml_node> still_open;
  for (pugi::xml_node node = doc; still_open.size() < open_at_end;) {
    node = node.last_child();
    while (node && node.type() != pugi::node_element)
      node = node.previous_sibling();
    if (!node) break;
    still_open.push_back(node);
  }
  std::vector<pugi::xml_node> prefix; // the prefix's elements, outermost first
  for (pugi::xml_node node = doc; prefix.size() < m_prefix_tags.size();) {
    node = node.first_child();
    while (node && node.type() != pugi::node_element)
      node = node.next_sibling();
    if (!node) break;
    prefix.push_back(node);
  }
  struct Frame {
    pugi::xml_node node;
    pugi::xml_node child;
  };
  std::vector<Frame> stack{{doc, doc.first_child()}};
  size_t next_record = 0;
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const size_t depth = stack.size() - 1; // of frame.child
    pugi::xml_node child = frame.child;
    if (!child) {
      const pugi::xml_node done = frame.node;
      stack.pop_back();
      if (!stack.empty() && !(depth - 1 < still_open.size() && still_open[depth - 1] == done))
        m_consumer.close(done, depth - 1);
      continue;
    }
    frame.child = child.next_sibling();
    if (child.type() != pugi::node_element) continue;
    if (!(depth < prefix.size() && child == prefix[depth])) {
      // Elements come in document order, as m_records does: a cursor finds each in turn.
      if (next_record < m_records.size()) {
        const auto at = static_cast<size_t>(child.offset_debug()) - 1;
        while (next_record < m_records.size() && m_records[next_record] < at)
          ++next_record;
        if (next_record < m_records.size() && m_records[next_record] == at) {
          ++next_record;
          m_consumer.record(child, depth);
          continue;
        }
      }
      m_consumer.open(child, depth);
    }
    stack.push_back({child, child.first_child()});
  }
}

std::optional<XmlError> XmlStreamer::run() {
  m_end = m_source.size;
  begin_window();
  for (;;) {
    if (m_pos == m_in.size()) {
      compact();
      if (!read_more()) {
        if (m_error) return m_error;
        break;
      }
    }
    const size_t stop = find_byte(m_in.data(), m_pos, m_in.size(), '<');
    take_text(m_pos, stop, text_budget());
    m_pos = stop;
    if (stop == m_in.size()) continue;
    // A '<' that ends the input after character data is pugixml's "unclosed element" error,
    // found from the text before it: never cut between them.
    if (m_pos >= k_read_bytes) compact();
    while (m_in.size() - m_pos < 2 && !m_eof)
      if (!read_more() && m_error) return m_error;
    const bool ends_input = m_in.size() - m_pos < 2;
    const size_t content = m_win.size() - m_prefix;
    if (m_record != SIZE_MAX && m_win.size() - m_record_at > k_max_xml_record) {
      if (!emit(false)) return m_error; // an earlier error comes first
      return XmlError{m_open[m_record].offset,
                      fmt::format("<{}> element larger than {} MiB (hostile or corrupt input)",
                                  std::string_view(m_open[m_record].tag)
                                      .substr(1, std::min<size_t>(m_open[m_record].name_size, 60)),
                                  k_max_xml_record >> 20)};
    }
    if (m_record == SIZE_MAX && !ends_input &&
        (content >= std::max(m_window_bytes, 2 * m_prefix) ||
         (m_records.size() >= m_window_records && content >= 2 * m_prefix))) {
      if (!emit(false)) return m_error;
      begin_window();
    }
    const Step step = markup();
    if (step == Step::error) {
      if (m_error && !m_error->io) {
        const XmlError mine = *m_error;
        m_error.reset();
        if (!emit(false)) return m_error; // the window so far is checked first
        return mine;
      }
      return m_error;
    }
    if (step == Step::end) break;
  }
  // The input ended: what is left unscanned (a construct cut off) goes in as it is.
  keep(m_pos, m_in.size());
  m_pos = m_in.size();
  if (!emit(true)) return m_error;
  return m_too_deep;
}

std::optional<XmlError> stream_xml(const XmlSource& source, XmlConsumer& consumer,
                                   size_t window_bytes, size_t window_records) {
  keep_freed_memory();
  XmlStreamer streamer(source, consumer, window_bytes, window_records);
  return streamer.run();
}

} // namespace tollgate::report
