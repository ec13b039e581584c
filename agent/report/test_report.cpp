#include "report/test_report.h"

#include "report/junit.h"
#include "report/nunit.h"
#include "report/trx.h"
#include "report/xml.h"
#include "report/xml_stream.h"
#include "report/xunit.h"
#include "util/text.h"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>
#include <new>
#include <unordered_map>

namespace tollgate::report {
namespace {

using model::TestCase;
using model::TestStatus;

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

// Where a JSON document starts ('{' or '[' first after a BOM and whitespace), or npos. No XML
// document starts so; every test report format read here is XML.
size_t json_start(std::string_view bytes) {
  const size_t bom = util::starts_with(bytes, "\xEF\xBB\xBF") ? 3 : 0;
  const size_t first = bytes.find_first_not_of(" \t\r\n", bom);
  if (first == std::string_view::npos || (bytes[first] != '{' && bytes[first] != '[')) {
    return std::string_view::npos;
  }
  return first;
}

constexpr const char* k_json_message =
    "not a test report (JSON): test reports are XML (JUnit, xUnit.net, NUnit 3 or TRX)";

util::Expected<Format, util::ParseError> forced_named(std::string_view forced_format) {
  if (forced_format.empty()) return Format::unknown;
  const Format format = format_named(forced_format);
  if (format == Format::unknown) {
    return util::unexpected(util::ParseError{
        fmt::format("unknown test report format '{}' (expected junit, xunit, nunit or trx)",
                    forced_format),
        0, 0});
  }
  return format;
}

std::string wrong_root_message(std::string_view forced_format, Format format, Format detected,
                               std::string_view root_name) {
  const Format wanted = format == Format::unknown ? detected : format;
  return fmt::format("not a {}test report: the root element is <{}>, expected {}",
                     forced_format.empty() ? "" : fmt::format("{} ", forced_format),
                     util::truncate_chars(root_name, 80), expected_roots(wanted));
}

util::Expected<model::TestRun, util::ParseError> parse(std::string_view bytes,
                                                       std::string_view forced_format) {
  if (is_blank(bytes)) return util::unexpected(util::ParseError{"empty report", 0, 0});
  const auto forced = forced_named(forced_format);
  if (!forced) return util::unexpected(forced.error());
  const Format format = *forced;

  if (const size_t json = json_start(bytes); json != std::string_view::npos) {
    return util::unexpected(util::error_at(bytes, json, k_json_message));
  }
  pugi::xml_document doc;
  auto loaded = load_xml(doc, bytes);
  if (!loaded) return util::unexpected(loaded.error());
  const pugi::xml_node root = *loaded;
  const std::string_view root_name = local_name(root);
  const Format detected = format_of_root(root_name);
  if (detected == Format::unknown || (format != Format::unknown && detected != format)) {
    return util::unexpected(error_at_node(
        bytes, root, wrong_root_message(forced_format, format, detected, root.name())));
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

struct CaseKey {
  std::string_view suite, classname, name;
  bool operator==(const CaseKey&) const = default;
};

struct CaseKeyHash {
  size_t operator()(const CaseKey& key) const {
    const std::hash<std::string_view> hash;
    return hash(key.suite) ^ (hash(key.classname) * 31) ^ (hash(key.name) * 131);
  }
};

bool is_bad(TestStatus status) {
  return status == TestStatus::failed || status == TestStatus::errored;
}

// A test case that may be a retry of another: entries standing for a suite header's failures
// are not test cases and never merge.
bool may_be_retry(const TestCase& test) {
  return !test.suite_header;
}

} // namespace

void merge_retries(model::TestRun& run) {
  // Folded passed tests cannot be matched with their failed runs: the caller reads every case.
  if (run.passed.on) throw std::logic_error("merge_retries: passed tests were folded");
  std::vector<TestCase>& cases = run.cases;
  // Only tests that failed somewhere can merge: index those (usually few) first, so a green
  // run of 100,000 tests costs one pass and no map.
  std::unordered_map<CaseKey, std::vector<size_t>, CaseKeyHash> groups;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (is_bad(cases[i].status) && may_be_retry(cases[i])) {
      groups.try_emplace(CaseKey{cases[i].suite, cases[i].classname, cases[i].name});
    }
  }
  if (groups.empty()) return;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (!may_be_retry(cases[i])) continue;
    const auto it = groups.find(CaseKey{cases[i].suite, cases[i].classname, cases[i].name});
    if (it != groups.end()) it->second.push_back(i);
  }

