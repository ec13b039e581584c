#pragma once
// The one way out of the process: everything Tollgate prints on stdout and stderr passes a filter
// that leaves no line the Actions runner would execute as a workflow command. Only the agent's
// own commands (runner::Command, escaped when built) get past it, through a CommandWriter.
//
// The runner reads both streams line by line (StreamReader.ReadLine: "\n", "\r" and "\r\n" end a
// line; src/Runner.Sdk/ProcessInvoker.cs) and tries each line as a command in two forms
// (src/Runner.Common/ActionCommand.cs in github.com/actions/runner):
//   TryParseV2: message.TrimStart() (all Unicode white space) then StartsWith("::");
//   TryParse:   message.IndexOf("##[") — the legacy form, anywhere in the line.
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "runner/workflow_commands.h"

namespace tollgate::runner {

// The line as the runner reads it, changed only where it would start a command: a backslash
// before a leading "::" (after white space), and "##[" written "#\#["; and its control
// characters made visible (show_controls). Takes one line without its terminator.
std::string neutralise_line(std::string_view line);

// Bytes of leading white space as .NET's TrimStart() removes it (Char.IsWhiteSpace, UTF-8), plus
// U+001C..U+001F, which some parsers also strip.
size_t runner_whitespace_prefix(std::string_view line);

// The text with every control character a terminal or the Actions log viewer acts on made
// visible: C0 controls other than tab, line feed and carriage return as caret notation (ESC is
// "^["), DEL as "^?", and C1 controls (U+0080..U+009F, two bytes in UTF-8) as U+FFFD. An escape
// sequence from a report (OSC 52 clipboard writes, OSC 8 hyperlinks, SGR colours) then prints as
// text instead of acting on the reader's terminal. Line breaks are left to the caller.
std::string show_controls(std::string_view text);

// True when the runner would try this line (one line, no terminator) as a command.
bool may_start_command(std::string_view line);

// A streambuf that forwards to `target` line by line, each line through neutralise_line. Text of
// an unfinished line is held until its end (or until the buffer is destroyed); the runner reads
// whole lines, so nothing is shown later than it would be. Safe for several threads.
class SafeLogBuf final : public std::streambuf {
public:
  explicit SafeLogBuf(std::streambuf* target) : m_target(target) {}
  ~SafeLogBuf() override;
  SafeLogBuf(const SafeLogBuf&) = delete;
  SafeLogBuf& operator=(const SafeLogBuf&) = delete;

protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

private:
  friend class CommandWriter;
  void put(std::string_view text);
  void finish_line(std::string_view terminator);
  void write_command(const Command& command);

  std::streambuf* m_target;
  std::string m_line;
  std::mutex m_mutex;
};

// Prints the agent's own workflow commands past the filter, each on a line of its own. Only a
// runner::Command can be written, and only SafeLog hands out a writer.
class CommandWriter {
public:
  void write(const Command& command) { m_buf->write_command(command); }

private:
  friend class SafeLog;
  explicit CommandWriter(SafeLogBuf& buf) : m_buf(&buf) {}
  SafeLogBuf* m_buf;
};

// For its lifetime, `out` and `err` write through SafeLogBufs, and so do std::cout, std::cerr and
// std::clog (redirected to them), so that a direct write anywhere in the process — the GitHub
// client's retry notes, a library's warning — cannot reach the runner unfiltered. Over streams
// that already go through a SafeLog (main's, then run_cli's) it reuses those filters rather than
// stacking a second one that would neutralise the first one's commands.
class SafeLog {
public:
  SafeLog(std::ostream& out, std::ostream& err);
  ~SafeLog();
  SafeLog(const SafeLog&) = delete;
  SafeLog& operator=(const SafeLog&) = delete;

  std::ostream& out() { return m_out; }
  std::ostream& err() { return m_err; }
  CommandWriter& commands() { return m_commands; }

private:
  std::unique_ptr<SafeLogBuf> m_owned_out; // null when `out` already had a filter
  std::unique_ptr<SafeLogBuf> m_owned_err;
  SafeLogBuf* m_out_buf;
  SafeLogBuf* m_err_buf;
  std::ostream& m_out_target;
  std::ostream& m_err_target;
  std::streambuf* m_saved[5]; // out, err, std::cout, std::cerr, std::clog as they were
  std::ostream m_out;
  std::ostream m_err;
  CommandWriter m_commands;
};

} // namespace tollgate::runner
