#include "report/xml.h"

#include "util/text.h"

#include <algorithm>
#include <cstdint>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace tollgate::report {
namespace {

// pugixml's own defaults minus nothing that matters for safety: parse_doctype is off, so the
// DOCTYPE is skipped without building a node; entity declarations are never interpreted.
constexpr unsigned k_parse_options =
    pugi::parse_cdata | pugi::parse_escapes | pugi::parse_wconv_attribute | pugi::parse_eol;

// The first element nested deeper than k_max_xml_depth, found without recursion by walking
// first_child / next_sibling / parent links.
pugi::xml_node too_deep(pugi::xml_node root) {
  const auto next_element = [](pugi::xml_node node) {
    while (node && node.type() != pugi::node_element)
      node = node.next_sibling();
    return node;
  };
  size_t depth = 1;
  pugi::xml_node node = root;
  for (;;) {
    if (pugi::xml_node child = next_element(node.first_child())) {
      if (++depth > k_max_xml_depth) return child;
      node = child;
      continue;
    }
    for (;;) {
      if (node == root) return {};
      if (pugi::xml_node next = next_element(node.next_sibling())) {
        node = next;
        break;
      }
      node = node.parent();
      --depth;
    }
  }
}

} // namespace

util::Expected<pugi::xml_node, util::ParseError> load_xml(pugi::xml_document& doc,
                                                          std::string_view bytes) {
  const pugi::xml_parse_result result =
      doc.load_buffer(bytes.data(), bytes.size(), k_parse_options, pugi::encoding_auto);
  if (!result) {
    const auto offset = result.offset < 0 ? size_t{0} : static_cast<size_t>(result.offset);
    return util::unexpected(
        util::error_at(bytes, offset, fmt::format("malformed XML: {}", result.description())));
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return util::unexpected(util::ParseError{"no XML element found", 0, 0});
  if (pugi::xml_node deep = too_deep(root)) {
    return util::unexpected(error_at_node(
        bytes, deep, fmt::format("XML nested deeper than {} elements", k_max_xml_depth)));
  }
  return root;
}

util::ParseError error_at_node(std::string_view bytes, pugi::xml_node node, std::string message) {
  const ptrdiff_t offset = node.offset_debug();
  if (offset < 0) return util::ParseError{std::move(message), 0, 0};
  // offset_debug points at the name; step back to the '<' that opens the tag.
  auto at = static_cast<size_t>(offset);
  if (at > 0 && at <= bytes.size() && bytes[at - 1] == '<') --at;
  return util::error_at(bytes, at, std::move(message));
}

std::string_view local_name(pugi::xml_node node) {
  return local_name(std::string_view(node.name()));
}

std::string_view local_name(std::string_view name) {
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_local(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && local_name(child) == name) return child;
  }
  return {};
}

std::string node_text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

std::string_view first_line(std::string_view text) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = util::trim(text.substr(0, end));
    if (!line.empty()) return line;
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

std::string clean_text(std::string_view text) {
  text = util::trim(text);
  // No message or trace is shown past this (annotations take 64 KB), so a hostile 1 GB
  // attribute costs one bounded copy, not several full ones.
  const bool cut = text.size() > k_max_output_bytes;
  if (cut) {
    size_t end = k_max_output_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out;
  out.reserve(text.size());
  // CR and CRLF become LF; the runs between them are copied whole.
  while (!text.empty()) {
    const size_t cr = text.find('\r');
    out.append(text.substr(0, cr));
    if (cr == std::string_view::npos) break;
    out += '\n';
    text.remove_prefix(cr + 1);
    if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  }
  if (cut) out += "\n… (truncated)";
  return out;
}

namespace {

// "1,234.5" and "12,345,678": commas that group thousands (a first group of 1-3 digits not
// starting with 0, then groups of exactly 3).
bool groups_thousands(std::string_view text) {
  const size_t end = std::min(text.find('.'), text.size());
  size_t group = 0;
  bool first = true;
  for (size_t i = 0; i <= end; ++i) {
    if (i == end || text[i] == ',') {
      if (first ? (group == 0 || group > 3 || text[0] == '0') : group != 3) return false;
      first = false;
      group = 0;
    } else if (text[i] >= '0' && text[i] <= '9') {
      ++group;
    } else {
      return false;
    }
  }
  return true;
}

} // namespace

double parse_seconds(std::string_view text) {
  text = util::trim(text);
  // "12.345" (every test case's time): digits as an integer over a power of ten, both exact in
  // a double, so the one rounded division equals from_chars' nearest double (Clinger's fast path).
  if (text.size() <= 16) {
    static constexpr double k_tens[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                        1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t digits = 0;
    size_t dot = text.size(), i = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c >= '0' && c <= '9') digits = digits * 10 + static_cast<uint64_t>(c - '0');
      else if (c == '.' && dot == text.size() && i > 0) dot = i;
      else break;
    }
    if (i == text.size() && i > 0 && dot + 1 != text.size())
      return static_cast<double>(digits) / k_tens[dot == text.size() ? 0 : text.size() - dot - 1];
  }
  std::string copy;
  if (text.find(',') != std::string_view::npos) {
    copy.assign(text);
    if (groups_thousands(text)) {
      std::erase(copy, ',');
    } else if (std::count(copy.begin(), copy.end(), ',') == 1 && text.find('.') == text.npos) {
      std::replace(copy.begin(), copy.end(), ',', '.'); // a decimal comma: "0,25"
    }
    text = copy;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  if (ec != std::errc() || !std::isfinite(value) || value < 0) return 0;
  return value;
}

int parse_count(std::string_view text) {
  text = util::trim(text);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  if (ec != std::errc() || value < 0) return 0;
  return value;
}

std::string keep_output(std::string_view text) {
  std::string cleaned = clean_text(text);
  if (cleaned.size() <= k_max_output_bytes) return cleaned;
  return util::truncate_utf8(cleaned, k_max_output_bytes, "\n… (output truncated)");
}

} // namespace tollgate::report
