#pragma once
// The two exception types that cross layers; main turns them into exit statuses.
// Code that a caller can handle returns util::Expected instead.
#include <stdexcept>
#include <string>

namespace tollgate::util {

// Bad usage, configuration or input: exit status 2. The message names the file and line.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// GitHub or the network failed and retries did not overcome it: exit status 3.
class GithubError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Where in a file a parser stopped: 1-based line and column; 0 means unknown.
struct ParseError {
  std::string message;
  size_t line = 0;
  size_t column = 0;
};

// "file:line:col: message" for an InputError.
std::string describe(const std::string& file, const ParseError& error);

// 1-based line and column of a byte offset in a buffer.
ParseError error_at(std::string_view buffer, size_t offset, std::string message);

} // namespace tollgate::util
