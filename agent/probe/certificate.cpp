#include "probe/certificate.h"

#include <ctime>
#include <memory>
#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace tollgate::probe {

std::optional<int64_t> certificate_not_after(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm) != 1) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

} // namespace tollgate::probe
