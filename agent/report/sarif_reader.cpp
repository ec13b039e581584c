#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "report/sarif.h"
#include "report/sarif_limits.h"
#include "report/sarif_run.h"
#include "report/sarif_stream.h"
#include "util/huge_heap.h"
#include "util/text.h"

// RapidJSON copies a string's characters one at a time through the input stream, except where a
// stream type has its own ScanCopyUnescapedString (it has an SSE2 one for a string in memory).
// This is one for the chunk stream: the plain run of the current chunk copied at once, the
// per-character loop taking over at an escape, a control character, a quote or the chunk's end. RapidJSON calls it only when it does not
// validate encoding (the chunks are checked for UTF-8 as they are read; SarifChunkStream). An
// explicit specialization of the member template RapidJSON declares for this purpose, so no
// access rule applies to naming its StackStream here ([temp.spec.general]/6).
template <>
template <>
inline void rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>::ScanCopyUnescapedString<
    tollgate::report::SarifChunkStream,
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>::StackStream<char>>(
    tollgate::report::SarifChunkStream& is, StackStream<char>& os) {
  const std::string_view run = is.plain_run();
  if (run.empty()) return;
  std::memcpy(os.Push(static_cast<rapidjson::SizeType>(run.size())), run.data(), run.size());
  is.skip(run.size());
}

namespace tollgate::report {

namespace {

enum class Kind { null, boolean, number, string };

// Keeps at most max bytes of untrusted text, cut on a code point boundary.
void keep(std::string& into, std::string_view text, size_t max) {
  if (text.size() <= max) into.assign(text.data(), text.size()); // reuses into's buffer
  else into = util::truncate_utf8(text, max);
}
void keep(util::Interned& into, std::string_view text, size_t max) {
  into = text.size() <= max ? util::Interned(text) : util::Interned(util::truncate_utf8(text, max));
}

std::optional<int64_t> whole_number(Kind kind, std::string_view text) {
  if (kind != Kind::number || text.empty() || text.size() > 12 || text[0] == '-') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  return std::strtoll(std::string(text).c_str(), nullptr, 10);
}

// The SAX handler: tracks the path of the current value ("/runs/#/results/#/level") and keeps
// what a finding needs. Each path is matched where its value arrives; nothing else is stored.
class SarifHandler {
public:
  explicit SarifHandler(SarifLog& log) : m_log(log) {}

  bool Null() { return scalar(Kind::null, "null"); }
  bool Bool(bool b) { return scalar(Kind::boolean, b ? "true" : "false"); }
  bool Int(int) { return scalar(Kind::number, "0"); } // unused: numbers arrive as RawNumber
  bool Uint(unsigned) { return scalar(Kind::number, "0"); }
  bool Int64(int64_t) { return scalar(Kind::number, "0"); }
  bool Uint64(uint64_t) { return scalar(Kind::number, "0"); }
  bool Double(double) { return scalar(Kind::number, "0"); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return scalar(Kind::number, {s, n}); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return scalar(Kind::string, {s, n}); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view key(s, n);
    // Its path segment is made from it (enter): the first k_sarif_max_key_bytes of a key cut to
    // the field limit are the key's own.
    static_assert(k_sarif_max_key_bytes + 4 < k_sarif_max_field_bytes);
    keep(m_raw_key, key, k_sarif_max_field_bytes);
    return true;
  }
  bool StartObject() { return start(false); }
  bool EndObject(rapidjson::SizeType) { return end(); }
  bool StartArray() { return start(true); }
  bool EndArray(rapidjson::SizeType) { return end(); }

  const std::string& error() const { return m_error; }
  bool saw_runs() const { return m_saw_runs; }
  bool saw_version() const { return m_saw_version; }

private:
  struct Frame {
    size_t path_before; // m_path's length before this value's segment
    bool array;
    size_t next_index = 0;
  };

  bool fail(std::string message) {
    m_error = std::move(message);
    return false;
  }

  void note(const std::string& what) { ++m_log.notes[what]; }

