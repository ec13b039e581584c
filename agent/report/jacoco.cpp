#include "report/jacoco.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(pugi::xml_node root,
                                                                     std::string_view bytes) {
  model::CoverageReport report;
  report.format = "jacoco";
  ExpansionBudget budget(bytes.size());
  std::unordered_map<std::string, size_t> index;
  // Groups nest (report > group > group > package); walked with a stack, not recursion.
  std::vector<pugi::xml_node> containers{root};
  while (!containers.empty()) {
    const pugi::xml_node container = containers.back();
    containers.pop_back();
    for (pugi::xml_node group : container.children("group"))
      containers.push_back(group);
    for (pugi::xml_node package : container.children("package")) {
      std::string prefix(attr(package, "name"));
      if (!prefix.empty() && prefix.back() != '/') prefix += '/';
      for (pugi::xml_node source : package.children("sourcefile")) {
        const std::string_view name = attr(source, "name");
        if (name.empty())
          return util::unexpected(
              error_at_node(bytes, source, "<sourcefile> without a name attribute"));
        auto [it, inserted] = index.try_emplace(prefix + std::string(name), report.files.size());
        if (inserted) {
          report.files.emplace_back();
          report.files.back().path = it->first;
        }
        model::FileCoverage& file = report.files[it->second];
        for (pugi::xml_node line : source.children("line")) {
          uint32_t number = 0;
          const LineNumber check = check_line(attr(line, "nr"), number);
          if (check == LineNumber::zero) continue;
          if (check != LineNumber::ok)
            return util::unexpected(error_at_node(bytes, line, line_number_problem(check)));
          const auto ci = parse_digits(attr(line, "ci"));
          const auto mb = parse_digits(attr(line, "mb"));
          const auto cb = parse_digits(attr(line, "cb"));
          if (!ci || !parse_digits(attr(line, "mi")) || !mb || !cb)
            return util::unexpected(
                error_at_node(bytes, line, "<line> needs numeric mi, ci, mb and cb attributes"));
          file.lines.push_back({number, model::saturate_hits(*ci)});
          if (*mb > UINT32_MAX || *cb > UINT32_MAX || !budget.take(*mb + *cb))
            return util::unexpected(error_at_node(bytes, line, k_branch_budget_message));
          add_counted_branches(file, number, *cb, *mb + *cb);
        }
      }
    }
  }
  for (auto& f : report.files)
    f.normalize();
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_jacoco(std::string_view bytes) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  return parse_jacoco(*root, bytes);
}

} // namespace tollgate::report
