#pragma once
// matchingUrlPattern as lhci evaluates it: `new RegExp(pattern).test(lhr.finalUrl)` — JavaScript
// syntax, no flags (so not Unicode mode: Annex B's lenient reading applies). Tollgate evaluates it
// with RE2 (linear time, whatever the pattern) after translating the JavaScript constructs RE2
// reads identically; a construct RE2 cannot evaluate the same way (lookahead, lookbehind,
// backreferences, \p{...} without the u flag) is an error naming it, never a different verdict.
#include <memory>
#include <string>
#include <string_view>

#include "util/expected.h"

namespace re2 {
class RE2;
}

namespace tollgate::gate {

// The RE2 pattern that matches what the JavaScript RegExp matches on ASCII text, or an error
// naming the construct that has no such translation.
util::Expected<std::string, std::string> js_regex_to_re2(std::string_view source);

class UrlPattern {
public:
  // Translates and compiles; the error is lhci's wording for a bad pattern or names the
  // construct Tollgate does not evaluate.
  static util::Expected<UrlPattern, std::string> compile(const std::string& source);
  // RegExp.prototype.test: unanchored. JavaScript matches UTF-16 code units, RE2 UTF-8 code
  // points: on a URL with non-ASCII characters the two can differ, so that is an error too
  // (Lighthouse's finalUrl is percent-encoded ASCII).
  util::Expected<bool, std::string> test(std::string_view url) const;

private:
  std::shared_ptr<const re2::RE2> m_re;
  std::string m_source;
};

} // namespace tollgate::gate
