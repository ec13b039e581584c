#include "report/lighthouserc.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <unordered_map>
#include <yaml-cpp/yaml.h>

#include "util/json.h"
#include "util/text.h"
#include "util/yaml.h"

namespace tollgate::report {

using model::RcMember;

namespace {

using model::RcValue;

// Builds an RcValue tree from RapidJSON events, with the line of every key and value.
class RcJsonHandler {
public:
  RcJsonHandler(std::string_view text, const rapidjson::MemoryStream& stream) : m_text(text), m_stream(stream) {}

  bool Null() { return put(RcValue{}); }
  bool Bool(bool b) {
    RcValue v;
    v.type = RcValue::Type::boolean;
    v.boolean = b;
    return put(std::move(v));
  }
  bool Int(int i) { return put(RcValue::number_value(i)); }
  bool Uint(unsigned u) { return put(RcValue::number_value(u)); }
  bool Int64(int64_t i) { return put(RcValue::number_value(static_cast<double>(i))); }
  bool Uint64(uint64_t u) { return put(RcValue::number_value(static_cast<double>(u))); }
  bool Double(double d) { return put(RcValue::number_value(d)); }
  // Numbers arrive as text (kParseNumbersAsStringsFlag) and are read with strtod, which rounds
  // correctly as JavaScript's Number() does; RapidJSON 1.1.0's own full-precision path is
  // undefined behaviour on inputs like 0E61 (found by the budgets fuzz target).
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return put(RcValue::number_value(util::json_number(s, n))); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return put(RcValue::string_value(std::string(s, n))); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    m_keys.back().assign(s, n);
    m_key_lines.back() = line_now();
    return true;
  }
  bool StartObject() { return open(RcValue::object_value()); }
  bool StartArray() { return open(RcValue::array_value()); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool too_deep() const { return m_too_deep; }
  RcValue take() { return std::move(m_root); }

private:
  int line_now() {
    const size_t offset = std::min(m_stream.Tell(), m_text.size());
    for (; m_counted < offset; ++m_counted)
      if (m_text[m_counted] == '\n') ++m_line;
    return m_line;
  }

  bool open(RcValue v) {
    if (m_open.size() >= util::k_max_json_depth) {
      m_too_deep = true;
      return false;
    }
    v.line = line_now();
    m_open.push_back(std::move(v));
    m_keys.emplace_back();
    m_key_lines.push_back(0);
    return true;
  }

  bool close() {
    RcValue done = std::move(m_open.back());
    m_open.pop_back();
    m_keys.pop_back();
    m_key_lines.pop_back();
    return attach(std::move(done));
  }

  bool put(RcValue v) {
    v.line = line_now();
    return attach(std::move(v));
  }

  bool attach(RcValue v) {
    if (m_open.empty()) {
      m_root = std::move(v);
      return true;
    }
    RcValue& parent = m_open.back();
    if (parent.is_array()) parent.items.push_back(std::move(v));
    else parent.set(m_keys.back(), std::move(v), m_key_lines.back());
    return true;
  }

  std::string_view m_text;
  const rapidjson::MemoryStream& m_stream;
  size_t m_counted = 0;
  int m_line = 1;
  RcValue m_root;
  std::vector<RcValue> m_open;
  std::vector<std::string> m_keys;
  std::vector<int> m_key_lines;
  bool m_too_deep = false;
};

util::Expected<RcValue, util::ParseError> parse_json_rc(std::string_view bytes) {
  rapidjson::MemoryStream stream(bytes.data(), bytes.size());
  RcJsonHandler handler(bytes, stream);
  rapidjson::Reader reader;
  const rapidjson::ParseResult ok =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                   rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag>(stream, handler);
  if (!ok) {
    if (handler.too_deep())
      return util::unexpected(util::error_at(bytes, ok.Offset(), "nesting deeper than " +
                                                                     std::to_string(util::k_max_json_depth) + " levels"));
    return util::unexpected(util::error_at(bytes, ok.Offset(), rapidjson::GetParseError_En(ok.Code())));
  }
  // On success the result's offset is 0: where parsing stopped is the stream's position.
  size_t rest = stream.Tell();
  while (rest < bytes.size() && util::is_json_blank(bytes[rest])) ++rest;
  if (rest != bytes.size()) return util::unexpected(util::error_at(bytes, rest, "unexpected data after the JSON value"));
  return handler.take();
}

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

bool all_of(std::string_view s, const char* allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// js-yaml 3's default schema for plain (unquoted) scalars: null, bool, int, float; the rest are
// strings.
RcValue resolve_plain_scalar(const std::string& s) {
  RcValue v;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return v;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    v.type = RcValue::Type::boolean;
    v.boolean = s[0] == 't' || s[0] == 'T';
    return v;
  }
  std::string_view body = s;
  double sign = 1;
  if (body[0] == '-' || body[0] == '+') {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  const auto number = [&](double n) { return RcValue::number_value(sign * n); };
  // Digits in a base, accumulated as a double like JavaScript's parseInt (js-yaml's reading):
  // never out of range, however long (std::stoull threw on hostile input: fuzz regression).
  const auto value_in_base = [](const std::string& digits, int base) {
    double n = 0;
    for (char c : digits) {
      const int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      n = n * base + d;
    }
    return n;
  };
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'b')) {
    const std::string digits = without_underscores(body.substr(2));
    if (body[1] == 'x' && all_of(digits, "0123456789abcdefABCDEF")) return number(value_in_base(digits, 16));
    if (body[1] == 'b' && all_of(digits, "01")) return number(value_in_base(digits, 2));
  }
  if (body.size() > 1 && body[0] == '0' && all_of(body, "01234567_")) {
    const std::string digits = without_underscores(body);
    if (!digits.empty()) return number(value_in_base(digits, 8));
  }
  if (all_of(body, "0123456789_") && body[0] != '_') return number(std::strtod(without_underscores(body).c_str(), nullptr));
  if (body == ".inf" || body == ".Inf" || body == ".INF") return number(std::numeric_limits<double>::infinity());
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return RcValue::number_value(std::nan(""));
  // Floats: digits with one '.', an optional exponent; underscores allowed in the digits.
  {
    const std::string f = without_underscores(body);
    size_t i = 0, digits = 0;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i, ++digits;
    bool dot = i < f.size() && f[i] == '.';
    if (dot) {
      ++i;
      while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i, ++digits;
    }
    bool ok = digits > 0 && (dot || (i < f.size() && (f[i] == 'e' || f[i] == 'E')));
    if (ok && i < f.size()) {
      ok = f[i] == 'e' || f[i] == 'E';
      ++i;
      if (i < f.size() && (f[i] == '+' || f[i] == '-')) ++i;
      const size_t exp_start = i;
      while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
      ok = ok && i > exp_start && i == f.size();
    }
    if (ok && body[0] != '_') return number(std::strtod(f.c_str(), nullptr));
  }
  return RcValue::string_value(s);
}

// An object built key by key, looking keys up in a hash (a mapping may hold thousands of keys).
class ObjectBuilder {
public:
  explicit ObjectBuilder(RcValue& into) : m_into(into) {}
  // Sets a key (a later key replaces the value and keeps the position, as in JavaScript).
  void set(const std::string& key, RcValue value, int key_line) {
    const auto [it, inserted] = m_index.emplace(key, m_into.members.size());
    if (inserted) m_into.members.push_back({key, std::move(value), key_line});
    else m_into.members[it->second] = {key, std::move(value), key_line};
  }
  // js-yaml's mergeMappings: the source's keys the mapping does not have yet.
  void merge(const RcValue& source, const YAML::Node& at) {
    if (!source.is_object())
      throw YAML::ParserException(at.Mark(), "cannot merge mappings; the provided source object is unacceptable");
    for (const auto& m : source.members)
      if (!m_index.count(m.key)) set(m.key, m.value, m.key_line);
  }

private:
  RcValue& m_into;
  std::unordered_map<std::string, size_t> m_index;
};

RcValue from_yaml(const YAML::Node& node, size_t depth) {
  if (depth > util::k_max_json_depth) throw YAML::ParserException(node.Mark(), "nesting too deep");
  const int line = static_cast<int>(node.Mark().line) + 1;
  RcValue v;
  switch (node.Type()) {
  case YAML::NodeType::Scalar:
    v = node.Tag() == "?" ? resolve_plain_scalar(node.Scalar()) : RcValue::string_value(node.Scalar());
    break;
  case YAML::NodeType::Sequence:
    v = RcValue::array_value();
    for (const auto& item : node) v.items.push_back(from_yaml(item, depth + 1));
    break;
  case YAML::NodeType::Map: {
    v = RcValue::object_value();
    // A key a merge (`<<: *defaults`) brought in may be overridden by a key written later; a key
    // written twice is refused before this (util::check_yaml), as js-yaml refuses it.
    ObjectBuilder object(v);
    for (auto it = node.begin(); it != node.end(); ++it) {
      // Copies: `it->` yields a temporary proxy, so a reference into it (a range-for over
      // it->second) would dangle.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<") {
        if (value.IsSequence()) {
          // js-yaml: "abnormal merge sequence size" past 100 sources.
          if (value.size() > 100) throw YAML::ParserException(value.Mark(), "abnormal merge sequence size");
          for (const auto& source : value) object.merge(from_yaml(source, depth + 1), source);
        } else {
          object.merge(from_yaml(value, depth + 1), value);
        }
        continue;
      }
      object.set(key.Scalar(), from_yaml(value, depth + 1), static_cast<int>(key.Mark().line) + 1);
    }
    break;
  }
  default: break;
  }
  v.line = line;
  return v;
}

