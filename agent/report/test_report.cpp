#include "report/test_report.h"

#include "report/junit.h"
#include "report/nunit.h"
#include "report/trx.h"
#include "report/xml.h"
#include "report/xunit.h"
#include "util/text.h"

#include <fmt/format.h>
#include <new>

namespace tollgate::report {
namespace {

enum class Format { junit, xunit, nunit, trx, unknown };

Format format_named(std::string_view name) {
  if (name == "junit") return Format::junit;
  if (name == "xunit" || name == "xunit2") return Format::xunit;
  if (name == "nunit" || name == "nunit3") return Format::nunit;
  if (name == "trx" || name == "mstest") return Format::trx;
  return Format::unknown;
}

Format format_of_root(std::string_view root) {
  if (root == "testsuites" || root == "testsuite") return Format::junit;
  if (root == "assemblies" || root == "assembly") return Format::xunit;
  if (root == "test-run") return Format::nunit;
  if (root == "TestRun") return Format::trx;
  return Format::unknown;
}

const char* expected_roots(Format format) {
  switch (format) {
  case Format::junit:
    return "<testsuites> or <testsuite>";
  case Format::xunit:
    return "<assemblies> or <assembly>";
  case Format::nunit:
    return "<test-run>";
  case Format::trx:
    return "<TestRun>";
  case Format::unknown:
    break;
  }
  return "<testsuites>, <testsuite>, <assemblies>, <assembly>, <test-run> or <TestRun>";
}

// Only whitespace and a UTF-8 byte order mark.
bool is_blank(std::string_view bytes) {
  if (util::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return util::trim(bytes).empty();
}

util::Expected<model::TestRun, util::ParseError> parse(std::string_view bytes,
                                                       std::string_view forced_format) {
  if (is_blank(bytes)) return util::unexpected(util::ParseError{"empty report", 0, 0});
  Format format = Format::unknown;
  if (!forced_format.empty()) {
    format = format_named(forced_format);
    if (format == Format::unknown) {
      return util::unexpected(util::ParseError{
          fmt::format("unknown test report format '{}' (expected junit, xunit, nunit or trx)",
                      forced_format),
          0, 0});
    }
  }

  pugi::xml_document doc;
  auto loaded = load_xml(doc, bytes);
  if (!loaded) return util::unexpected(loaded.error());
  const pugi::xml_node root = *loaded;
  const std::string_view root_name = local_name(root);
  const Format detected = format_of_root(root_name);
  if (detected == Format::unknown || (format != Format::unknown && detected != format)) {
    const Format wanted = format == Format::unknown ? detected : format;
    return util::unexpected(
        error_at_node(bytes, root,
                      fmt::format("not a {}test report: the root element is <{}>, expected {}",
                                  forced_format.empty() ? "" : fmt::format("{} ", forced_format),
                                  util::truncate_chars(root.name(), 80), expected_roots(wanted))));
  }

  // Concatenated reports ("<testsuite/><testsuite/>", as `cat` of several files makes) have
  // several top-level elements; pugixml keeps them all, and each one of the format counts.
  model::TestRun run;
  for (pugi::xml_node top = root; top; top = top.next_sibling()) {
    if (top.type() != pugi::node_element || format_of_root(local_name(top)) != detected) continue;
    switch (detected) {
    case Format::junit:
      parse_junit(top, run);
      break;
    case Format::xunit:
      parse_xunit(top, run);
      break;
    case Format::nunit:
      parse_nunit(top, run);
      break;
    case Format::trx:
      parse_trx(top, run);
      break;
    case Format::unknown:
      break;
    }
  }
  return run;
}

} // namespace

util::Expected<model::TestRun, util::ParseError> parse_test_report(std::string_view bytes,
                                                                   std::string_view forced_format) {
  try {
    return parse(bytes, forced_format);
  } catch (const std::bad_alloc&) {
    return util::unexpected(util::ParseError{"out of memory while reading the report", 0, 0});
  } catch (const std::exception& error) {
    return util::unexpected(util::ParseError{error.what(), 0, 0});
  }
}

} // namespace tollgate::report