  std::vector<bool> removed(cases.size(), false);
  std::vector<std::pair<size_t, TestCase>> merged_cases;
  for (const auto& [key, group] : groups) {
    if (group.size() < 2) continue;
    // Every group holds the failed case it was made for.
    const size_t first_bad = *std::find_if(group.begin(), group.end(),
                                           [&](size_t i) { return is_bad(cases[i].status); });
    bool passed = false;
    double duration = 0;
    int reruns = static_cast<int>(group.size()) - 1;
    for (size_t i : group) {
      passed =
          passed || cases[i].status == TestStatus::passed || cases[i].status == TestStatus::flaky;
      duration += cases[i].duration_s;
      reruns += cases[i].reruns;
      removed[i] = true;
    }
    TestCase merged = cases[first_bad]; // copied: the keys still point into cases
    if (passed) merged.status = TestStatus::flaky;
    merged.duration_s = duration;
    merged.reruns = reruns;
    merged_cases.emplace_back(group.front(), std::move(merged));
  }
  groups.clear();
  for (auto& [lead, merged] : merged_cases) {
    cases[lead] = std::move(merged);
    removed[lead] = false;
  }
  size_t kept = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (removed[i]) continue;
    if (kept != i) cases[kept] = std::move(cases[i]);
    ++kept;
  }
  cases.resize(kept);
}

