#pragma once
// Clover XML (OpenClover, Atlassian Clover, Istanbul's clover reporter, PHPUnit).
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include "report/coverage_numbers.h"
#include "report/xml_stream.h"

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tollgate::report {

// coverage > project > (package >) file > line. Lines of type "stmt" and "cond" are executable
// with count as hits (OpenClover's cond lines have no count: truecount + falsecount, how often the
// condition ran); "method" lines are not executable (diff-cover reads Clover the same way). A
// file's path attribute names it, else its name. Branches of "cond" lines: Istanbul
// (clover="3.2.0") writes truecount = covered branches and falsecount = uncovered ones; OpenClover
// writes how often the condition was true and false, which is two branches, each covered when its
// count > 0.
util::Expected<model::CoverageReport, util::ParseError> parse_clover(pugi::xml_node root,
                                                                     std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_clover(std::string_view bytes);

// The same fed by stream_xml with the root's events (no records); take() gives what
// parse_clover gives.
class CloverStream {
public:
  explicit CloverStream(size_t input_bytes);
  void open(pugi::xml_node element, size_t depth, const XmlConsumer& where);
  void close(size_t depth);
  const std::optional<std::pair<size_t, std::string>>& error() const { return m_error; }
  model::CoverageReport take();

private:
  enum class Kind { none, root, container, file };
  model::CoverageReport m_report;
  ExpansionBudget m_budget;
  bool m_istanbul = false;
  std::unordered_map<std::string, size_t> m_index;
  std::vector<Kind> m_kinds;
  size_t m_file = 0;
  std::optional<std::pair<size_t, std::string>> m_error;
};

} // namespace tollgate::report
