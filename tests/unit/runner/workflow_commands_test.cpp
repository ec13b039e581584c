#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "runner/workflow_commands.h"
#include "util/files.h"

using namespace tollgate;
using namespace tollgate::runner;

namespace {
std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("tollgate-test-") + name)).string();
}
} // namespace

TEST_SUITE("runner::workflow_commands") {
  TEST_CASE("data escapes percent, carriage return and newline only") {
    CHECK(escape_data("50%\r\n::set-output name=x::y, a:b") == "50%25%0D%0A::set-output name=x::y, a:b");
    // Report text in an annotation: its escape sequences are shown, not handed to the log viewer.
    CHECK(escape_data("\x1b]8;;https://evil\x07x\x1b[0m") == "^[]8;;https://evil^Gx^[[0m");
  }

  TEST_CASE("properties also escape colon and comma") {
    CHECK(escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A");
  }

  TEST_CASE("an annotation command carries file, line, endLine and title escaped") {
    model::Finding f;
    f.path = "src/a,b.py";
    f.start_line = 3;
    f.end_line = 5;
    f.title = "suite › test: x";
    f.message = "boom\n::add-mask::secret";
    CHECK(annotation_command(f).text() ==
          "::error file=src/a%2Cb.py,line=3,endLine=5,title=suite › test%3A x::boom%0A::add-mask::secret\n");
  }

  TEST_CASE("a message cannot smuggle a command onto a line of its own") {
    model::Finding f;
    f.level = model::Level::warning;
    f.message = "x\n::error::pwned\r\n##[error]also";
    const std::string cmd(annotation_command(f).text());
    CHECK(cmd.find('\n') == cmd.size() - 1);
    CHECK(cmd.find('\r') == std::string::npos);
  }

  TEST_CASE("untrusted text is paused around with stop-commands and a random token") {
    const auto pause = pause_commands("::error::x\n");
    const std::string stop(pause.stop.text());
    CHECK(stop.rfind("::stop-commands::", 0) == 0);
    const std::string token = stop.substr(17, stop.find('\n') - 17);
    CHECK(token.size() == 32);
    CHECK(pause.resume.text() == "::" + token + "::\n");
    CHECK(pause_commands("a").stop.text() != pause_commands("a").stop.text());
  }

  TEST_CASE("a command name or property key is the agent's literal, never text") {
    CHECK_THROWS_AS(workflow_command("error::x", {}, ""), std::invalid_argument);
    CHECK_THROWS_AS(workflow_command("", {}, ""), std::invalid_argument);
    CHECK_THROWS_AS(workflow_command("error", {{"file,line", "1"}}, ""), std::invalid_argument);
    CHECK(workflow_command("add-mask", {}, "a\nb").text() == "::add-mask::a%0Ab\n");
  }

  TEST_CASE("outputs use a delimiter that the value does not contain") {
    const auto path = temp_path("output");
    std::filesystem::remove(path);
    append_output(path, "json", "line1\nghadelimiter_\nline3");
    const auto text = *util::read_file(path);
    const auto first_nl = text.find('\n');
    const std::string header = text.substr(0, first_nl);
    REQUIRE(header.rfind("json<<ghadelimiter_", 0) == 0);
    const std::string delimiter = header.substr(6);
    CHECK(delimiter.size() == 13 + 32);
    CHECK(text == header + "\nline1\nghadelimiter_\nline3\n" + delimiter + "\n");
    std::filesystem::remove(path);
  }

  TEST_CASE("an output name the runner would misread is refused") {
    CHECK_THROWS_AS(append_output(temp_path("o2"), "a\nb", "v"), util::InputError);
    CHECK_THROWS_AS(append_output(temp_path("o2"), "a<<b", "v"), util::InputError);
  }

  TEST_CASE("the step summary never grows past one mebibyte") {
    const auto path = temp_path("summary");
    std::filesystem::remove(path);
    CHECK(append_step_summary(path, std::string(600 * 1024, 'a')));
    CHECK_FALSE(append_step_summary(path, std::string(600 * 1024, 'b')));
    CHECK(std::filesystem::file_size(path) <= k_step_summary_limit);
    const auto text = *util::read_file(path);
    CHECK(text.find("Truncated") != std::string::npos);
    std::filesystem::remove(path);
  }
}