namespace {

// The first byte after a byte order mark and blanks, or npos when there is none.
size_t first_content(const XmlSource& source) {
  char buffer[4096];
  for (size_t at = 0; at < source.size;) {
    const long n = source.read_at(buffer, sizeof buffer, at);
    if (n <= 0) break;
    size_t i = at == 0 && n >= 3 && std::string_view(buffer, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    for (; i < static_cast<size_t>(n); ++i)
      if (buffer[i] != ' ' && buffer[i] != '\t' && buffer[i] != '\r' && buffer[i] != '\n')
        return at + i;
    at += static_cast<size_t>(n);
  }
  return std::string_view::npos;
}

// Top-level elements of the format of the first one go to that format's reader.
class TestReportStream final : public XmlConsumer {
public:
  TestReportStream(model::TestRun& run, bool fold_passed)
      : m_junit(run, fold_passed), m_nunit(run), m_xunit(run), m_trx(run) {}
  bool is_record(std::string_view name, size_t depth, std::string_view parent) override {
    if (depth == 0) {
      if (!m_lexed_root) m_format = format_of_root(local_name(name));
      m_lexed_root = true;
      return false;
    }
    switch (m_format) {
    case Format::junit:
      return JunitStream::is_record(name, depth, parent);
    case Format::nunit:
      return NunitStream::is_record(name, depth, parent);
    case Format::xunit:
      return XunitStream::is_record(name, depth, parent);
    case Format::trx:
      return TrxStream::is_record(name, depth, parent);
    default:
      return false;
    }
  }
  void open(pugi::xml_node element, size_t depth) override {
    if (depth == 0) {
      const Format format = format_of_root(local_name(element));
      if (!m_root_seen) {
        m_root_seen = true;
        m_root_name = element.name();
        m_root_offset = offset_of(element);
      }
      m_active = format != Format::unknown && format == m_format;
    }
    if (!m_active) return;
    if (m_format == Format::junit) m_junit.open(element, depth);
    if (m_format == Format::nunit) m_nunit.open(element, depth);
    if (m_format == Format::xunit) m_xunit.open(element, depth);
    if (m_format == Format::trx) m_trx.open(element, depth);
  }
  void close(pugi::xml_node element, size_t depth) override {
    if (!m_active) return;
    if (m_format == Format::junit) m_junit.close(element, depth);
    if (m_format == Format::nunit) m_nunit.close();
    if (m_format == Format::xunit) m_xunit.close(depth);
    if (m_format == Format::trx) m_trx.close(element, depth);
  }
  void record(pugi::xml_node element, size_t depth) override {
    if (!m_active) return;
    if (m_format == Format::junit) m_junit.record(element, depth);
    if (m_format == Format::nunit) m_nunit.record(element);
    if (m_format == Format::xunit) m_xunit.record(element, depth);
    if (m_format == Format::trx) m_trx.record(element, depth);
  }

  bool m_root_seen = false;
  Format m_format = Format::unknown;
  std::string m_root_name;
  size_t m_root_offset = 0;

private:
  bool m_lexed_root = false;
  bool m_active = false;
  JunitStream m_junit;
  NunitStream m_nunit;
  XunitStream m_xunit;
  TrxStream m_trx;
};

bool streams(Format format) {
  return format != Format::unknown;
}

util::Expected<model::TestRun, util::ParseError>
read_source(const XmlSource& source, std::string_view forced_format,
            std::optional<std::string>* not_a_report, size_t window_bytes,
            const std::function<util::Expected<std::string, util::ParseError>()>& whole,
            bool fold_passed) {
  const size_t first = first_content(source);
  if (first == std::string_view::npos)
    return util::unexpected(util::ParseError{"empty report", 0, 0});
  const auto forced = forced_named(forced_format);
  char head = 0;
  if (source.read_at(&head, 1, first) == 1 && (head == '{' || head == '[')) {
    if (not_a_report) *not_a_report = "JSON";
    if (!forced) return util::unexpected(forced.error());
    return util::unexpected(locate(source, {first, k_json_message}));
  }
  if (!forced) return util::unexpected(forced.error());
  if (!streams_as_utf8(source)) {
    auto bytes = whole(); // UTF-16/32, Latin-1: pugixml converts them in memory
    if (!bytes) return util::unexpected(bytes.error());
    if (not_a_report) *not_a_report = not_a_test_report(*bytes);
    return parse(*bytes, forced_format);
  }
  model::TestRun run;
  TestReportStream stream(run, fold_passed);
  if (auto error = stream_xml(source, stream, window_bytes, k_test_window_records)) {
    if (error->io) return util::unexpected(util::ParseError{error->message, 0, 0});
    return util::unexpected(locate(source, *error));
  }
  const Format format = *forced;
  const Format detected = stream.m_format;
  if (detected == Format::unknown || (format != Format::unknown && detected != format)) {
    if (not_a_report && detected == Format::unknown)
      *not_a_report = fmt::format("root element <{}>", util::truncate_chars(
                                                            util::sanitize_utf8(stream.m_root_name), 80));
    return util::unexpected(
        locate(source, {stream.m_root_offset,
                        wrong_root_message(forced_format, format, detected, stream.m_root_name)}));
  }
  if (!streams(detected)) {
    auto bytes = whole();
    if (!bytes) return util::unexpected(bytes.error());
    return parse(*bytes, forced_format);
  }
  return run;
}

} // namespace

std::optional<std::string> not_a_test_report(std::string_view bytes) {
  if (json_start(bytes) != std::string_view::npos) return "JSON";
  if (is_blank(bytes)) return std::nullopt;
  try {
    pugi::xml_document doc;
    auto loaded = load_xml(doc, bytes);
    if (!loaded || format_of_root(local_name(*loaded)) != Format::unknown) return std::nullopt;
    return fmt::format("root element <{}>",
                       util::truncate_chars(util::sanitize_utf8((*loaded).name()), 80));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

util::Expected<model::TestRun, util::ParseError>
read_test_report(const XmlSource& source, std::string_view forced_format,
                 std::optional<std::string>* not_a_report, size_t window_bytes,
                 const std::function<util::Expected<std::string, util::ParseError>()>& whole,
                 bool fold_passed) {
  try {
    return read_source(source, forced_format, not_a_report, window_bytes, whole, fold_passed);
  } catch (const std::bad_alloc&) {
    return util::unexpected(util::ParseError{"out of memory while reading the report", 0, 0});
  } catch (const std::exception& error) {
    return util::unexpected(util::ParseError{error.what(), 0, 0});
  }
}

util::Expected<model::TestRun, util::ParseError> parse_test_report(std::string_view bytes,
                                                                   std::string_view forced_format) {
  return read_test_report(memory_source(bytes), forced_format, nullptr, k_xml_window_bytes,
                          [bytes]() -> util::Expected<std::string, util::ParseError> {
                            return std::string(bytes);
                          });
}

util::Expected<model::TestRun, util::ParseError>
parse_test_report_whole(std::string_view bytes, std::string_view forced_format) {
  try {
    return parse(bytes, forced_format);
  } catch (const std::bad_alloc&) {
    return util::unexpected(util::ParseError{"out of memory while reading the report", 0, 0});
  } catch (const std::exception& error) {
    return util::unexpected(util::ParseError{error.what(), 0, 0});
  }
}

} // namespace tollgate::report
