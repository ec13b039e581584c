#include "report/clover.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

util::Expected<model::CoverageReport, util::ParseError> parse_clover(pugi::xml_node root,
                                                                     std::string_view bytes) {
  model::CoverageReport report;
  report.format = "clover";
  const bool istanbul = attr(root, "clover") == "3.2.0";
  ExpansionBudget budget(bytes.size());
  std::unordered_map<std::string_view, size_t> index;
  std::vector<pugi::xml_node> files;
  // Writers nest files differently: Istanbul puts them under <project> or <project><package>,
  // older Istanbul nests packages in packages, PHPUnit mixes both, OpenClover adds a
  // <testproject> for test sources. Every <file> under a project is read, at any depth, in document
  // order (walked with a stack, not recursion).
  std::vector<pugi::xml_node> pending;
  for (pugi::xml_node child = root.last_child(); child; child = child.previous_sibling())
    if (local_name(child) == "project" || local_name(child) == "testproject")
      pending.push_back(child);
  while (!pending.empty()) {
    const pugi::xml_node node = pending.back();
    pending.pop_back();
    if (local_name(node) == "file") {
      files.push_back(node);
      continue;
    }
    for (pugi::xml_node child = node.last_child(); child; child = child.previous_sibling()) {
      const std::string_view name = local_name(child);
      if (child.type() == pugi::node_element && name != "metrics" && name != "line")
        pending.push_back(child);
    }
  }
  for (pugi::xml_node node : files) {
    std::string_view path = attr(node, "path");
    if (path.empty()) path = attr(node, "name");
    if (path.empty())
      return util::unexpected(
          error_at_node(bytes, node, "<file> without a path or name attribute"));
    auto [it, inserted] = index.try_emplace(path, report.files.size());
    if (inserted) {
      report.files.emplace_back();
      report.files.back().path = std::string(path);
    }
    model::FileCoverage& file = report.files[it->second];
    for (pugi::xml_node line : node.children("line")) {
      const std::string_view type = attr(line, "type");
      if (type != "stmt" && type != "cond") continue;
      uint32_t number = 0;
      const LineNumber check = check_line(attr(line, "num"), number);
      if (check == LineNumber::zero) continue;
      if (check != LineNumber::ok)
        return util::unexpected(error_at_node(bytes, line, line_number_problem(check)));
      const bool cond = type == "cond";
      const auto t = cond ? parse_hit_count(attr(line, "truecount")) : std::optional<uint64_t>(0);
      const auto f = cond ? parse_hit_count(attr(line, "falsecount")) : std::optional<uint64_t>(0);
      if (!t || !f)
        return util::unexpected(
            error_at_node(bytes, line, "a cond line needs numeric truecount and falsecount"));
      // OpenClover writes no count on cond lines: the condition ran as often as it was evaluated.
      const auto count = line.attribute("count") || !cond
                             ? parse_hit_count(attr(line, "count"))
                             : std::optional<uint64_t>(*t > UINT64_MAX - *f ? UINT64_MAX : *t + *f);
      if (!count) return util::unexpected(error_at_node(bytes, line, "count is not a number"));
      file.lines.push_back({number, model::saturate_hits(*count)});
      if (!cond) continue;
      if (istanbul) {
        if (*t > UINT32_MAX || *f > UINT32_MAX || !budget.take(*t + *f))
          return util::unexpected(error_at_node(bytes, line, k_branch_budget_message));
        add_counted_branches(file, number, *t, *t + *f);
      } else {
        // OpenClover counts how often the condition was true and false: two branches.
        add_counted_branches(file, number, (*t > 0) + (*f > 0), 2);
      }
    }
  }
  for (auto& f : report.files)
    f.normalize();
  return report;
}

util::Expected<model::CoverageReport, util::ParseError> parse_clover(std::string_view bytes) {
  pugi::xml_document doc;
  auto root = load_xml(doc, bytes);
  if (!root) return util::unexpected(root.error());
  return parse_clover(*root, bytes);
}

} // namespace tollgate::report