  // Appends the segment of the value that starts now; returns the length before it.
  size_t enter() {
    const size_t before = m_path.size();
    if (m_frames.empty()) return before;
    Frame& parent = m_frames.back();
    if (parent.array) {
      m_index = parent.next_index++;
      m_path += "/#";
    } else {
      // The key's first k_sarif_max_key_bytes, '/' and '#' made '_' (no key reads as a path).
      m_path += '/';
      const size_t from = m_path.size();
      m_path.append(std::string_view(m_raw_key).substr(0, k_sarif_max_key_bytes));
      for (size_t i = from; i < m_path.size(); ++i)
        if (m_path[i] == '/' || m_path[i] == '#') m_path[i] = '_';
    }
    return before;
  }

  bool start(bool array) {
    const size_t before = enter();
    if (m_frames.size() >= k_sarif_max_depth)
      return fail(fmt::format("nesting deeper than {} levels", k_sarif_max_depth));
    if (m_frames.empty() && array) return fail("a SARIF log is a JSON object, not an array");
    m_frames.push_back({before, array});
    return on_start(array);
  }

  bool end() {
    const bool ok = on_end();
    m_path.resize(m_frames.back().path_before);
    m_frames.pop_back();
    return ok;
  }

  bool scalar(Kind kind, std::string_view text) {
    if (m_frames.empty()) return fail("a SARIF log is a JSON object");
    const size_t before = enter();
    const bool ok = on_scalar(kind, text);
    m_path.resize(before);
    return ok;
  }

  std::string_view rel(size_t from) const { return std::string_view(m_path).substr(from); }

  bool on_start(bool array) {
    const std::string_view p = m_path;
    if (p == "/runs") {
      if (!array) return fail("\"runs\" must be an array");
      m_saw_runs = true;
    } else if (p == "/runs/#") {
      if (array) return fail("each of \"runs\" must be an object");
      if (m_log.runs.size() >= k_sarif_max_runs) return fail(fmt::format("more than {} runs", k_sarif_max_runs));
      m_run.emplace();
      m_run->first_finding = m_log.findings.size();
      m_results_seen = false;
      m_rules_in_run = 0;
    } else if (!m_run) {
      return true;
    } else if (m_result) {
      const std::string_view r = rel(m_result_at);
      if (r == "/locations/#") ++m_locations;
      else if (r == "/suppressions") m_result->suppressions_present = array;
      else if (r == "/suppressions/#") ++m_result->suppressions;
    } else if (m_rule) {
      // nothing to open inside a rule
    } else if (p == "/runs/#/results") {
      if (!array) return fail("\"results\" must be an array");
      m_results_seen = true;
    } else if (p == "/runs/#/results/#" && array) {
      note("results that are not objects (skipped)");
    } else if (p == "/runs/#/results/#") {
      if (m_results_total >= k_sarif_max_results)
        return fail(fmt::format("more than {} results in one file (our limit; a gate over part of them would "
                                "pass what it did not read)", k_sarif_max_results));
      ++m_results_total;
      m_result = &m_run->results.emplace_back(); // filled in place (a deque: earlier ones stay put)
      m_log.findings.emplace_back();
      m_result_at = m_path.size();
      m_locations = 0;
    } else if (p == "/runs/#/tool/driver/rules/#" || p == "/runs/#/tool/extensions/#/rules/#") {
      if (++m_rules_in_run > k_sarif_max_rules) return fail(fmt::format("more than {} rules in a run", k_sarif_max_rules));
      m_rule.emplace();
      m_rule_at = m_path.size();
      m_rule_in_extension = util::starts_with(p, "/runs/#/tool/extensions/");
    } else if (p == "/runs/#/tool/extensions/#") {
      m_extension = static_cast<int64_t>(m_index);
    } else if (p == "/runs/#/artifacts/#") {
      m_artifact.emplace();
    } else if (p.size() > 26 && p.substr(0, 27) == "/runs/#/originalUriBaseIds/" &&
               p.find('/', 27) == std::string_view::npos) {
      m_base.emplace();
      m_base_name = m_raw_key;
    }
    return true;
  }

