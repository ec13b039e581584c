#pragma once
// Workflow commands (::error file=…::message) with the runner's escaping, and the files the
// runner reads between steps ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/finding.h"

namespace tollgate::runner {

// Command data: % \r \n escaped, as the runner unescapes them.
std::string escape_data(std::string_view text);
// Command properties: as data, plus ':' and ','.
std::string escape_property(std::string_view text);

// One workflow command line the agent issues, escaped by construction: only the functions below
// build one, and only a runner::CommandWriter (runner/log_stream.h) prints one past the log
// filter. Anything else printed — a std::string of any origin — is neutralised on the way out.
class Command {
public:
  // "::name k=v,k=v::data\n": one line, ending in its only line break.
  std::string_view text() const { return m_text; }

private:
  friend struct CommandFactory;
  explicit Command(std::string text) : m_text(std::move(text)) {}
  std::string m_text;
};

// "::name k=v,k=v::data\n" with every property and the data escaped. The name and property keys
// are the agent's own literals; one that is not [A-Za-z-]+ throws std::invalid_argument.
Command workflow_command(std::string_view name, const std::vector<std::pair<std::string, std::string>>& properties,
                         std::string_view data);

// An annotation for a finding: ::error / ::warning / ::notice with file, line, endLine, title.
Command annotation_command(const model::Finding& finding);

// "::stop-commands::TOKEN" and "::TOKEN::" around untrusted text, with a random token the text
// does not contain: the runner executes no command between them (belt and braces over the log
// filter, which already leaves none).
struct CommandPause {
  Command stop;
  Command resume;
};
CommandPause pause_commands(std::string_view text);

// "::add-mask::value" so the runner redacts the value from every later log line.
Command add_mask_command(std::string_view value);

// Step summary limit: the runner refuses a summary past 1 MiB per step.
constexpr size_t k_step_summary_limit = 1024 * 1024;

// Appends a step output "name<<DELIM\nvalue\nDELIM\n" with a random delimiter that the value
// does not contain. Throws InputError for a name the runner would misread.
void append_output(const std::string& output_path, std::string_view name, std::string_view value);

// Appends Markdown to the job summary, keeping the file within k_step_summary_limit; returns
// false when the text had to be cut (a truncation note is written instead of the tail).
bool append_step_summary(const std::string& summary_path, std::string_view markdown);

} // namespace tollgate::runner
