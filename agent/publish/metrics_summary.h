#pragma once
// `tollgate metrics` shown: the job summary (figures first, per-week table, a chart, every
// definition) and the --json members. The chart is text in a code block: GitHub renders Mermaid
// in Markdown (https://github.blog/2022-02-14-include-diagrams-markdown-files-mermaid/) and job
// summaries are GitHub Flavored Markdown
// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary);
// Mermaid gantt charts are seen rendered in job summaries (Kesin11/actions-timeline), but whether
// the Mermaid version there draws `xychart-beta` is not documented, and a chart that fails to
// render shows an error box instead of figures, so the chart is text.
#include "gate/delivery_metrics.h"
#include "util/json.h"

#include <string>
#include <utility>
#include <vector>

namespace tollgate::publish {

struct EnvironmentReport {
  std::string environment;
  gate::EnvironmentMetrics metrics;
  std::string narrowed;     // why the window was narrowed, empty when it was not
  bool none_at_all = false; // GitHub has no deployment of the environment at all
};

// Each figure's name and definition, as written in the summary, the --json result and
// docs/metrics.md.
const std::vector<std::pair<std::string, std::string>>& metric_definitions();

// "2 h 05 min", "45 s", "3 d 4 h"; "–" for nothing.
std::string format_duration(std::optional<double> seconds);

// One line: the figures of the first environment, for the check title and the log.
std::string metrics_title(const std::vector<EnvironmentReport>& reports);

std::string metrics_summary(const std::vector<EnvironmentReport>& reports);

// The text chart: per week, successful deployments as █ and failed ones as ░, with counts.
std::string weekly_chart(const gate::EnvironmentMetrics& metrics);

void write_metrics_json(util::JsonWriter& w, const std::vector<EnvironmentReport>& reports,
                        size_t requests);

} // namespace tollgate::publish
