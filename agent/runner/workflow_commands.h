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

// "::name k=v,k=v::data\n" with every property and the data escaped.
std::string workflow_command(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& properties,
                             std::string_view data);

// An annotation for a finding: ::error / ::warning / ::notice with file, line, endLine, title.
std::string annotation_command(const model::Finding& finding);

// Untrusted multi-line text wrapped so the runner executes no command inside it:
// "::stop-commands::TOKEN" … "::TOKEN::" with a random token the text cannot contain.
std::string without_commands(std::string_view text);

// "::add-mask::value" so the runner redacts the value from every later log line.
std::string add_mask_command(std::string_view value);

// Step summary limit: the runner refuses a summary past 1 MiB per step.
constexpr size_t k_step_summary_limit = 1024 * 1024;

// Appends a step output "name<<DELIM\nvalue\nDELIM\n" with a random delimiter that the value
// does not contain. Throws InputError for a name the runner would misread.
void append_output(const std::string& output_path, std::string_view name, std::string_view value);

// Appends Markdown to the job summary, keeping the file within k_step_summary_limit; returns
// false when the text had to be cut (a truncation note is written instead of the tail).
bool append_step_summary(const std::string& summary_path, std::string_view markdown);

} // namespace tollgate::runner
