#include "report/stack_frames.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace tollgate::report {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether `text` holds any of `chars`. A loop over the text: string_view::find_first_of calls
// memchr over the set once for each character of the text, and frames are read a hundred
// thousand at a time (a quarter of a trace-heavy JUnit run was in those calls).
template <char... chars>
bool has_any(std::string_view text) {
  for (const char c : text)
    if (((c == chars) || ...)) return true;
  return false;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// File name extensions that can hold code or tests. A closed list keeps "example.com:443" or
// "Array.from(1)" out; paths are resolved against the repository later anyway.
constexpr std::string_view k_source_extensions[] = {
    "c",    "cc",   "cpp",  "cxx",   "c++", "h",      "hh",     "hpp",     "hxx",   "h++",  "inl",
    "ipp",  "tpp",  "cu",   "cuh",   "m",   "mm",     "swift",  "cs",      "fs",    "fsx",  "vb",
    "java", "kt",   "kts",  "scala", "sc",  "groovy", "gradle", "clj",     "cljs",  "cljc", "go",
    "rs",   "py",   "pyx",  "pyi",   "rb",  "rake",   "erb",    "js",      "mjs",   "cjs",  "jsx",
    "ts",   "tsx",  "mts",  "cts",   "vue", "svelte", "coffee", "php",     "phpt",  "inc",  "phtml",
    "dart", "ex",   "exs",  "erl",   "hrl", "hs",     "elm",    "ml",      "mli",   "lua",  "pl",
    "pm",   "t",    "r",    "jl",    "zig", "nim",    "cr",     "d",       "f",     "f90",  "f95",
    "pas",  "sh",   "bash", "zsh",   "ps1", "psm1",   "sql",    "feature", "robot", "tf",   "yml",
    "yaml", "json", "xml",  "html",  "htm", "css",    "scss",   "less",    "cmake", "bats",
};

bool is_source_extension(std::string_view ext) {
  char lower[8];
  if (ext.empty() || ext.size() > sizeof lower) return false;
  for (size_t i = 0; i < ext.size(); ++i) {
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(ext[i])));
  }
  const std::string_view key(lower, ext.size());
  return std::find(std::begin(k_source_extensions), std::end(k_source_extensions), key) !=
         std::end(k_source_extensions);
}

// Whether a path ends in a source-like file name. Looks only at the ends of the path, so
// that checking many candidates in one long token stays cheap.
bool looks_like_source(std::string_view path) {
  if (path.empty() || path.starts_with("internal/") || path.starts_with("node:") ||
      path.starts_with("<")) {
    return false;
  }
  const size_t window = std::min<size_t>(path.size(), 10);
  const std::string_view tail = path.substr(path.size() - window);
  const size_t dot = tail.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view ext = tail.substr(dot + 1);
  if (has_any<'/', '\\'>(ext)) return false;
  const size_t dot_in_path = path.size() - window + dot;
  if (dot_in_path == 0 || path[dot_in_path - 1] == '/' || path[dot_in_path - 1] == '\\') {
    return false; // ".py", "dir/.hidden"
  }
  return is_source_extension(ext);
}

// The path in a token such as "file:///x/y.js", "Error:/x/y.py" or "C:\x\y.cs", or "" when it is
// not a source file (URLs included).
std::string_view source_path(std::string_view token) {
  if (token.starts_with("file://")) {
    token.remove_prefix(7); // file:///x → /x
    if (token.size() > 3 && token[0] == '/' && token[2] == ':') token.remove_prefix(1); // /C:/x
  } else if (token.find("://") != std::string_view::npos) {
    return {};
  }
  const size_t colon = token.rfind(':');
  if (colon != std::string_view::npos && colon != 1) token.remove_prefix(colon + 1);
  return looks_like_source(token) ? token : std::string_view();
}

// Parses 1–9 digits at text[pos]; returns the value (0 when none) and advances pos.
int read_number(std::string_view text, size_t& pos) {
  int value = 0;
  size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos]) && digits < 9) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  while (pos < text.size() && is_digit(text[pos]))
    ++pos; // absurdly long: not a line
  return digits == 9 ? 0 : value;
}

struct Collector {
  std::vector<Frame>& frames;
  size_t max_frames = k_max_frames;
  bool full() const { return frames.size() >= max_frames; }
  void add(std::string_view path, int line, std::string java_package_path = {}) {
    if (full() || line <= 0 || path.empty()) return;
    frames.push_back(Frame{std::string(path), line, std::move(java_package_path)});
  }
};

// File "path", line N
bool python_frame(std::string_view line, Collector& out) {
  const size_t open = line.find("File \"");
  if (open == std::string_view::npos) return false;
  const size_t start = open + 6;
  const size_t close = line.find('"', start);
  if (close == std::string_view::npos || line.substr(close, 8) != "\", line ") return false;
  size_t pos = close + 8;
  const std::string_view path = line.substr(start, close - start);
  if (!path.starts_with("<")) out.add(path, read_number(line, pos)); // "<frozen ...>", "<string>"
  return true;
}