  bool on_end() {
    const std::string_view p = m_path;
    if (m_result && p.size() == m_result_at) {
      m_result = nullptr;
    } else if (m_rule && p.size() == m_rule_at) {
      auto& into = m_rule_in_extension ? m_run->extension_rules[m_extension] : m_run->driver_rules;
      into.push_back(std::move(*m_rule));
      m_rule.reset();
    } else if (m_artifact && p == "/runs/#/artifacts/#") {
      m_run->artifacts.push_back(std::move(*m_artifact));
      m_artifact.reset();
    } else if (m_base && p.size() > 27 && p.substr(0, 27) == "/runs/#/originalUriBaseIds/" &&
               p.find('/', 27) == std::string_view::npos) {
      m_run->base_ids[m_base_name] = std::move(*m_base);
      m_base.reset();
    } else if (m_run && p == "/runs/#") {
      if (!m_results_seen) m_run->info.incomplete = true;
      finish_sarif_run(*m_run, m_log);
      m_run.reset();
    }
    return true;
  }

  bool on_scalar(Kind kind, std::string_view text) {
    const std::string_view p = m_path;
    if (p == "/version") {
      m_saw_version = true;
      if (kind != Kind::string || text != "2.1.0")
        return fail(fmt::format("SARIF version {} is not 2.1.0 (the version this reads, and GitHub code scanning)",
                                util::truncate_utf8(text, 40)));
      return true;
    }
    if (p == "/runs") return kind == Kind::null ? true : fail("\"runs\" must be an array");
    if (p == "/runs/#") return fail("each of \"runs\" must be an object");
    if (!m_run) return true;
    if (p == "/runs/#/results/#") {
      note("results that are not objects (skipped)");
      return true;
    }
    if (m_result) return result_scalar(rel(m_result_at), kind, text);
    if (m_rule) return rule_scalar(rel(m_rule_at), kind, text);
    if (p == "/runs/#/results") {
      if (kind != Kind::null) return fail("\"results\" must be an array");
      return true; // null: the tool did not finish (SARIF §3.14.23); counted as incomplete at the run's end
    }
    if (kind == Kind::string) {
      if (p == "/runs/#/tool/driver/name") keep(m_run->info.tool, text, k_sarif_max_field_bytes);
      else if (p == "/runs/#/tool/driver/semanticVersion" || (p == "/runs/#/tool/driver/version" && m_run->info.version.empty()))
        keep(m_run->info.version, text, k_sarif_max_field_bytes);
      else if (m_artifact && p == "/runs/#/artifacts/#/location/uri") keep(m_artifact->uri, text, k_sarif_max_field_bytes);
      else if (m_artifact && p == "/runs/#/artifacts/#/location/uriBaseId") keep(m_artifact->base_id, text, k_sarif_max_field_bytes);
      else if (m_base && util::ends_with(p, "/uri")) keep(m_base->uri, text, k_sarif_max_field_bytes);
      else if (m_base && util::ends_with(p, "/uriBaseId")) keep(m_base->base_id, text, k_sarif_max_field_bytes);
    } else if (kind == Kind::boolean && p == "/runs/#/invocations/#/executionSuccessful" && text == "false") {
      m_run->info.incomplete = true;
    }
    return true;
  }

  bool rule_scalar(std::string_view r, Kind kind, std::string_view text) {
    SarifRule& rule = *m_rule;
    if (r == "/properties/security-severity") {
      if (kind == Kind::string || kind == Kind::number) keep(rule.score, text, 64);
      return true;
    }
    if (kind != Kind::string) return true;
    if (r == "/id") keep(rule.id, text, k_sarif_max_field_bytes);
    else if (r == "/name") keep(rule.name, text, k_sarif_max_field_bytes);
    else if (r == "/shortDescription/text") keep(rule.short_description, text, k_sarif_max_field_bytes);
    else if (r == "/helpUri") keep(rule.help_uri, text, k_sarif_max_field_bytes);
    else if (r == "/defaultConfiguration/level") keep(rule.default_level, text, 16);
    if (!rule.text_severity && (r == "/properties/tags/#" || r == "/shortDescription/text" ||
                                r == "/fullDescription/text" || r == "/help/text"))
      rule.text_severity = severity_in_text(text.substr(0, k_sarif_max_message_bytes));
    return true;
  }

