#include <doctest/doctest.h>
#include <iostream>
#include <sstream>
#include <thread>

#include "runner/log_stream.h"
#include "runner/workflow_commands.h"

using namespace tollgate;
using namespace tollgate::runner;

TEST_SUITE("runner::log_stream") {
  TEST_CASE("a line that starts with :: after any white space is broken with a backslash") {
    CHECK(neutralise_line("::set-output name=passed::true") == "\\::set-output name=passed::true");
    CHECK(neutralise_line("  \t::error::x") == "  \t\\::error::x");
    // U+00A0, U+2003 and U+3000 are white space to .NET's TrimStart().
    CHECK(neutralise_line("\xC2\xA0\xE2\x80\x83\xE3\x80\x80::add-mask::x") ==
          "\xC2\xA0\xE2\x80\x83\xE3\x80\x80\\::add-mask::x");
    // U+001F is white space to some parsers; it is shown as "^_" now, so the line starts with text.
    CHECK(neutralise_line("\x1F::x::") == "^_::x::");
    CHECK(neutralise_line("a ::error::x") == "a ::error::x");
    CHECK(neutralise_line("\xE2\x80\x8B::x::") == "\xE2\x80\x8B::x::"); // U+200B is not white space
  }

  TEST_CASE("the legacy ##[ is broken wherever it is in a line") {
    CHECK(neutralise_line("lhr-##[set-output name=passed;]true.json") == "lhr-#\\#[set-output name=passed;]true.json");
    CHECK(neutralise_line("###[x]") == "##\\#[x]");
    CHECK(neutralise_line("##[a]##[b]") == "#\\#[a]#\\#[b]");
    CHECK(neutralise_line("  ::x::##[y]") == "  \\::x::#\\#[y]");
    for (const char* s : {"##[", "###[[", "::##[", " ##[##[", "#[#[##"})
      CHECK_FALSE(may_start_command(neutralise_line(s)));
  }

  TEST_CASE("every line of a stream is neutralised, whatever ends it") {
    std::ostringstream target;
    {
      SafeLogBuf buf(target.rdbuf());
      std::ostream out(&buf);
      out << "ok\n::set-output name=a::b\r::error::c\r\n##[warning]d" << std::flush;
      // The unfinished last line is held until it ends (the runner reads whole lines).
      CHECK(target.str() == "ok\n\\::set-output name=a::b\r\\::error::c\r\n");
      out << "#";
    }
    CHECK(target.str() == "ok\n\\::set-output name=a::b\r\\::error::c\r\n#\\#[warning]d#");
  }

  TEST_CASE("a line split across writes is judged whole") {
    std::ostringstream target;
    {
      SafeLogBuf buf(target.rdbuf());
      std::ostream out(&buf);
      out << "  :";
      out << ":add-mask::x\n#";
      out.put('#');
      out << "[error]y\n";
    }
    CHECK(target.str() == "  \\::add-mask::x\n#\\#[error]y\n");
  }

  TEST_CASE("only a Command passes whole, on a line of its own") {
    std::ostringstream out_target, err_target;
    {
      SafeLog log(out_target, err_target);
      log.out() << "half a line ";
      log.commands().write(add_mask_command("secret"));
      log.out() << "::error::not mine\n";
      log.err() << "::warning::nor this\n";
    }
    CHECK(out_target.str() == "half a line \n::add-mask::secret\n\\::error::not mine\n");
    CHECK(err_target.str() == "\\::warning::nor this\n");
  }

  TEST_CASE("std::cout, std::cerr and std::clog go through the filter while a SafeLog lives") {
    std::ostringstream out_target, err_target;
    {
      SafeLog log(out_target, err_target);
      std::cerr << "tollgate: GET /x: ::set-output name=a::b\n::stop-commands::t\n";
      std::clog << "##[error]x\n";
      std::cout << "::notice::y\n";
    }
    CHECK(err_target.str() == "tollgate: GET /x: ::set-output name=a::b\n\\::stop-commands::t\n#\\#[error]x\n");
    CHECK(out_target.str() == "\\::notice::y\n");
  }

  TEST_CASE("a SafeLog over filtered streams reuses their filters, so its commands pass once") {
    std::ostringstream out_target, err_target;
    std::ostream out(out_target.rdbuf()), err(err_target.rdbuf());
    {
      SafeLog outer(out, err);
      {
        SafeLog inner(out, err);
        inner.commands().write(add_mask_command("s"));
        inner.out() << "::x::\n";
      }
      out << "::y::\n";
    }
    out << "::z::\n";
    CHECK(out_target.str() == "::add-mask::s\n\\::x::\n\\::y::\n::z::\n");
  }

  TEST_CASE("lines written from several threads are each filtered whole") {
    std::ostringstream target;
    {
      SafeLogBuf buf(target.rdbuf());
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t)
        threads.emplace_back([&buf] {
          std::ostream out(&buf);
          for (int i = 0; i < 200; ++i) out << std::string("::set-output name=x::y\n");
        });
      for (auto& th : threads) th.join();
    }
    std::istringstream lines(target.str());
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) {
      CHECK(line == "\\::set-output name=x::y");
      ++count;
    }
    CHECK(count == 800);
  }

  TEST_CASE("control characters from untrusted text are shown, never sent to the terminal") {
    // OSC 52 (clipboard write), OSC 8 (hyperlink), SGR colour: ESC and BEL become caret notation.
    CHECK(neutralise_line("\x1b]52;c;ZXZpbA==\a") == "^[]52;c;ZXZpbA==^G");
    CHECK(neutralise_line("\x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\") == "^[]8;;https://evil^[\\click^[]8;;^[\\");
    CHECK(neutralise_line("\x1b[31mred\x1b[0m") == "^[[31mred^[[0m");
    CHECK(neutralise_line("a\x7f\x08" "b") == "a^?^Hb");
    // C1 controls in UTF-8 (U+009B is CSI on its own): U+FFFD.
    CHECK(neutralise_line("x\xC2\x9B" "31my") == "x\xEF\xBF\xBD" "31my");
    CHECK(neutralise_line("\xC2\xA0ok\tso") == "\xC2\xA0ok\tso"); // U+00A0 and tab stay
    CHECK(show_controls("a\r\nb") == "a\r\nb");
  }

  TEST_CASE("an ESC written through a SafeLog reaches the stream as ^[, commands still whole") {
    std::ostringstream out, err;
    {
      SafeLog log(out, err);
      log.err() << "failure: \x1b]52;c;aGk=\x07 done\n";
      log.out() << "title \x1b[8mhidden\x1b[0m\n";
    }
    CHECK(err.str() == "failure: ^[]52;c;aGk=^G done\n");
    CHECK(out.str() == "title ^[[8mhidden^[[0m\n");
    CHECK(out.str().find('\x1b') == std::string::npos);
  }
}
