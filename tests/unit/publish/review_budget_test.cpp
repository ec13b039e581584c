#include <doctest/doctest.h>

#include <string>

#include "publish/review_budget.h"
#include "util/text.h"

using namespace tollgate;

TEST_SUITE("publish::review_budget") {
  TEST_CASE("a summary within its budget is unchanged") {
    const std::string md = "### x\n\n| a |\n|---|\n| 1 |\n";
    CHECK(publish::fit_summary(md, 2000) == md);
  }

  TEST_CASE("a long summary is cut at a line outside code, its details closed, with a note") {
    std::string md = "lead\n\n<details><summary>many</summary>\n\n";
    for (int i = 0; i < 400; ++i) md += "- item " + std::to_string(i) + "\n";
    md += "```\n" + std::string(3000, 'x') + "\n```\n</details>\n";
    const std::string out = publish::fit_summary(md, 2000);
    CHECK(util::utf8_length(out) <= 2000);
    CHECK(out.rfind("lead\n\n<details><summary>many</summary>\n\n- item 0\n", 0) == 0);
    CHECK(out.find("\n</details>\n\n> [!NOTE]\n> Cut to fit 2000 characters (`--summary-limit`): ") != std::string::npos);
    CHECK(out.find("```") == std::string::npos); // the code block did not fit and is not half there
    CHECK(out.back() == '\n');
  }

  TEST_CASE("never inside a code block: the cut falls before its fence") {
    std::string md = "before\n\n```\n";
    for (int i = 0; i < 500; ++i) md += "line " + std::to_string(i) + "\n";
    md += "```\n";
    const std::string out = publish::fit_summary(md, 2000);
    CHECK(out.rfind("before\n\n\n> [!NOTE]", 0) == 0);
  }

  TEST_CASE("the list choice") {
    CHECK(publish::parse_summary_list("all") == publish::SummaryList::all);
    CHECK(publish::parse_summary_list("none") == publish::SummaryList::none);
    CHECK(publish::parse_summary_list("failed") == publish::SummaryList::failed);
    CHECK(publish::k_summary_chars < publish::k_check_output_chars);
  }
}