util::Expected<RcValue, util::ParseError> parse_yaml_rc(std::string_view bytes) {
  auto node = util::load_yaml(bytes);
  if (!node) return util::unexpected(node.error());
  try {
    return from_yaml(*node, 0);
  } catch (const YAML::Exception& e) {
    return util::unexpected(util::ParseError{e.msg, static_cast<size_t>(e.mark.line + 1), static_cast<size_t>(e.mark.column + 1)});
  }
}

std::string to_camel_case(std::string_view key) {
  std::string out;
  bool upper = false;
  for (char c : key) {
    if (c == '-' || c == '_') {
      upper = !out.empty();
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// yargs-parser's setConfigObject for one value: nested objects are walked member by member and
// vanish when nothing in them is set.
std::optional<RcValue> yargs_value(const RcValue& value) {
  if (!value.is_object()) return value;
  RcValue out = RcValue::object_value(value.line);
  for (const auto& m : value.members)
    if (auto inner = yargs_value(m.value)) out.set(m.key, std::move(*inner), m.key_line);
  if (out.members.empty()) return std::nullopt;
  return out;
}

} // namespace

const std::vector<std::string>& rc_file_names() {
  static const std::vector<std::string> names = {
      ".lighthouserc.cjs", "lighthouserc.cjs", ".lighthouserc.js", "lighthouserc.js", ".lighthouserc.json",
      "lighthouserc.json", ".lighthouserc.yml", "lighthouserc.yml", ".lighthouserc.yaml", "lighthouserc.yaml",
  };
  return names;
}

RcSyntax rc_syntax_for(std::string_view file_name) {
  std::string lower;
  for (char c : file_name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (util::ends_with(lower, ".js") || util::ends_with(lower, ".cjs")) return RcSyntax::javascript;
  if (util::ends_with(lower, ".yml") || util::ends_with(lower, ".yaml")) return RcSyntax::yaml;
  return RcSyntax::json;
}

util::Expected<RcValue, util::ParseError> parse_rc_value(std::string_view bytes, RcSyntax syntax) {
  switch (syntax) {
  case RcSyntax::yaml: return parse_yaml_rc(bytes);
  case RcSyntax::json: return parse_json_rc(bytes);
  case RcSyntax::javascript: break;
  }
  return util::unexpected(util::ParseError{
      "JavaScript lighthouserc files are not read (Tollgate does not run JavaScript); write the same settings as "
      "lighthouserc.json or .lighthouserc.yml",
      0, 0});
}

void replace_dots_in_keys(RcValue& value) {
  for (auto& item : value.items) replace_dots_in_keys(item);
  if (!value.is_object()) return;
  std::vector<std::string> keys;
  for (const auto& m : value.members) keys.push_back(m.key);
  for (const auto& key : keys) {
    RcValue* inner = value.find(key);
    if (!inner) continue;
    replace_dots_in_keys(*inner);
    if (key.find('.') == std::string::npos) continue;
    const RcMember* member = value.find_member(key);
    RcValue moved = member->value;
    const int key_line = member->key_line;
    std::string renamed = key;
    for (char& c : renamed)
      if (c == '.') c = ':';
    value.erase(key);
    value.set(std::move(renamed), std::move(moved), key_line);
  }
}

RcOptions flatten_rc(const RcValue& rc) {
  RcOptions out;
  if (!rc.is_object()) return out;
  // flattenRcToConfig: {...rc.ci, ...rc.lhci, ...omit(rc['ci:client'], ['server']), ...pick(rc['ci:server'], ['server'])}
  RcValue ci = RcValue::object_value();
  const auto spread = [](RcValue& into, const RcValue* from, auto keep) {
    if (!from || !from->is_object()) return;
    for (const auto& m : from->members)
      if (keep(m.key)) into.set(m.key, m.value, m.key_line);
  };
  const auto everything = [](const std::string&) { return true; };
  spread(ci, rc.find("ci"), everything);
  spread(ci, rc.find("lhci"), everything);
  spread(ci, rc.find("ci:client"), [](const std::string& k) { return k != "server"; });
  spread(ci, rc.find("ci:server"), [](const std::string& k) { return k == "server"; });
  // convertRcFileToYargsOptions: {...ci.wizard, ...ci.assert, ...ci.collect, ...ci.upload, ...ci.server}
  for (const char* section : {"wizard", "assert", "collect", "upload", "server"}) spread(out.options, ci.find(section), everything);
  if (const RcMember* extends = ci.find_member("extends"); extends && extends->value.is_string() && !extends->value.text.empty()) {
    out.extends = extends->value.text;
    out.extends_line = extends->key_line;
  }
  return out;
}

RcValue as_yargs_options(const RcValue& options) {
  RcValue out = RcValue::object_value(options.line);
  for (const auto& m : options.members) {
    auto value = yargs_value(m.value);
    if (!value) continue;
    if (m.key.find('-') != std::string::npos) out.set(to_camel_case(m.key), *value, m.key_line);
    out.set(m.key, std::move(*value), m.key_line);
  }
  return out;
}

} // namespace tollgate::report
