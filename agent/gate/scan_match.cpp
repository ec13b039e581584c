#include "gate/scan_match.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <unordered_map>

#include "util/text.h"

namespace tollgate::gate {

namespace {

using model::ScanFinding;

// Both carry a fingerprint of one key with different values: the tool says they differ.
bool fingerprints_conflict(const ScanFinding& a, const ScanFinding& b) {
  for (const auto& [key, value] : a.fingerprints)
    for (const auto& [other_key, other_value] : b.fingerprints)
      if (key == other_key && value != other_value) return true;
  return false;
}

// Indices by path, then line: the n-th of equal keys in a file pairs with the n-th.
std::vector<size_t> in_line_order(const std::vector<ScanFinding>& findings) {
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(findings[a].path, findings[a].start_line) < std::tie(findings[b].path, findings[b].start_line);
  });
  return order;
}

std::string identity(const ScanFinding& f) {
  std::string key = f.tool.str();
  key += '\0';
  key += f.rule_id;
  return key;
}

// Both sides in line order (in_line_order), sorted once for every pass.
struct Sides {
  std::vector<ScanFinding>& head;
  const std::vector<ScanFinding>& base;
  std::vector<bool> head_done, base_done;
  std::vector<size_t> head_order, base_order;
};

// One pass: head findings not yet matched look up unmatched base findings by `key`; an empty key
// takes no part. Base findings with one key are taken in their order (the n-th for the n-th).
template <class HeadKey, class BaseKey>
size_t match_pass(Sides& sides, HeadKey head_key, BaseKey base_key) {
  std::vector<ScanFinding>& head = sides.head;
  const std::vector<ScanFinding>& base = sides.base;
  std::vector<bool>& head_done = sides.head_done;
  std::vector<bool>& base_done = sides.base_done;
  std::unordered_map<std::string, std::vector<size_t>> by_key;
  const std::vector<size_t>& base_order = sides.base_order;
  for (auto it = base_order.rbegin(); it != base_order.rend(); ++it) {
    const size_t i = *it;
    if (base_done[i]) continue;
    std::string key = base_key(base[i]);
    if (!key.empty()) by_key[std::move(key)].push_back(i); // reversed: back() is the first
  }
  size_t matched = 0;
  for (const size_t i : sides.head_order) {
    if (head_done[i]) continue;
    const std::string key = head_key(head[i]);
    if (key.empty()) continue;
    const auto it = by_key.find(key);
    if (it == by_key.end()) continue;
    auto& candidates = it->second;
    for (size_t c = candidates.size(); c-- > 0;) {
      const size_t b = candidates[c];
      if (fingerprints_conflict(head[i], base[b])) continue;
      candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(c));
      head_done[i] = base_done[b] = true;
      head[i].state = model::ScanState::unchanged;
      ++matched;
      break;
    }
  }
  return matched;
}

} // namespace

ScanComparison compare_scans(std::vector<ScanFinding>& head, const std::vector<ScanFinding>& base) {
  ScanComparison out;
  Sides sides{head, base, std::vector<bool>(head.size()), std::vector<bool>(base.size()), in_line_order(head),
              in_line_order(base)};
  for (auto& f : head) f.state = model::ScanState::new_finding;

  // Pass 1, once per fingerprint key a finding carries.
  std::vector<util::Interned> keys;
  for (const auto& f : head)
    for (const auto& fp : f.fingerprints) keys.push_back(fp.first);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const auto& fp_key : keys) {
    const auto key_of = [&](const ScanFinding& f) {
      for (const auto& [key, value] : f.fingerprints)
        if (key == fp_key) return identity(f) + '\0' + value;
      return std::string();
    };
    out.by_fingerprint += match_pass(sides, key_of, key_of);
  }
  const auto by_context = [](const ScanFinding& f) {
    return f.context_hash.empty() ? std::string() : identity(f) + '\0' + f.path.str() + '\0' + std::string(f.context_hash.view());
  };
  out.by_context += match_pass(sides, by_context, by_context);
  // Pass 3: a finding without a context hash on either side, by its message.
  const auto by_message = [](const ScanFinding& f) { return identity(f) + '\0' + f.path.str() + '\0' + f.message; };
  const auto without_context = [&](const ScanFinding& f) { return f.context_hash.empty() ? by_message(f) : std::string(); };
  out.by_message += match_pass(sides, without_context, by_message);
  out.by_message += match_pass(sides, by_message, without_context);
  for (size_t i = 0; i < base.size(); ++i) {
    if (sides.base_done[i] || !base[i].counts()) continue;
    ScanFinding fixed = base[i];
    fixed.state = model::ScanState::fixed;
    out.fixed.push_back(std::move(fixed));
  }
  return out;
}

size_t drop_duplicates(std::vector<ScanFinding>& findings) {
  // A hash of the fields that make a repeat, then an exact comparison among equal hashes: no key
  // string per finding (a hundred thousand findings made as many strings of their messages).
  const auto fields = [](const ScanFinding& f) {
    return std::tie(f.tool, f.rule_id, f.uri, f.message, f.start_line, f.start_column);
  };
  const auto hash_of = [](const ScanFinding& f) {
    size_t seed = 0;
    for (const size_t part : {f.tool.identity(), f.rule_id.identity(), f.uri.identity(), std::hash<std::string_view>{}(f.message),
                              (static_cast<size_t>(static_cast<uint32_t>(f.start_line)) << 32) | static_cast<uint32_t>(f.start_column)})
      seed ^= part + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  };
  std::vector<std::pair<size_t, size_t>> by_hash(findings.size()); // (hash, index)
  for (size_t i = 0; i < findings.size(); ++i) by_hash[i] = {hash_of(findings[i]), i};
  // By hash, then (only where hashes are equal) by the fields, then in input order: the first of
  // each run of equal findings is kept. Crafted collisions cost comparisons, never a quadratic.
  std::sort(by_hash.begin(), by_hash.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    const auto fa = fields(findings[a.second]), fb = fields(findings[b.second]);
    if (fa != fb) return fa < fb;
    return a.second < b.second;
  });
  std::vector<bool> repeated(findings.size());
  size_t count = 0;
  for (size_t k = 1; k < by_hash.size(); ++k) {
    const auto& [hash, i] = by_hash[k];
    if (hash == by_hash[k - 1].first && fields(findings[i]) == fields(findings[by_hash[k - 1].second])) {
      repeated[i] = true;
      ++count;
    }
  }
  if (count == 0) return 0;
  size_t kept = 0;
  for (size_t i = 0; i < findings.size(); ++i)
    if (!repeated[i]) {
      if (kept != i) findings[kept] = std::move(findings[i]);
      ++kept;
    }
  findings.erase(findings.begin() + static_cast<std::ptrdiff_t>(kept), findings.end());
  return count;
}

model::ContextHash context_hash(std::string_view text, size_t lines) {
  lines = std::clamp<size_t>(lines, 1, k_max_context_lines);
  std::string kept;
  size_t line = 1;
  for (const char c : text) {
    if (c == '\n') {
      if (line >= lines && kept.size() >= k_min_context_chars) break;
      if (++line > k_max_context_lines) break;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') continue;
    kept += c;
    if (kept.size() >= k_context_chars) break;
  }
  if (kept.empty()) return {};
  return model::ContextHash::from(util::short_hash(kept)).value();
}

} // namespace tollgate::gate
