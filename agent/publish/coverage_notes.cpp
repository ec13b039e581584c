#include "publish/coverage_notes.h"

#include "util/text.h"

#include <fmt/format.h>

namespace tollgate::publish {

namespace {
constexpr size_t k_skipped_listed = 10; // with names cut at 200: ~2.5 KB, inside the room coverage_summary leaves
} // namespace

std::string coverage_input_notes(const std::vector<std::string>& skipped_reports,
                                 size_t excluded_files) {
  std::string md;
  if (excluded_files > 0)
    md += fmt::format("\n{} file(s) excluded by `--exclude` / `coverage.exclude` are not counted "
                      "(listed in `--json` `excluded_files`).\n",
                      excluded_files);
  if (!skipped_reports.empty()) {
    md += fmt::format("\n{} file(s) matched by `--report` are not coverage reports and were "
                      "skipped:\n\n",
                      skipped_reports.size());
    for (size_t i = 0; i < skipped_reports.size() && i < k_skipped_listed; ++i)
      md += fmt::format("- <code>{}</code>\n",
                        util::escape_html(util::truncate_utf8(skipped_reports[i], 200)));
    if (skipped_reports.size() > k_skipped_listed)
      md += fmt::format("- …and {} more (all of them are in `--json` `skipped_reports`)\n",
                        skipped_reports.size() - k_skipped_listed);
  }
  return md;
}

} // namespace tollgate::publish
