#pragma once
// What the XML coverage parsers (Cobertura, JaCoCo, Clover) share.
#include "model/coverage.h"
#include "report/xml_stream.h"
#include "util/error.h"
#include "util/expected.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace tollgate::report {

inline constexpr const char* k_branch_budget_message =
    "branch counts add up to more than a report of this size can describe (hostile or corrupt "
    "input)";

// Formats that only count branches: `total` branches on the line, the first `covered` with one
// hit, in the counted scheme (model::BranchScheme).
inline void add_counted_branches(model::FileCoverage& file, uint32_t line, uint64_t covered,
                                 uint64_t total) {
  for (uint64_t i = 0; i < total; ++i)
    file.branches.push_back(
        {line, model::k_counted_block, static_cast<uint32_t>(i), i < covered ? 1u : 0u});
}

// A file's entries read in pieces (a file met in many classes or sourcefiles: one class per
// method, a report of merged runs) are folded as they grow, so memory stays near the result.
// FoldedEntries: how many lines and branches were sorted and summed at the last fold.
struct FoldedEntries {
  size_t lines = 0, branches = 0;
};
inline size_t unfolded_entries(const model::FileCoverage& file, const FoldedEntries& done) {
  return file.lines.size() - done.lines + file.branches.size() - done.branches;
}
// Sorts the entries since the last fold (one class's lines are in order almost always: one pass
// proves it) and merges them into the folded ones: linear in the file's entries. normalize()
// sums in any order to the same result.
void fold_entries(model::FileCoverage& file, FoldedEntries& done);

// What tells the XML coverage formats apart, from the root element and its children.
struct XmlRootFacts {
  std::string name; // local name
  bool clover_attr = false, line_rate_attr = false, version_attr = false, name_attr = false;
  bool project_child = false; // <project> or <testproject> (Clover)
  bool cobertura_child = false; // <packages> or <sources>
  bool file_child = false;
  bool any_child = false; // any node at all under the root
  std::optional<std::string> foreign_child; // the first element child JaCoCo's report.dtd lacks
  void add_child(std::string_view local);   // an element child, in document order
};
XmlRootFacts root_facts(pugi::xml_node root);

enum class XmlCoverageFormat { cobertura, jacoco, clover, unknown };
XmlCoverageFormat format_of_xml_root(const XmlRootFacts& facts, std::string& why);

// The name of the first element of an XML text that did not parse (HTML, say): after the
// declaration, comments, processing instructions and a DOCTYPE. Empty when there is none.
std::string_view first_element_name(std::string_view text);

// An XML coverage report streamed from source (report/xml_stream.h): the result and errors of
// parse_coverage for the same bytes (a byte order mark already skipped), in bounded memory.
// whole() reads the bytes for the cases the stream hands to the document reader: UTF-16/32 and
// Latin-1 documents, and a JaCoCo report with a format error (report/jacoco.h). forced: "" or
// one of "cobertura", "jacoco", "clover".
//
// A large Cobertura report is cut at <class> start tags into parts of at least part_bytes (at
// most one a core, four in all), each parsed on its own thread with the start tags of the
// elements open there put in front of it and their end tags behind it. A part that is not
// well-formed, or whose cut was not between the classes of the first <packages>, makes the whole
// report read again in one piece: results and errors never depend on the cut (tests pass small
// part sizes to prove it).
inline constexpr size_t k_xml_coverage_part_bytes = size_t{24} << 20;
util::Expected<model::CoverageReport, util::ParseError>
read_xml_coverage(const XmlSource& source, std::string_view forced, size_t window_bytes,
                  const std::function<util::Expected<std::string, util::ParseError>()>& whole,
                  size_t part_bytes = k_xml_coverage_part_bytes);

// The whole-document reader (the streamed one's oracle): parse_coverage's XML branch.
util::Expected<model::CoverageReport, util::ParseError>
parse_xml_coverage_whole(std::string_view bytes, std::string_view forced);

} // namespace tollgate::report
