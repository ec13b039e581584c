#include <exception>
#include <iostream>

#include "command/command.h"

int main(int argc, char** argv) {
  try {
    return tollgate::command::run_cli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "tollgate: internal error: " << e.what() << "\n";
    return 3;
  }
}
