#include <exception>
#include <iostream>

#include "command/command.h"
#include "runner/log_stream.h"

int main(int argc, char** argv) {
  // Filters std::cout, std::cerr and std::clog for the whole process, so that even the last
  // word below cannot start a workflow command (run_cli reuses these filters).
  tollgate::runner::SafeLog safe_log(std::cout, std::cerr);
  try {
    return tollgate::command::run_cli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "tollgate: internal error: " << e.what() << "\n";
    return 3;
  }
}
