#pragma once
// Cobertura XML as coverage.py, gcovr, Istanbul/c8, JaCoCo converters and .NET's coverlet write it.
#include "model/coverage.h"
#include "util/error.h"
#include "util/expected.h"

#include "report/xml_stream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace tollgate::report {

// Reads only class/lines/line (Istanbul repeats method lines under class/methods). number and
// hits per line; branch="true" lines give their branches from condition-coverage "50% (1/2)".
// <sources>/<source> become the report's source roots. root is the loaded <coverage> element;
// bytes are what it was loaded from (for error positions).
util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(pugi::xml_node root,
                                                                        std::string_view bytes);
util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(std::string_view bytes);

// The same fed by stream_xml with the events of the top-level element's subtree (depth 0: the
// root); take() gives what parse_cobertura gives. input_bytes: the report's size (the branch
// budget grows with it). Memory: the files' entries, folded as they grow, not the document.
class CoberturaStream {
public:
  explicit CoberturaStream(size_t input_bytes);
  ~CoberturaStream();
  static bool is_record(std::string_view name, size_t depth, std::string_view parent);
  void open(pugi::xml_node element, size_t depth, const XmlConsumer& where);
  void close(pugi::xml_node element, size_t depth);
  void record(pugi::xml_node element, size_t depth);
  // The first error (offset in the input, message), as parse_cobertura reports it.
  const std::optional<std::pair<size_t, std::string>>& error() const { return m_error; }
  model::CoverageReport take();

  // For a report read in parts (report/coverage_xml_parts.cpp): whether the last <classes> closed
  // was the first <classes> of a <package> in the first <packages> (where parts are cut), whether
  // the first <sources> was met, and the branches taken from the budget.
  bool last_classes_in_first_packages() const;
  bool saw_sources() const;
  uint64_t branches_taken() const;

private:
  enum class Kind;
  struct State;
  std::unique_ptr<State> m_state;
  std::optional<std::pair<size_t, std::string>> m_error;
};

} // namespace tollgate::report
