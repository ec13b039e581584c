#include "report/cobertura.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"
#include "util/text.h"

#include <fmt/format.h>
#include <string>
#include <unordered_map>

namespace tollgate::report {

namespace {

// condition-coverage="50% (1/2)" → covered 1 of 2.
bool parse_condition_coverage(std::string_view text, uint64_t& covered, uint64_t& total) {
  const size_t open = text.find('(');
  const size_t slash = text.find('/', open);
  const size_t close = text.find(')', slash);
  if (open == std::string_view::npos || slash == std::string_view::npos ||
      close == std::string_view::npos)
    return false;
  const auto c = parse_digits(util::trim(text.substr(open + 1, slash - open - 1)));
  const auto t = parse_digits(util::trim(text.substr(slash + 1, close - slash - 1)));
  if (!c || !t || *c > *t) return false;
  covered = *c;
  total = *t;
  return true;
}

} // namespace

util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(pugi::xml_node root,
                                                                        std::string_view bytes) {
  model::CoverageReport report;
  report.format = "cobertura";
  for (pugi::xml_node source : root.child("sources").children("source")) {
    const std::string text(util::trim(node_text(source)));
    if (!text.empty()) report.source_roots.push_back(text);
  }
  ExpansionBudget budget(bytes.size());
  std::unordered_map<std::string_view, size_t>
      index; // filename → file (a file may have several classes)
  for (pugi::xml_node package : root.child("packages").children("package")) {
    for (pugi::xml_node cls : package.child("classes").children("class")) {
      const std::string_view filename = attr(cls, "filename");
      if (filename.empty())
        return util::unexpected(error_at_node(bytes, cls, "<class> without a filename attribute"));
      auto [it, inserted] = index.try_emplace(filename, report.files.size());
      if (inserted) {
        report.files.emplace_back();
        report.files.back().path = std::string(filename);
      }
      model::FileCoverage& file = report.files[it->second];
      for (pugi::xml_node line : cls.child("lines").children("line")) {
        uint32_t number = 0;
        const LineNumber check = check_line(attr(line, "number"), number);
        if (check == LineNumber::zero) continue;
        if (check != LineNumber::ok)
          return util::unexpected(error_at_node(bytes, line, line_number_problem(check)));
        const auto hits = parse_hit_count(attr(line, "hits"));
        if (!hits) return util::unexpected(error_at_node(bytes, line, "hits is not a number"));
        file.lines.push_back({number, model::saturate_hits(*hits)});
        if (attr(line, "branch") != "true") continue;
        const std::string_view condition = attr(line, "condition-coverage");
        if (condition.empty()) continue;
        uint64_t covered = 0, total = 0;
        if (!parse_condition_coverage(condition, covered, total))
          return util::unexpected(
              error_at_node(bytes, line,
                            fmt::format("condition-coverage '{}' is not 'P% (covered/total)'",
                                        util::truncate_utf8(condition, 40))));
        if (!budget.take(total))
          return util::unexpected(error_at_node(bytes, line, k_branch_budget_message));
        add_counted_branches(file, number, covered, total);
      }
    }
  }
  for (auto& f : report.files)
    f.normalize();
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_cobertura(std::string_view bytes) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  return parse_cobertura(*root, bytes);
}

} // namespace tollgate::report
