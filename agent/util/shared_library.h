#pragma once
// A shared library loaded on first use (dlopen) rather than linked: libcurl (util/libcurl.cpp)
// and OpenSSL's libcrypto (util/libcrypto.cpp). RTLD_LOCAL keeps its dependencies out of the
// global namespace, so they never interpose on what the executable links statically.
#include <dlfcn.h>
#include <string>

namespace tollgate::util {

// The library's handle, loaded for the life of the process. `fail(reason)` must throw; it is
// called with dlerror()'s text when the library cannot be loaded.
template <typename Fail> void* open_shared_library(const char* soname, Fail&& fail) {
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* reason = dlerror();
    fail(std::string(reason ? reason : "dlopen failed"));
  }
  return library;
}

// Points `slot` at the library's function `name`; `fail("it has no <name>")` when it has none.
template <typename F, typename Fail> void resolve_symbol(void* library, F& slot, const char* name, Fail&& fail) {
  void* symbol = dlsym(library, name);
  if (!symbol) fail(std::string("it has no ") + name);
  slot = reinterpret_cast<F>(symbol);
}

} // namespace tollgate::util
