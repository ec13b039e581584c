// OpenSSL's libcrypto, loaded (dlopen) the first time a run needs it rather than linked: the
// static archive put ~340 KB of pointer tables (algorithm and ASN.1 descriptions) into the
// executable, which the dynamic loader relocated, page by page, at every start: ~100 page faults
// and ~2 ms of a `--version` (docs/performance.md). Tollgate uses libcrypto for SHA-256
// (util::short_hash: check-run and comment identities) and to read a probed site's certificate
// (probe/certificate.cpp); random bytes come from the kernel (util/random.cpp). The runs that
// need it mostly talk to GitHub, and libcurl (util/libcurl.h) has loaded the same library by then.
//
// This file defines the few libcrypto functions Tollgate calls, each forwarding to the loaded
// library (RTLD_LOCAL). The library missing is an error naming it (exit status 3), never a
// silent empty hash.
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdexcept>
#include <string>

#include "util/shared_library.h"

static_assert(OPENSSL_VERSION_MAJOR == 3, "the soname below is OpenSSL 3's");

namespace {

// OpenSSL 3's soname (Debian's libssl3, Ubuntu's libssl3 / libssl3t64).
constexpr const char* k_libcrypto_soname = "libcrypto.so.3";

struct Libcrypto {
  decltype(&::EVP_Digest) digest;
  decltype(&::EVP_sha256) sha256;
  decltype(&::EVP_MD_fetch) md_fetch;
  decltype(&::BIO_new_mem_buf) bio_new_mem_buf;
  decltype(&::BIO_free) bio_free;
  decltype(&::PEM_read_bio_X509) pem_read_bio_x509;
  decltype(&::X509_free) x509_free;
  decltype(&::X509_get0_notAfter) x509_not_after;
  decltype(&::ASN1_TIME_to_tm) asn1_time_to_tm;
};

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("cannot use " + std::string(k_libcrypto_soname) +
                           " (needed for SHA-256 and certificates): " + what);
}

template <typename F> void resolve(void* library, F& slot, const char* name) {
  tollgate::util::resolve_symbol(library, slot, name, fail);
}

Libcrypto load() {
  void* library = tollgate::util::open_shared_library(k_libcrypto_soname, fail);
  Libcrypto lib{};
  resolve(library, lib.digest, "EVP_Digest");
  resolve(library, lib.sha256, "EVP_sha256");
  resolve(library, lib.md_fetch, "EVP_MD_fetch");
  resolve(library, lib.bio_new_mem_buf, "BIO_new_mem_buf");
  resolve(library, lib.bio_free, "BIO_free");
  resolve(library, lib.pem_read_bio_x509, "PEM_read_bio_X509");
  resolve(library, lib.x509_free, "X509_free");
  resolve(library, lib.x509_not_after, "X509_get0_notAfter");
  resolve(library, lib.asn1_time_to_tm, "ASN1_TIME_to_tm");
  return lib; // loaded for the life of the process
}

const Libcrypto& libcrypto() {
  static const Libcrypto lib = load(); // thread-safe
  return lib;
}

} // namespace

extern "C" {

int EVP_Digest(const void* data, size_t count, unsigned char* md, unsigned int* size, const EVP_MD* type,
               ENGINE* impl) {
  return libcrypto().digest(data, count, md, size, type, impl);
}

const EVP_MD* EVP_sha256(void) { return libcrypto().sha256(); }

EVP_MD* EVP_MD_fetch(OSSL_LIB_CTX* ctx, const char* algorithm, const char* properties) {
  return libcrypto().md_fetch(ctx, algorithm, properties);
}

BIO* BIO_new_mem_buf(const void* buf, int len) { return libcrypto().bio_new_mem_buf(buf, len); }

int BIO_free(BIO* a) { return libcrypto().bio_free(a); }

X509* PEM_read_bio_X509(BIO* out, X509** x, pem_password_cb* cb, void* u) {
  return libcrypto().pem_read_bio_x509(out, x, cb, u);
}

void X509_free(X509* a) { libcrypto().x509_free(a); }

const ASN1_TIME* X509_get0_notAfter(const X509* x) { return libcrypto().x509_not_after(x); }

int ASN1_TIME_to_tm(const ASN1_TIME* s, struct tm* tm) { return libcrypto().asn1_time_to_tm(s, tm); }

} // extern "C"
