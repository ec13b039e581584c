#pragma once
// What the differential tests of the streamed XML readers compare: results written out in full
// (every field), errors with line and column.
#include "model/coverage.h"
#include "model/test_result.h"
#include "report/coverage_xml.h"
#include "report/test_report.h"
#include "report/xml_stream.h"
#include "util/error.h"
#include "util/expected.h"

#include <fmt/format.h>
#include <string>
#include <string_view>

namespace tollgate::testing {

inline std::string describe(const util::ParseError& error) {
  return fmt::format("error {}:{}: {}", error.line, error.column, error.message);
}

inline std::string describe(const util::Expected<model::TestRun, util::ParseError>& run) {
  if (!run) return describe(run.error());
  std::string out = fmt::format("format {} dialect {}\n", run->format, run->dialect);
  for (const auto& c : run->cases)
    out += fmt::format("[{}|{}|{}|{}:{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}]\n", c.suite, c.classname,
                       c.name, c.file, c.line, model::to_string(c.status), c.duration_s,
                       c.message, c.details, c.failure_type, c.system_out, c.system_err,
                       c.reruns, c.count, c.suite_header);
  return out;
}

inline std::string describe(const util::Expected<model::CoverageReport, util::ParseError>& report) {
  if (!report) return describe(report.error());
  std::string out = fmt::format("format {} roots", report->format);
  for (const auto& root : report->source_roots)
    out += " " + root;
  out += "\n";
  for (const auto& file : report->files) {
    out += file.path + ":";
    for (const auto& l : file.lines)
      out += fmt::format(" {}={}", l.line, l.hits);
    out += " |";
    for (const auto& b : file.branches)
      out += fmt::format(" {}.{}.{}={}", b.line, b.block, b.branch, b.hits);
    out += "\n";
  }
  return out;
}

inline util::Expected<model::TestRun, util::ParseError> stream_test_report(std::string_view bytes,
                                                                           size_t window) {
  return report::read_test_report(report::memory_source(bytes), "", nullptr, window,
                                  [bytes]() -> util::Expected<std::string, util::ParseError> {
                                    return std::string(bytes);
                                  });
}

inline util::Expected<model::CoverageReport, util::ParseError>
stream_coverage(std::string_view bytes, std::string_view forced, size_t window) {
  return report::read_xml_coverage(report::memory_source(bytes), forced, window,
                                   [bytes]() -> util::Expected<std::string, util::ParseError> {
                                     return std::string(bytes);
                                   });
}

// Inputs that take the reader's every path: NUL bytes, a DOCTYPE with an internal subset,
// comments, CDATA, processing instructions, entities, unclosed and mismatched elements, several
// top-level elements, text outside them, attributes holding '>' and quotes.
inline constexpr std::string_view k_xml_edge_cases[] = {
    "<testsuite><testcase name='a'/></testsuite>",
    "<testsuite><testcase name='a'/></testsuite>\0trailing",
    "<testsuite><testcase name='a'/>\0</testsuite>",
    "<testsuite><testcase name='a\0'/></testsuite>",
    "\xEF\xBB\xBF<testsuites><testsuite name='s'><testcase name='a'/></testsuite></testsuites>",
    "<!DOCTYPE x [<!ENTITY e 'boom'><!-- > --><?pi > ?>]><testsuite><testcase name='&e;'/></testsuite>",
    "<!DOCTYPE x [<!ENTITY e 'boom'>",
    "<!DOCTYPE x [<foo>]><testsuite/>",
    "<testsuite><!DOCTYPE x><testcase/></testsuite>",
    "<?xml version='1.0'?><!-- c --><testsuite><!-- a -- b --><testcase name='x'/></testsuite><!-- e -->",
    "<testsuite><testcase name='a &gt; b' classname=\"q'uote\"><failure message='m>x'><![CDATA[trace <not> ]]]]><![CDATA[>]]></failure></testcase></testsuite>",
    "<testsuite><testcase name='a'><failure>&amp;&lt;&#65;&#x42;&unknown;</failure></testcase></testsuite>",
    "<testsuite><testcase name='a'></testsuite>",
    "<testsuite><testcase name='a'>",
    "<testsuite><testcase name='a",
    "<testsuite><testcase name='a'/></testsuitex>",
    "<testsuite><testcase name='a'/></testsuite ><testsuite name='b'><testcase name='c'/></testsuite>",
    "text before<testsuite/>text after",
    "<testsuite/><foo/><testsuites><testsuite><testcase/></testsuite></testsuites>",
    "<testsuite><<testcase/></testsuite>",
    "<testsuite><!x></testsuite>",
    // Openers cut short and followed by markup: pugixml's error is past the "<!" (xml_chunks fuzz).
    "\x04<!<?xml version='1.0'?><testsuite/>",
    "<!<testsuite/>",
    "<testsuite><!<testcase/></testsuite>",
    "<testsuite><!-<testcase/></testsuite>",
    "<testsuite><!-x<testcase/></testsuite>",
    "<testsuite><![CDA<testcase/></testsuite>",
    "<testsuite><!DOC<testcase/></testsuite>",
    "<testsuite><![CDATA[x</testsuite>",
    "<testsuite><!-- x </testsuite>",
    "<testsuite><?pi x </testsuite>",
    "<testsuite><testcase/></testsuite><",
    "<testsuite><testcase/></testsuite><?",
    "<testsuite><testcase/></testsuite><!--",
    "<testsuite a='1' a='2'><testcase/></testsuite>",
    "<testsuite failures='3'><system-out>suite out</system-out><testcase name='t'><failure/></testcase></testsuite>",
    "<testsuite failures='1'><testcase name='t'><failure/></testcase><system-out>after</system-out><system-err>e</system-err></testsuite>",
    "<testsuites failures='5'><testsuite failures='2'><testsuite><testcase><error/></testcase></testsuite></testsuite><testcase name='root'/></testsuites>",
    "<testsuites><foo><testsuite><testcase name='hidden'/></testsuite></foo><testcase name='t'/></testsuites>",
    "<testsuite><properties><property name='go.version' value='1'/></properties><testcase/></testsuite>",
    "<x:testsuite xmlns:x='u'><testcase name='p'/></x:testsuite>",
    "<project><testcase/></project>",
    "<assemblies/>",
    "<testsuite>\r\n<testcase name='a'>\r\n<failure>line1\r\nline2\rline3</failure></testcase></testsuite>\r\n",
    "<testsuite><testcase name='a' / ></testsuite>",
    "<testsuite><testcase name=a/></testsuite>",
    "<testsuite><testcase name='a'/></testsuite><testsuite",
    "",
    "   ",
    "<",
    "<a",
    "<a>",
    "</a>",
    "<testsuite></testsuite></testsuite>",
    "<TestRun><Results><UnitTestResult testId='1' testName='a' outcome='Failed'><InnerResults><UnitTestResult testId='2' testName='a1' outcome='Passed'/><UnitTestResult testId='1' testName='a2' outcome='Failed'><Output><ErrorInfo><Message>m</Message></ErrorInfo></Output></UnitTestResult></InnerResults></UnitTestResult><UnitTestResult testId='3' testName='b'/></Results><Results><UnitTestResult testId='9' testName='ignored'/></Results><TestDefinitions><UnitTest id='1' storage='C:\\x\\T.dll'><TestMethod className='N.C, T'/></UnitTest><UnitTest id='1' storage='other'/><UnitTest id='2'><TestMethod className='N.D'/></UnitTest></TestDefinitions></TestRun>",
    "<assemblies><assembly name='/a/T.dll'><collection><test name='t' type='C' result='Fail'><failure><message>m</message></failure></test></collection><errors><error name='e'><failure><message>x</message></failure></error></errors><class><test name='u' result='Skip'><reason>r</reason></test></class></assembly><foo><assembly name='hidden'/></foo><assembly name='b'/></assemblies>",
    "<test-run><test-suite type='Assembly' name='A'><test-suite classname='K'><test-case name='c' result='Failed' label='Error'/></test-suite><foo><test-case name='hidden'/></foo></test-suite><test-case name='top' fullname='N.C.top' methodname='top'/></test-run>",
    // Found by tests/fuzz/xml_chunks_fuzz: pugixml's offsets around its terminator and NUL bytes.
    std::string_view("<?\0", 3),
    std::string_view("<a>ab\0cd</a>", 12),
    std::string_view("<testsuite><testcase name='a' me\0thod='x'/></testsuite>", 56),
    std::string_view("<testsuite><testcase name='a'/></testsuite>\0", 44),
    "<?xml version='1.0'?>\n<<testsuite/>",
    "<testsuite>\n  text\n<",
};

} // namespace tollgate::testing