  bool result_scalar(std::string_view r, Kind kind, std::string_view text) {
    SarifPendingResult& res = *m_result;
    model::ScanFinding& f = m_log.findings.back(); // the result's, built in place
    constexpr std::string_view k_location = "/locations/#/physicalLocation/";
    if (util::starts_with(r, k_location)) {
      if (m_locations != 1) return true; // the primary location is the first
      const std::string_view l = r.substr(k_location.size());
      if (kind == Kind::string) {
        if (l == "artifactLocation/uri") keep(res.location.uri, text, k_sarif_max_field_bytes);
        else if (l == "artifactLocation/uriBaseId") keep(res.location.base_id, text, k_sarif_max_field_bytes);
        else if (l == "region/snippet/text") keep(f.snippet, text, k_sarif_max_snippet_bytes);
        return true;
      }
      const auto n = whole_number(kind, text);
      if (l == "artifactLocation/index") res.location.index = n;
      else if (l == "region/startLine" || l == "region/endLine" || l == "region/startColumn") {
        if (!n || *n > int64_t{0x7fffffff}) {
          note("a region line or column that is not a whole number (read as none)");
          return true;
        }
        (l == "region/startLine" ? f.start_line : l == "region/endLine" ? f.end_line : f.start_column) = static_cast<int>(*n);
      }
      return true;
    }
    if (r == "/ruleIndex" || r == "/rule/index" || r == "/rule/toolComponent/index") {
      const auto n = whole_number(kind, text);
      if (!n && kind != Kind::null) note("a ruleIndex that is not a whole number (ignored)");
      (r == "/rule/toolComponent/index" ? res.component_index : res.rule_index) = n;
      return true;
    }
    if (r == "/properties/security-severity") {
      if (kind == Kind::string || kind == Kind::number) keep(res.score, text, 64);
      return true;
    }
    if (kind != Kind::string) return true;
    if (r == "/ruleId" || (r == "/rule/id" && res.rule_id.empty())) keep(res.rule_id, text, k_sarif_max_field_bytes);
    else if (r == "/level") keep(res.level, text, 16);
    else if (r == "/kind") keep(f.kind, text, 32);
    else if (r == "/message/text") keep(f.message, text, k_sarif_max_message_bytes);
    else if (r == "/message/arguments/#") {
      if (res.arguments.size() < k_sarif_max_arguments) res.arguments.emplace_back(util::truncate_utf8(text, 256));
    } else if (r == "/properties/tags/#") {
      if (!res.tag_severity) res.tag_severity = severity_in_text(text.substr(0, k_sarif_max_field_bytes));
    } else if (r == "/suppressions/#/status") {
      if (text == "underReview" || text == "rejected") res.suppression_contested = true;
    } else if (r == "/suppressions/#/justification") {
      if (res.justification.empty()) keep(res.justification, text, k_sarif_max_field_bytes);
    } else {
      for (std::string_view map : {std::string_view("/partialFingerprints/"), std::string_view("/fingerprints/")}) {
        if (!util::starts_with(r, map) || r.find('/', map.size()) != std::string_view::npos) continue;
        if (f.fingerprints.size() >= k_sarif_max_fingerprints) {
          note("fingerprints past the first 16 of a result (ignored)");
          return true;
        }
        m_fingerprint_key.assign(map == "/fingerprints/" ? "full/" : "partial/").append(m_raw_key);
        f.fingerprints.emplace_back(m_fingerprint_key,
                                    util::truncate_utf8(text, k_sarif_max_field_bytes));
      }
    }
    return true;
  }