// at NS.Class.Method() in /path/File.cs:line 42
bool dotnet_frame(std::string_view line, Collector& out) {
  const size_t marker = line.find(":line ");
  if (marker == std::string_view::npos) return false;
  size_t start = line.rfind(" in ", marker);
  if (start != std::string_view::npos) {
    start += 4;
  } else {
    start = line.find_last_of(" \t", marker);
    start = start == std::string_view::npos ? 0 : start + 1;
  }
  size_t pos = marker + 6;
  out.add(source_path(line.substr(start, marker - start)), read_number(line, pos));
  return true;
}

// at com.acme.Foo$Bar.method(Foo.java:12), also "at java.base/java.lang.Thread.run(...)".
bool jvm_frame(std::string_view line, Collector& out) {
  const size_t first = static_cast<size_t>(std::find_if_not(line.begin(), line.end(), is_blank) - line.begin());
  if (first == line.size() || line.substr(first, 3) != "at ") return false;
  std::string_view rest = line.substr(first + 3);
  const size_t open = rest.find('(');
  const size_t close = rest.find(')', open);
  if (open == std::string_view::npos || open == 0 || close == std::string_view::npos) return false;
  std::string_view qualified = rest.substr(0, open);
  if (has_any<' ', '\t'>(qualified)) return false; // Node: "fn (...)"
  const std::string_view inside = rest.substr(open + 1, close - open - 1);
  const size_t colon = inside.rfind(':');
  const std::string_view file = inside.substr(0, colon);
  if (has_any<'/', '\\', ' '>(file) || source_path(file).empty()) {
    return false;
  }
  if (colon == std::string_view::npos) return true; // "(Native Method)", "(Foo.java)"
  size_t pos = colon + 1;
  const int number = read_number(inside, pos);
  if (const size_t slash = qualified.rfind('/'); slash != std::string_view::npos) {
    qualified.remove_prefix(slash + 1); // module or class loader prefix
  }
  std::string package_path;
  const size_t method_dot = qualified.rfind('.');
  const size_t class_dot =
      method_dot == std::string_view::npos ? method_dot : qualified.rfind('.', method_dot - 1);
  if (class_dot != std::string_view::npos && method_dot > 0) {
    package_path.assign(qualified.substr(0, class_dot));
    std::replace(package_path.begin(), package_path.end(), '.', '/');
    package_path += '/';
    package_path += file;
  }
  out.add(file, number, std::move(package_path));
  return true;
}

bool is_delimiter(char c) {
  switch (c) {
  case ' ':
  case '\t':
  case '"':
  case '\'':
  case '`':
  case '(':
  case ')':
  case '[':
  case ']':
  case '<':
  case '>':
  case '{':
  case '}':
  case ',':
  case ';':
  case '|':
  case '=':
    return true;
  default:
    return false;
  }
}

// path:line[:col] and path(line[,col]) anywhere in the line, in one pass: the path start is
// tracked as the scan goes (after a delimiter, after "file://", after a "prefix:"), so each
// candidate costs O(1) beyond copying a frame.
void generic_frames(std::string_view line, Collector& out) {
  size_t path_start = 0;
  bool url = false; // the current token holds "scheme://"
  size_t i = 0;
  const auto restart = [&](size_t at) {
    path_start = at;
    url = false;
  };
  while (i < line.size() && !out.full()) {
    const char c = line[i];
    const bool number_follows = i + 1 < line.size() && is_digit(line[i + 1]);
    if ((c == ':' || c == '(') && number_follows && i > path_start && !url) {
      size_t pos = i + 1;
      const int number = read_number(line, pos);
      const bool closed = c == ':' || (pos < line.size() && (line[pos] == ')' || line[pos] == ','));
      const std::string_view path = line.substr(path_start, i - path_start);
      if (closed && number > 0 && looks_like_source(path)) {
        out.add(path, number);
        // Skip the column (":col" or ",col") so it is not read as another location.
        if (pos + 1 < line.size() && (line[pos] == ':' || line[pos] == ',') &&
            is_digit(line[pos + 1])) {
          ++pos;
          read_number(line, pos);
        }
        i = pos;
        restart(pos);
        continue;
      }
    }
    if (is_delimiter(c)) {
      restart(i + 1);
    } else if (c == ':') {
      if (line.substr(i, 3) == "://") {
        if (line.substr(path_start, i - path_start) == "file") {
          path_start =
              i + 3 < line.size() && line[i + 3] == '/' ? i + 3 : i + 2; // keep the root '/'
          if (path_start + 2 < line.size() && line[path_start + 2] == ':') ++path_start; // /C:/x
          i = path_start;
          continue;
        }
        url = true;
      } else if (i != path_start + 1) { // a drive letter's colon stays in the path
        path_start = i + 1;             // "Error:/x/y.py" → "/x/y.py"
      }
    }
    ++i;
  }
}

} // namespace

std::vector<Frame> extract_frames(std::string_view failure_text, size_t max_frames) {
  std::vector<Frame> frames;
  Collector out{frames, std::min(max_frames, k_max_frames)};
  while (!failure_text.empty() && !out.full()) {
    const size_t end = failure_text.find('\n');
    std::string_view line = failure_text.substr(0, end);
    failure_text.remove_prefix(end == std::string_view::npos ? failure_text.size() : end + 1);
    if (line.size() > k_max_frame_line) continue;
    if (line.ends_with("\r")) line.remove_suffix(1);
    if (python_frame(line, out) || dotnet_frame(line, out) || jvm_frame(line, out)) continue;
    generic_frames(line, out);
  }
  return frames;
}

} // namespace tollgate::report
