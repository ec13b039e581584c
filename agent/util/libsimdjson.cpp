// simdjson, loaded (dlopen) the first time a run reads a Lighthouse result rather than by the
// dynamic loader at start-up. Debian ships simdjson only as a shared C++ library, which brings the
// shared libstdc++ with it: loading and relocating both cost every `--version` and every dry run
// about 3 ms (docs/performance.md), and kept libstdc++ out of the executable.
//
// report/lhr_simd.cpp calls simdjson's inline (header) code, which reaches the library through
// simdjson::get_active_implementation(), the parser kernels chosen for this CPU (and, where the
// compiler does not inline, two number parsers). This file defines those functions: it loads the
// library (RTLD_LOCAL: its libstdc++ and the executable's never see each other's symbols; both
// allocate with glibc's malloc) and forwards to it. When the library cannot be loaded, an
// implementation that declines every document: report/lhr_simd.h then leaves each file to the
// RapidJSON reader, so a missing library costs speed, never a result.
//
// Built only where the executable links libstdc++ statically (TOLLGATE_LOAD_SIMDJSON, set by
// CMakeLists.txt); elsewhere the library is linked as usual and this file is empty.
#if TOLLGATE_LOAD_SIMDJSON

#include <cstdlib>
#include <dlfcn.h>
#include <simdjson.h>
#include <type_traits>

namespace {

using Active = simdjson::internal::atomic_ptr<const simdjson::implementation>;
using FromChars = double (*)(const char*) noexcept;
using FromCharsEnd = double (*)(const char*, const char*) noexcept;
static_assert(std::is_same_v<decltype(&simdjson::get_active_implementation), Active& (*)()> &&
                  std::is_same_v<decltype(static_cast<FromChars>(&simdjson::internal::from_chars)), FromChars> &&
                  std::is_same_v<decltype(static_cast<FromCharsEnd>(&simdjson::internal::from_chars)), FromCharsEnd>,
              "the mangled names below are those of these signatures");

// Declines every document (what simdjson answers on a CPU it has no kernels for).
class Unavailable final : public simdjson::implementation {
public:
  Unavailable() : implementation("unavailable", TOLLGATE_SIMDJSON_SONAME " could not be loaded", 0) {}
  simdjson::error_code create_dom_parser_implementation(
      size_t, size_t, std::unique_ptr<simdjson::internal::dom_parser_implementation>&) const noexcept override {
    return simdjson::UNSUPPORTED_ARCHITECTURE;
  }
  simdjson::error_code minify(const uint8_t*, size_t, uint8_t*, size_t&) const noexcept override {
    return simdjson::UNSUPPORTED_ARCHITECTURE;
  }
  bool validate_utf8(const char*, size_t) const noexcept override { return false; }
};

// The library's functions that simdjson's header code calls. The number parsers are called only
// while a document is parsed, so never without the library; strtod stands in all the same.
struct Library {
  Active* active = nullptr;
  FromChars from_chars = [](const char* first) noexcept { return std::strtod(first, nullptr); };
  FromCharsEnd from_chars_end = [](const char* first, const char*) noexcept { return std::strtod(first, nullptr); };
};

Library load() {
  Library lib;
  void* library = dlopen(TOLLGATE_SIMDJSON_SONAME, RTLD_NOW | RTLD_LOCAL);
  void* active = library ? dlsym(library, "_ZN8simdjson25get_active_implementationEv") : nullptr;
  void* from_chars = library ? dlsym(library, "_ZN8simdjson8internal10from_charsEPKc") : nullptr;
  void* from_chars_end = library ? dlsym(library, "_ZN8simdjson8internal10from_charsEPKcS2_") : nullptr;
  if (active && from_chars && from_chars_end) {
    lib.active = &reinterpret_cast<Active& (*)()>(active)();
    lib.from_chars = reinterpret_cast<FromChars>(from_chars);
    lib.from_chars_end = reinterpret_cast<FromCharsEnd>(from_chars_end);
  } else {
    static const Unavailable unavailable;
    static Active declines(&unavailable);
    lib.active = &declines;
  }
  return lib;
}

const Library& library() {
  static const Library lib = load(); // thread-safe: LHRs are read in parallel
  return lib;
}

} // namespace

namespace simdjson {

internal::atomic_ptr<const implementation>& get_active_implementation() { return *library().active; }

double internal::from_chars(const char* first) noexcept { return library().from_chars(first); }

double internal::from_chars(const char* first, const char* end) noexcept {
  return library().from_chars_end(first, end);
}

} // namespace simdjson

#endif
