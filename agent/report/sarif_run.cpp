#include "report/sarif_run.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <unordered_map>

#include "report/sarif_limits.h"
#include "util/text.h"

namespace tollgate::report {

namespace {

std::optional<model::ScanSeverity> level_severity(std::string_view level) {
  if (level == "error") return model::ScanSeverity::error;
  if (level == "warning") return model::ScanSeverity::warning;
  if (level == "note") return model::ScanSeverity::note;
  if (level == "none") return model::ScanSeverity::none;
  return std::nullopt;
}

// A security-severity as written: a number or a string holding one ("9.8"). nullopt otherwise.
std::optional<double> score_value(std::string_view text) {
  const std::string s(util::trim(text));
  if (s.empty() || s.size() > 32) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool has_scheme(std::string_view uri) {
  // RFC 3986 scheme: a letter, then letters, digits, + - .; a single letter is a drive (C:).
  const size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon < 2) return false;
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    const char c = uri[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

std::string join_uri(std::string_view base, std::string_view relative) {
  std::string out(base);
  if (!out.empty() && out.back() != '/') out += '/';
  while (util::starts_with(relative, "./")) relative.remove_prefix(2);
  out += relative;
  return out;
}

class RunDecider {
public:
  RunDecider(SarifRunState& run, SarifLog& log) : m_run(run), m_log(log), m_tool(run.info.tool) {
    // What a rule gives its findings, interned once per rule rather than once per finding.
    const auto shown = [](SarifRule& r) {
      r.shown_id = r.id;
      r.shown_name = !r.name.empty() ? r.name : r.short_description;
      if (util::starts_with(r.help_uri, "https://") || util::starts_with(r.help_uri, "http://")) r.shown_help = r.help_uri;
    };
    for (auto& r : run.driver_rules) {
      shown(r);
      m_by_id.emplace(r.shown_id, &r);
    }
    for (auto& [index, rules] : run.extension_rules)
      for (auto& r : rules) {
        shown(r);
        m_by_id.emplace(r.shown_id, &r);
      }
  }

  void decide(SarifPendingResult& res, model::ScanFinding& f) {
    f.tool = m_tool;
    const SarifRule* rule = find_rule(res);
    if (rule && (res.rule_id.empty() || res.rule_id == rule->id)) f.rule_id = rule->shown_id;
    else f.rule_id = res.rule_id;
    if (rule) {
      f.rule_name = rule->shown_name;
      f.help_uri = rule->shown_help;
    }
    SeverityInputs in;
    in.result_score = res.score;
    in.rule_score = rule ? std::string_view(rule->score) : "";
    in.tag_severity = res.tag_severity ? res.tag_severity : rule ? rule->text_severity : std::nullopt;
    in.result_level = res.level;
    in.rule_level = rule ? std::string_view(rule->default_level) : "";
    SeverityDecision d = severity_of(in);
    f.severity = d.severity;
    f.security_severity = d.score;
    if (!d.note.empty()) note(d.note);
    if (f.kind.empty()) f.kind = model::fail_kind();

    substitute_arguments(f.message, res.arguments);
    if (f.message.empty()) {
      f.message = rule ? rule->short_description : "";
      note("results without message.text (the rule's description shown)");
    }
    f.uri = location_of(res.location);
    if (f.start_line <= 0) f.start_line = f.end_line = 0;
    f.end_line = std::max(f.start_line, f.end_line);
    if (f.uri.empty()) note("results without a physical location (shown without a line)");
    else if (f.start_line == 0) note("results without a region, or a region of zeros (shown on no line)");

    if (res.suppressions_present && res.suppressions == 0) note("empty suppressions arrays (not suppressed)");
    if (res.suppressions > 0 && !res.suppression_contested) {
      f.suppression = model::Suppression::sarif;
      f.suppression_reason = res.justification.empty() ? "suppressed in the SARIF log" : res.justification;
    }
    std::sort(f.fingerprints.begin(), f.fingerprints.end());
  }

private:
  void note(const std::string& what) { ++m_log.notes[what]; }

  const SarifRule* find_rule(const SarifPendingResult& res) {
    const std::vector<SarifRule>* list = &m_run.driver_rules;
    if (res.component_index) {
      const auto it = m_run.extension_rules.find(*res.component_index);
      if (it != m_run.extension_rules.end()) list = &it->second;
      else note("rule.toolComponent.index naming no tool extension (the driver's rules used)");
    }
    const SarifRule* by_index = nullptr;
    if (res.rule_index) {
      if (*res.rule_index < static_cast<int64_t>(list->size())) by_index = &(*list)[static_cast<size_t>(*res.rule_index)];
      else note(res.rule_id.empty() ? "ruleIndex past the end of the rules (no rule)"
                                    : "ruleIndex past the end of the rules (ruleId trusted)");
    }
    if (res.rule_id.empty()) return by_index;
    if (by_index && by_index->id == res.rule_id) return by_index;
    if (by_index) note("ruleIndex pointing at another rule than ruleId (ruleId trusted)");
    if (const auto it = m_by_id.find(res.rule_id); it != m_by_id.end()) return it->second;
    // A hierarchical ruleId ("CA2000/1") names the rule before the first '/' (SARIF §3.27.5).
    if (const size_t slash = res.rule_id.view().find('/'); slash != std::string_view::npos)
      if (const auto it = m_by_id.find(util::Interned(res.rule_id.view().substr(0, slash))); it != m_by_id.end())
        return it->second;
    if (!m_run.driver_rules.empty() || !m_run.extension_rules.empty()) note("ruleIds naming no rule of the run");
    return nullptr;
  }

  // The result's URI with its uriBaseId chain resolved, as a path ("" when it has none). A run's
  // results name a few hundred files a hundred thousand times: each (base, uri) is resolved once
  // (within k_sarif_max_cached_locations; hostile input past it is resolved each time).
  util::Interned location_of(const SarifArtifactLocation& written) {
    util::Interned uri = written.uri, base = written.base_id;
    if (uri.empty() && written.index) {
      if (*written.index >= 0 && *written.index < static_cast<int64_t>(m_run.artifacts.size())) {
        const auto& a = m_run.artifacts[static_cast<size_t>(*written.index)];
        uri = a.uri;
        if (base.empty()) base = a.base_id;
      } else {
        note("artifactLocation.index past the end of the artifacts (no location)");
      }
    }
    if (uri.empty()) return {};
    const LocationKey key{base, uri};
    if (const auto it = m_locations.find(key); it != m_locations.end()) {
      if (!it->second.note.empty()) note(it->second.note);
      return it->second.path;
    }
    ResolvedLocation resolved = resolve(uri.str(), base.str());
    if (!resolved.note.empty()) note(resolved.note);
    if (m_locations.size() >= k_sarif_max_cached_locations) return resolved.path;
    return m_locations.emplace(key, std::move(resolved)).first->second.path;
  }

  struct ResolvedLocation {
    util::Interned path;
    std::string note; // counted each time the location is named
  };

  ResolvedLocation resolve(std::string uri, std::string base) const {
    ResolvedLocation out;
    for (size_t depth = 0; !base.empty() && depth < k_sarif_max_base_chain; ++depth) {
      if (has_scheme(uri) || util::starts_with(uri, "/")) break;
      const auto it = m_run.base_ids.find(base);
      if (it == m_run.base_ids.end() || it->second.uri.empty()) {
        // %SRCROOT% (and any base the log leaves to the consumer) is the checkout's root.
        if (base != "%SRCROOT%" && base != "SRCROOT" && it == m_run.base_ids.end())
          out.note = fmt::format("uriBaseId \"{}\" never defined (taken as the workspace root)", util::truncate_utf8(base, 60));
        break;
      }
      uri = join_uri(it->second.uri, uri);
      base = it->second.base_id.str();
    }
    out.path = sarif_uri_to_path(uri);
    return out;
  }

  static void substitute_arguments(std::string& message, const std::vector<std::string>& arguments) {
    if (arguments.empty() || message.find('{') == std::string::npos) return;
    std::string out;
    for (size_t i = 0; i < message.size(); ++i) {
      const size_t close = message[i] == '{' ? message.find('}', i) : std::string::npos;
      if (close != std::string::npos && close > i + 1 && close - i <= 3) {
        const std::string digits = message.substr(i + 1, close - i - 1);
        if (digits.find_first_not_of("0123456789") == std::string::npos) {
          const size_t n = std::stoul(digits);
          if (n < arguments.size()) {
            out += arguments[n];
            i = close;
            continue;
          }
        }
      }
      out += message[i];
    }
    message = util::truncate_utf8(out, k_sarif_max_message_bytes);
  }

  SarifRunState& m_run;
  SarifLog& m_log;
  const util::Interned m_tool;
  using LocationKey = std::pair<util::Interned, util::Interned>; // base id, uri
  struct LocationHash {
    size_t operator()(const LocationKey& k) const { return k.first.identity() * 31 + k.second.identity(); }
  };
  std::unordered_map<util::Interned, const SarifRule*> m_by_id; // the first rule of each id
  std::unordered_map<LocationKey, ResolvedLocation, LocationHash> m_locations;
};

} // namespace

void finish_sarif_run(SarifRunState& run, SarifLog& log) {
  RunDecider decider(run, log);
  run.info.results = run.results.size();
  for (size_t i = run.first_finding; !run.results.empty(); ++i) {
    decider.decide(run.results.front(), log.findings[i]);
    run.results.pop_front();
  }
  log.runs.push_back(run.info);
}

std::string sarif_uri_to_path(std::string_view uri) {
  if (util::starts_with(uri, "file://")) {
    uri.remove_prefix(7);
    // file://host/path: the host ("localhost" or a machine's name) is not part of the path.
    if (!uri.empty() && uri.front() != '/') {
      const size_t slash = uri.find('/');
      uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
    }
    // file:///C:/src/x.cs is a Windows path.
    if (uri.size() > 3 && uri[0] == '/' && std::isalpha(static_cast<unsigned char>(uri[1])) && uri[2] == ':') uri.remove_prefix(1);
  } else if (util::starts_with(uri, "file:")) {
    uri.remove_prefix(5);
  } else if (has_scheme(uri)) {
    return std::string(uri);
  }
  std::string out;
  out.reserve(uri.size());
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break; // a query or fragment is not part of a file's path
    } else {
      out += uri[i];
    }
  }
  return util::sanitize_utf8(out);
}

SeverityDecision severity_of(const SeverityInputs& in) {
  SeverityDecision d;
  for (std::string_view score : {in.result_score, in.rule_score}) {
    if (score.empty()) continue;
    const auto v = score_value(score);
    if (!v) {
      d.note = "security-severity values that are not numbers (ignored)";
      continue;
    }
    if (*v > 0) {
      d.score = *v;
      d.severity = model::severity_from_score(*v);
      return d;
    }
  }
  if (in.tag_severity) {
    d.severity = *in.tag_severity;
    d.note = "severity read from tags or rule descriptions (no security-severity)";
    return d;
  }
  for (std::string_view level : {in.result_level, in.rule_level}) {
    if (level.empty()) continue;
    if (const auto s = level_severity(level)) {
      d.severity = *s;
      return d;
    }
    d.note = "levels other than error, warning, note, none (ignored)";
  }
  d.severity = model::ScanSeverity::warning; // SARIF §3.27.10: absent everywhere means warning
  return d;
}

std::optional<model::ScanSeverity> severity_in_text(std::string_view text) {
  std::string lower(text.substr(0, 4096));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto word = [](std::string_view w) -> std::optional<model::ScanSeverity> {
    for (auto s : {model::ScanSeverity::critical, model::ScanSeverity::high, model::ScanSeverity::medium, model::ScanSeverity::low})
      if (w == model::to_string(s)) return s;
    if (w == "moderate") return model::ScanSeverity::medium; // npm audit, GitHub advisories
    return std::nullopt;
  };
  if (const auto whole = word(util::trim(lower))) return whole;
  // "Severity: HIGH", "severity=critical", "security-severity:low".
  for (size_t at = lower.find("severity"); at != std::string::npos; at = lower.find("severity", at + 1)) {
    size_t i = at + 8;
    while (i < lower.size() && (lower[i] == ' ' || lower[i] == ':' || lower[i] == '=' || lower[i] == '*')) ++i;
    if (i == at + 8) continue;
    size_t j = i;
    while (j < lower.size() && std::isalpha(static_cast<unsigned char>(lower[j]))) ++j;
    if (const auto s = word(std::string_view(lower).substr(i, j - i))) return s;
  }
  return std::nullopt;
}

} // namespace tollgate::report
