#include "model/scan.h"

#include <algorithm>
#include <cmath>

namespace tollgate::model {

const util::Interned& fail_kind() {
  static const util::Interned s_fail("fail");
  return s_fail;
}

const char* to_string(ScanSeverity severity) {
  switch (severity) {
  case ScanSeverity::none: return "none";
  case ScanSeverity::note: return "note";
  case ScanSeverity::warning: return "warning";
  case ScanSeverity::error: return "error";
  case ScanSeverity::low: return "low";
  case ScanSeverity::medium: return "medium";
  case ScanSeverity::high: return "high";
  case ScanSeverity::critical: return "critical";
  }
  return "none";
}

std::optional<ScanSeverity> scan_severity_from(std::string_view name) {
  for (auto s : {ScanSeverity::none, ScanSeverity::note, ScanSeverity::warning, ScanSeverity::error, ScanSeverity::low,
                 ScanSeverity::medium, ScanSeverity::high, ScanSeverity::critical})
    if (name == to_string(s)) return s;
  return std::nullopt;
}

int severity_rank(ScanSeverity severity) {
  switch (severity) {
  case ScanSeverity::none: return 0;
  case ScanSeverity::note:
  case ScanSeverity::low: return 1;
  case ScanSeverity::warning:
  case ScanSeverity::medium: return 2;
  case ScanSeverity::error:
  case ScanSeverity::high: return 3;
  case ScanSeverity::critical: return 4;
  }
  return 0;
}

ScanSeverity severity_from_score(double score) {
  if (!(score > 0)) return ScanSeverity::none;
  if (score >= 9.0) return ScanSeverity::critical;
  if (score >= 7.0) return ScanSeverity::high;
  if (score >= 4.0) return ScanSeverity::medium;
  return ScanSeverity::low;
}

const char* to_string(ScanState state) {
  switch (state) {
  case ScanState::new_finding: return "new";
  case ScanState::unchanged: return "unchanged";
  case ScanState::fixed: return "fixed";
  case ScanState::unknown: return "unknown";
  }
  return "unknown";
}

std::optional<ContextHash> ContextHash::from(std::string_view text) {
  if (text.size() > k_size || text.find('\0') != std::string_view::npos) return std::nullopt;
  ContextHash hash;
  std::copy(text.begin(), text.end(), hash.m_bytes.begin());
  return hash;
}

std::string_view ContextHash::view() const {
  const auto end = std::find(m_bytes.begin(), m_bytes.end(), '\0');
  return {m_bytes.data(), static_cast<size_t>(end - m_bytes.begin())};
}

} // namespace tollgate::model