  SarifLog& m_log;
  std::string m_path;
  std::vector<Frame> m_frames;
  std::string m_raw_key, m_fingerprint_key;
  size_t m_index = 0; // the index of the array element that started last
  bool m_saw_runs = false, m_saw_version = false, m_results_seen = false;
  size_t m_results_total = 0, m_rules_in_run = 0;
  std::optional<SarifRunState> m_run;
  SarifPendingResult* m_result = nullptr; // the result being read: the run's last pending one
  size_t m_result_at = 0, m_locations = 0;
  std::optional<SarifRule> m_rule;
  size_t m_rule_at = 0;
  bool m_rule_in_extension = false;
  int64_t m_extension = 0;
  std::optional<SarifArtifactLocation> m_artifact, m_base;
  std::string m_base_name;
  std::string m_error;
};

} // namespace

namespace {

template <unsigned k_validate>
util::Expected<SarifLog, util::ParseError> read_sarif_with(const ChunkSource& source, size_t file_bytes,
                                                           bool& read_again) {
  SarifLog log;
  log.findings.reserve(sarif_reserved_findings(file_bytes));
  util::advise_huge_pages(log.findings.data(), log.findings.capacity() * sizeof(model::ScanFinding));
  SarifChunkStream stream(source);
  if (k_validate == 0) stream.check_utf8();
  if (!stream.skip_preamble(log.preamble_lines, log.preamble_first)) {
    if (stream.read_failed()) return util::unexpected(util::ParseError{"read error", 0, 0});
    return util::unexpected(util::ParseError{
        fmt::format("not SARIF: no line starting with '{{' in the first {} KiB", k_sarif_max_preamble_bytes / 1024), 1, 1});
  }
  if (log.preamble_lines > 0) {
    log.notes[fmt::format("{} non-JSON line(s) before the JSON skipped (the first: \"{}\")", log.preamble_lines,
                          util::truncate_utf8(log.preamble_first, 120))] = 1;
  }
  SarifHandler handler(log);
  rapidjson::Reader reader;
  // The fast pass (k_validate 0) parses recursively, within the handler's nesting limit (as
  // report/json_events.h does; on this file's profile the parser is a small part). On valid
  // UTF-8 both parsers give the same events; errors are worded by the exact pass.
  constexpr unsigned k_flags = (k_validate != 0 ? unsigned{rapidjson::kParseIterativeFlag} : 0u) | k_validate |
                               rapidjson::kParseNumbersAsStringsFlag;
  const rapidjson::ParseResult result = reader.Parse<k_flags>(stream, handler);
  if (stream.read_failed()) return util::unexpected(util::ParseError{"read error", 0, 0});
  // Not UTF-8 somewhere: what the unchecked parse made of it is not to be trusted (read_sarif);
  // nor the fast pass's error, which the exact pass words.
  read_again = stream.saw_invalid_utf8() || (k_validate == 0 && result.IsError());
  if (read_again) return util::unexpected(util::ParseError{"read again", 0, 0});
  if (result.IsError()) {
    const std::string message = !handler.error().empty()
                                    ? handler.error()
                                    : std::string("not JSON: ") + rapidjson::GetParseError_En(result.Code());
    return util::unexpected(stream.error_at(result.Offset(), message));
  }
  if (!handler.saw_runs()) return util::unexpected(stream.error_at(stream.Tell(), "not SARIF: no \"runs\" array"));
  if (!handler.saw_version()) ++log.notes["no \"version\" (read as SARIF 2.1.0)"];
  return log;
}

} // namespace

size_t sarif_reserved_findings(size_t file_bytes) {
  return std::min(file_bytes / k_sarif_min_result_bytes, k_sarif_max_reserved_results);
}

util::Expected<SarifLog, util::ParseError> read_sarif(const ChunkSource& source, size_t file_bytes,
                                                      const std::function<bool()>& rewind) {
  bool read_again = false;
  if (rewind) {
    auto log = read_sarif_with<0>(source, file_bytes, read_again);
    if (!read_again) return log;
    if (!rewind()) return util::unexpected(util::ParseError{"read error", 0, 0});
  }
  return read_sarif_with<rapidjson::kParseValidateEncodingFlag>(source, file_bytes, read_again);
}

util::Expected<SarifLog, util::ParseError> parse_sarif(std::string_view bytes) {
  size_t at = 0;
  const ChunkSource source = [&](char* into, size_t size) {
    const size_t n = std::min(size, bytes.size() - at);
    std::copy_n(bytes.data() + at, n, into);
    at += n;
    return static_cast<long>(n);
  };
  return read_sarif(source, 0, [&] {
    at = 0;
    return true;
  });
}

bool looks_like_sarif(std::string_view head) {
  head = head.substr(0, 64 * 1024);
  return head.find("\"runs\"") != std::string_view::npos &&
         (head.find("\"version\"") != std::string_view::npos || head.find("sarif") != std::string_view::npos) &&
         head.find("\"tool\": \"tollgate\"") == std::string_view::npos && head.find("\"tool\":\"tollgate\"") == std::string_view::npos;
}

} // namespace tollgate::report
