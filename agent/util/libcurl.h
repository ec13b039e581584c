#pragma once
// libcurl, loaded (dlopen) the first time a run needs the network rather than by the dynamic
// loader at start-up: libcurl brings about 30 shared libraries (TLS, HTTP/2, IDN, LDAP,
// Kerberos, …) whose loading and relocation took most of a 20–50 ms start, paid by every
// `--version`, `--dry-run` and local run that never opens a connection (docs/performance.md).
// Both transports (github::CurlTransport, the probe engine) call libcurl only through this table.
#include <curl/curl.h>

namespace tollgate::util {

// The soname of libcurl 7.x/8.x (Debian's and Ubuntu's libcurl4 / libcurl4t64).
inline constexpr const char* k_libcurl_soname = "libcurl.so.4";

// The libcurl functions Tollgate calls, resolved from the loaded library. Members keep curl's
// names without the `curl_` prefix (curl.h defines `curl_easy_setopt(…)` as a type-checking macro).
struct Libcurl {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
};

// The process's libcurl, loaded and globally initialised (curl_global_init) on the first call,
// thread-safe. Throws util::GithubError (exit status 3: the network is unavailable) naming the
// library and the loader's reason when it cannot be loaded or lacks a function.
const Libcurl& libcurl();

} // namespace tollgate::util
