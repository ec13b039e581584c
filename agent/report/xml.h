#pragma once
// The one XML loader for test reports, and the small helpers every format parser shares.
// pugixml never reads files or URLs, never processes a DTD and expands only the five
// predefined entities and character references: a DOCTYPE's internal subset is skipped and
// `&xxe;` stays as literal text, so XXE and "billion laughs" inputs are inert.
#include "util/error.h"
#include "util/expected.h"

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace tollgate::report {

// Deepest element nesting accepted. Real reports nest fewer than 20 levels (NUnit namespaces
// included); deeper input is hostile or broken, and rejecting it keeps every walk cheap.
inline constexpr size_t k_max_xml_depth = 256;

// Parses bytes (UTF-8, or UTF-16/32 with a BOM) into doc and returns the document element.
// Errors carry the 1-based line and column of the byte where parsing stopped.
util::Expected<pugi::xml_node, util::ParseError> load_xml(pugi::xml_document& doc,
                                                          std::string_view bytes);

// Where a node starts in the bytes it was loaded from (line and column 0 when unknown).
util::ParseError error_at_node(std::string_view bytes, pugi::xml_node node, std::string message);

// The element name without a namespace prefix: "t:TestRun" → "TestRun".
std::string_view local_name(pugi::xml_node node);
std::string_view local_name(std::string_view name);

// First child element with the given local name (prefix ignored), or an empty node.
pugi::xml_node child_local(pugi::xml_node node, std::string_view name);

// An attribute's value, "" when absent.
inline std::string_view attr(pugi::xml_node node, const char* name) {
  return node.attribute(name).value();
}

// The text directly inside an element: its PCDATA and CDATA children joined.
std::string node_text(pugi::xml_node node);

// The first line of text that is not blank, trimmed.
std::string_view first_line(std::string_view text);

// Text as the model keeps it: CR LF and lone CR become LF, surrounding whitespace trimmed.
std::string clean_text(std::string_view text);

// Seconds from "1.5", "1,234.5" (thousands separators), "0,25" (a decimal comma) or
// "4.5e-05"; 0 when unparsable, negative or not finite.
double parse_seconds(std::string_view text);

// A non-negative integer attribute such as a line number; 0 when absent or unparsable.
int parse_count(std::string_view text);

// Captured output as kept for failed tests: cleaned and cut to k_max_output_bytes.
std::string keep_output(std::string_view text);

// Captured stdout/stderr per test; a hung test can print gigabytes, the summary needs the tail
// of a few kilobytes at most.
inline constexpr size_t k_max_output_bytes = 1024 * 1024;

} // namespace tollgate::report
