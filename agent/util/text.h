#pragma once
// Escaping of untrusted text (test names, messages, URLs from reports) for the places it is
// shown, and size limits that never cut a UTF-8 sequence in half.
#include <string>
#include <string_view>

namespace tollgate::util {

// Text inside HTML (<summary>, <b>, <code>, a table cell): & < > " ' and every character
// Markdown acts on ([ ] ` * _ ~ | \ !) as entities, line breaks as spaces (a blank line would end
// an HTML block), and references broken as escape_markdown does. The result is one line that
// renders literally in an HTML block, in inline HTML and in a table cell.
std::string escape_html(std::string_view text);

// Inline Markdown: HTML-escaped, Markdown punctuation backslash-escaped, line breaks folded to
// spaces, a leading block marker (- + = 1. and indentation) escaped, and references broken with
// a zero-width space — @user, #123, GH-123, "://" of URLs (issue and pull URLs included) and
// www. — so nobody is pinged, nothing is cross-linked and no link is made.
std::string escape_markdown(std::string_view text);

// A table cell: escape_markdown plus '|' escaped; newlines become <br>.
std::string escape_table_cell(std::string_view text);

// Text for a fenced code block: the fence is chosen longer than any backtick run inside, and
// @mentions are still broken (GitHub does not ping inside code, but notifications may).
std::string code_block(std::string_view text, std::string_view language = "");

// Inline code (`text`) for untrusted text: the fence is one backtick longer than any backtick run
// inside (a backtick cannot close the span, and backslashes are literal in code spans, so nothing
// is escaped), line breaks folded to spaces (a blank line would end the paragraph), padded with a
// space when the text starts or ends with a backtick or a space (CommonMark strips one of each).
std::string code_span(std::string_view text);

// Replaces invalid UTF-8 and NUL bytes with U+FFFD so JSON and the API accept the text.
std::string sanitize_utf8(std::string_view text);
// Whether sanitize_utf8 leaves text as it is (valid UTF-8 without NUL bytes).
bool is_clean_utf8(std::string_view text);

// Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and code points
// past U+10FFFF are invalid; NUL is valid here), or npos. ASCII runs go eight bytes at a time.
size_t first_invalid_utf8(std::string_view text);

// How many times `byte` occurs in the text. Counted sixteen bytes at a time in byte-wide lanes
// (the compiler vectorises the loop; std::count widened every lane to 64 bits and was 7× slower):
// a streaming reader counts the lines of every chunk it drops, for error positions.
size_t count_byte(std::string_view text, char byte);

// Offset of the first byte JSON text may not hold unescaped — invalid UTF-8, or a control
// character other than tab, line feed and carriage return (NUL included) — or npos.
size_t first_invalid_json_text(std::string_view text);
// What is wrong at that offset: "invalid UTF-8" or "control character 0x1A in JSON text".
std::string describe_invalid_json_text(std::string_view text, size_t offset);

// At most max_bytes bytes, cut on a code point boundary, with the suffix appended when cut
// (the suffix counts toward the limit).
std::string truncate_utf8(std::string_view text, size_t max_bytes, std::string_view suffix = "…");

// Number of Unicode code points (what GitHub counts as characters for its limits).
size_t utf8_length(std::string_view text);

// At most max_chars code points, with the suffix appended when cut.
std::string truncate_chars(std::string_view text, size_t max_chars, std::string_view suffix = "…");

std::string_view trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);

} // namespace tollgate::util

namespace tollgate::util {
// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
// segments built from names).
std::string url_encode(std::string_view text);
// First 16 hex digits of the SHA-256 of the text: a stable short key (markers, external ids).
std::string short_hash(std::string_view text);
} // namespace tollgate::util
