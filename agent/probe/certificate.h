#pragma once
// Reading a certificate's expiry (OpenSSL), for tls-min-days.
#include <cstdint>
#include <optional>
#include <string_view>

namespace tollgate::probe {

// notAfter of the first certificate in a PEM text, in epoch seconds; nothing when unreadable.
std::optional<int64_t> certificate_not_after(std::string_view pem);

} // namespace tollgate::probe
