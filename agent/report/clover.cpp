#include "report/clover.h"

#include "report/coverage_numbers.h"
#include "report/coverage_xml.h"
#include "report/xml.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::report {

namespace {

// One <line> of a file: statements and conditions count, other types are skipped. An error
// message, or empty.
std::string read_line(pugi::xml_node line, model::FileCoverage& file, bool istanbul,
                      ExpansionBudget& budget) {
  const std::string_view type = attr(line, "type");
  if (type != "stmt" && type != "cond") return {};
  uint32_t number = 0;
  const LineNumber check = check_line(attr(line, "num"), number);
  if (check == LineNumber::zero) return {};
  if (check != LineNumber::ok) return line_number_problem(check);
  const bool cond = type == "cond";
  const auto t = cond ? parse_hit_count(attr(line, "truecount")) : std::optional<uint64_t>(0);
  const auto f = cond ? parse_hit_count(attr(line, "falsecount")) : std::optional<uint64_t>(0);
  if (!t || !f) return "a cond line needs numeric truecount and falsecount";
  // OpenClover writes no count on cond lines: the condition ran as often as it was evaluated.
  const auto count = line.attribute("count") || !cond
                         ? parse_hit_count(attr(line, "count"))
                         : std::optional<uint64_t>(*t > UINT64_MAX - *f ? UINT64_MAX : *t + *f);
  if (!count) return "count is not a number";
  file.lines.push_back({number, model::saturate_hits(*count)});
  if (!cond) return {};
  if (istanbul) {
    if (*t > UINT32_MAX || *f > UINT32_MAX || !budget.take(*t + *f))
      return k_branch_budget_message;
    add_counted_branches(file, number, *t, *t + *f);
  } else {
    // OpenClover counts how often the condition was true and false: two branches.
    add_counted_branches(file, number, (*t > 0) + (*f > 0), 2);
  }
  return {};
}

} // namespace

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
    for (pugi::xml_node line : node.children("line"))
      if (std::string problem = read_line(line, file, istanbul, budget); !problem.empty())
        return util::unexpected(error_at_node(bytes, line, std::move(problem)));
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

namespace tollgate::report {

CloverStream::CloverStream(size_t input_bytes) : m_budget(input_bytes) {
  m_report.format = "clover";
}

void CloverStream::open(pugi::xml_node element, size_t depth, const XmlConsumer& where) {
  const Kind parent = depth == 0 ? Kind::none : m_kinds[depth - 1];
  Kind kind = Kind::none;
  if (depth == 0) {
    m_istanbul = attr(element, "clover") == "3.2.0";
    kind = Kind::root;
  } else if (m_error) {
  } else if (parent == Kind::root) {
    const std::string_view local = local_name(element);
    if (local == "project" || local == "testproject") kind = Kind::container;
  } else if (parent == Kind::container && local_name(element) == "file") {
    std::string_view path = attr(element, "path");
    if (path.empty()) path = attr(element, "name");
    if (path.empty()) {
      m_error.emplace(where.offset_of(element), "<file> without a path or name attribute");
    } else {
      auto [it, inserted] = m_index.try_emplace(std::string(path), m_report.files.size());
      if (inserted) m_report.files.emplace_back().path = it->first;
      m_file = it->second;
      kind = Kind::file;
    }
  } else if (parent == Kind::container) {
    const std::string_view local = local_name(element);
    if (local != "metrics" && local != "line") kind = Kind::container;
  } else if (parent == Kind::file && std::string_view(element.name()) == "line") {
    model::FileCoverage& file = m_report.files[m_file];
    if (std::string problem = read_line(element, file, m_istanbul, m_budget); !problem.empty())
      m_error.emplace(where.offset_of(element), std::move(problem));
  }
  m_kinds.resize(depth);
  m_kinds.push_back(kind);
}

void CloverStream::close(size_t depth) {
  m_kinds.resize(depth);
}

model::CoverageReport CloverStream::take() {
  for (auto& f : m_report.files)
    f.normalize();
  return std::move(m_report);
}

} // namespace tollgate::report
