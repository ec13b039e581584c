#include "util/libcurl.h"

#include <string>

#include "util/error.h"
#include "util/shared_library.h"

namespace tollgate::util {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw GithubError("cannot use " + std::string(k_libcurl_soname) + " (needed for the network): " + what);
}

template <typename F> void resolve(void* library, F& slot, const char* name) {
  resolve_symbol(library, slot, name, fail);
}

Libcurl load() {
  void* library = open_shared_library(k_libcurl_soname, fail);
  Libcurl lib{};
  resolve(library, lib.global_init, "curl_global_init");
  resolve(library, lib.easy_init, "curl_easy_init");
  resolve(library, lib.easy_cleanup, "curl_easy_cleanup");
  resolve(library, lib.easy_reset, "curl_easy_reset");
  resolve(library, lib.easy_setopt, "curl_easy_setopt");
  resolve(library, lib.easy_getinfo, "curl_easy_getinfo");
  resolve(library, lib.easy_perform, "curl_easy_perform");
  resolve(library, lib.easy_strerror, "curl_easy_strerror");
  resolve(library, lib.slist_append, "curl_slist_append");
  resolve(library, lib.slist_free_all, "curl_slist_free_all");
  resolve(library, lib.multi_init, "curl_multi_init");
  resolve(library, lib.multi_cleanup, "curl_multi_cleanup");
  resolve(library, lib.multi_add_handle, "curl_multi_add_handle");
  resolve(library, lib.multi_remove_handle, "curl_multi_remove_handle");
  resolve(library, lib.multi_perform, "curl_multi_perform");
  resolve(library, lib.multi_poll, "curl_multi_poll");
  resolve(library, lib.multi_info_read, "curl_multi_info_read");
  if (lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail("curl_global_init failed");
  // The library stays loaded for the life of the process (handles outlive any one caller).
  return lib;
}

} // namespace

const Libcurl& libcurl() {
  static const Libcurl lib = load();
  return lib;
}

} // namespace tollgate::util
