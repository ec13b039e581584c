#include "runner/workflow_commands.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

#include "runner/log_stream.h"
#include "util/error.h"
#include "util/random.h"
#include "util/text.h"

namespace tollgate::runner {

namespace {

// Data and properties come from reports: their control characters are shown, not passed to the
// log viewer (show_controls keeps \r and \n, escaped below as the runner expects).
std::string escape(std::string_view raw, bool property) {
  const std::string text = show_controls(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '%': out += "%25"; break;
    case '\r': out += "%0D"; break;
    case '\n': out += "%0A"; break;
    case ':': if (property) out += "%3A"; else out.push_back(c); break;
    case ',': if (property) out += "%2C"; else out.push_back(c); break;
    default: out.push_back(c);
    }
  }
  return out;
}

const char* command_for(model::Level level) {
  switch (level) {
  case model::Level::notice: return "notice";
  case model::Level::warning: return "warning";
  case model::Level::failure: return "error";
  }
  return "error";
}

} // namespace

struct CommandFactory {
  static Command make(std::string text) { return Command(std::move(text)); }
};

namespace {

bool is_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

} // namespace

std::string escape_data(std::string_view text) { return escape(text, false); }
std::string escape_property(std::string_view text) { return escape(text, true); }

Command workflow_command(std::string_view name, const std::vector<std::pair<std::string, std::string>>& properties,
                         std::string_view data) {
  if (!is_name(name)) throw std::invalid_argument("workflow command name: " + std::string(name));
  std::string out = "::";
  out += name;
  for (size_t i = 0; i < properties.size(); ++i) {
    if (!is_name(properties[i].first)) throw std::invalid_argument("workflow command property: " + properties[i].first);
    out += i == 0 ? " " : ",";
    out += properties[i].first;
    out += '=';
    out += escape_property(properties[i].second);
  }
  out += "::";
  out += escape_data(data);
  out += '\n';
  return CommandFactory::make(std::move(out));
}

Command annotation_command(const model::Finding& finding) {
  std::vector<std::pair<std::string, std::string>> props;
  if (!finding.path.empty()) {
    props.emplace_back("file", finding.path);
    if (finding.start_line > 0) {
      props.emplace_back("line", std::to_string(finding.start_line));
      if (finding.end_line > finding.start_line) props.emplace_back("endLine", std::to_string(finding.end_line));
    }
  }
  if (!finding.title.empty()) props.emplace_back("title", util::sanitize_utf8(finding.title));
  return workflow_command(command_for(finding.level), props, util::sanitize_utf8(finding.message));
}

CommandPause pause_commands(std::string_view text) {
  std::string token;
  do token = util::random_hex(16);
  while (text.find(token) != std::string_view::npos);
  return {workflow_command("stop-commands", {}, token), workflow_command(token, {}, "")};
}

Command add_mask_command(std::string_view value) { return workflow_command("add-mask", {}, value); }

void append_output(const std::string& output_path, std::string_view name, std::string_view value) {
  if (name.empty() || name.find_first_of("\r\n=<") != std::string_view::npos)
    throw util::InputError(fmt::format("invalid step output name '{}'", util::escape_markdown(name)));
  std::string delimiter;
  do delimiter = "ghadelimiter_" + util::random_hex(16);
  while (value.find(delimiter) != std::string_view::npos);
  std::ofstream out(output_path, std::ios::app | std::ios::binary);
  if (!out) throw util::InputError(fmt::format("GITHUB_OUTPUT {}: cannot open for writing", output_path));
  out << name << "<<" << delimiter << '\n' << value << '\n' << delimiter << '\n';
}

bool append_step_summary(const std::string& summary_path, std::string_view markdown) {
  std::error_code ec;
  const auto existing = std::filesystem::exists(summary_path, ec) ? std::filesystem::file_size(summary_path, ec) : 0;
  const size_t room = existing >= k_step_summary_limit ? 0 : k_step_summary_limit - static_cast<size_t>(existing);
  std::ofstream out(summary_path, std::ios::app | std::ios::binary);
  if (!out) throw util::InputError(fmt::format("GITHUB_STEP_SUMMARY {}: cannot open for writing", summary_path));
  if (markdown.size() + 1 <= room) {
    out << markdown << '\n';
    return true;
  }
  static constexpr std::string_view k_note = "\n\n> [!NOTE]\n> Truncated: the job summary is limited to 1 MiB.\n";
  if (room > k_note.size()) out << util::truncate_utf8(markdown, room - k_note.size(), "") << k_note;
  return false;
}

} // namespace tollgate::runner
