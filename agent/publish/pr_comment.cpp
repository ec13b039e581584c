#include "publish/pr_comment.h"

#include <fmt/format.h>
#include <cctype>
#include <iostream>

#include "publish/limits.h"
#include "util/error.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

// Only a comment the token's own identity wrote is Tollgate's: anyone can post the marker first.
// The identity's login cannot be learned up front (GET /user answers 403 "Resource not accessible
// by integration" to the GITHUB_TOKEN and other installation tokens:
// https://docs.github.com/rest/users/users#get-the-authenticated-user), but every comment the
// GITHUB_TOKEN writes is by the `github-actions[bot]` user of type "Bot", and a GitHub App's by
// its own "[bot]" user (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication):
// a person (type "User") cannot post as a Bot, so a marker in a non-bot comment is ignored, and
// said so once in the log.
std::optional<github::ApiResponse> find_comment(github::Client& client, const std::string& comments_path,
                                                const std::string& marker, bool say_ignored) {
  size_t ignored = 0;
  std::string ignored_login;
  std::optional<github::ApiResponse> found;
  for (const auto& c : client.get_all(comments_path + "?per_page=100", nullptr, 50)) {
    if (util::string_or(c, "body").find(marker) == std::string_view::npos) continue;
    const rapidjson::Value* user = util::member(c, "user");
    if (!user || util::string_or(*user, "type") != "Bot") {
      if (!ignored++ && user) ignored_login = util::string_or(*user, "login");
      continue;
    }
    found.emplace();
    found->status = 200;
    found->json.CopyFrom(c, found->json.GetAllocator());
    break;
  }
  if (ignored && say_ignored) {
    // The login is the commenter's text: one line, bounded; the log filter does the rest.
    std::string login = util::truncate_utf8(util::sanitize_utf8(ignored_login), 100);
    for (char& ch : login)
      if (ch == '\n' || ch == '\r') ch = ' ';
    std::cerr << fmt::format("tollgate: ignored {} comment(s) carrying Tollgate's marker by a non-bot user ({}{}): "
                             "only a comment by the token's bot user is edited\n",
                             ignored, login.empty() ? "unknown" : login, ignored > 1 ? ", …" : "");
  }
  return found;
}

std::string body_json(const std::string& body) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  w.Key("body");
  util::write_string(w, body);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// "93.33", "12", "-0.5": a step output that is a number (the counts and percentages), not a URL or a list.
bool is_number(std::string_view value) {
  if (value.empty() || value.size() > 32) return false;
  for (char c : value)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
  return true;
}

constexpr std::string_view k_digest_prefix = "<!-- tollgate:digest:";
constexpr std::string_view k_digest_suffix = " -->";

} // namespace

CommentMode parse_comment_mode(std::string_view text) {
  // "": `--comment` given without a value, as the earlier switch was.
  if (text == "always" || text == "true" || text.empty()) return CommentMode::always;
  if (text == "changes") return CommentMode::changes;
  if (text == "failures") return CommentMode::failures;
  if (text == "off" || text == "false") return CommentMode::off;
  throw util::InputError(fmt::format("--comment {}: expected always, changes, failures or off",
                                     util::sanitize_utf8(text.substr(0, 40))));
}

std::string comment_marker(const std::string& check_name) {
  return fmt::format("<!-- tollgate:sticky:{} -->", util::short_hash(check_name));
}

std::string comment_digest(const model::Outcome& outcome) {
  // Fields separated by a byte no field holds unescaped in a way that could shift them (\x1f).
  std::string text = fmt::format("{}\x1e", model::to_string(outcome.conclusion));
  for (const auto& g : outcome.gates)
    text += fmt::format("{}\x1f{:.2f}\x1f{}\x1f{}\x1e", g.name, g.threshold,
                        g.measured ? fmt::format("{:.2f}", g.actual) : "-", g.passed);
  for (const auto& [name, value] : outcome.outputs)
    if (is_number(value)) text += fmt::format("{}={}\x1e", name, value);
  model::for_each_finding(outcome, [&](const model::Finding& f) {
    if (f.level == model::Level::failure) text += fmt::format("{}:{}:{}\x1e", f.path, f.start_line, f.title);
    return true;
  });
  return util::short_hash(text);
}

std::string digest_in_body(std::string_view body, const std::string& marker) {
  if (body.substr(0, marker.size()) != marker || body.substr(marker.size(), 1) != "\n") return "";
  std::string_view line = body.substr(marker.size() + 1);
  line = line.substr(0, line.find('\n'));
  if (line.size() != k_digest_prefix.size() + 16 + k_digest_suffix.size() || line.substr(0, k_digest_prefix.size()) != k_digest_prefix ||
      line.substr(line.size() - k_digest_suffix.size()) != k_digest_suffix)
    return "";
  const std::string_view hex = line.substr(k_digest_prefix.size(), 16);
  for (char c : hex)
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) return "";
  return std::string(hex);
}

CommentResult publish_sticky_comment(github::Client& client, const std::string& repo_path, int pull_request,
                                     const model::Outcome& outcome, const std::string& markdown, CommentMode mode) {
  CommentResult result;
  if (mode == CommentMode::off) return result;
  const std::string marker = comment_marker(outcome.check_name);
  const std::string digest = comment_digest(outcome);
  static constexpr std::string_view k_note = "\n\n> [!NOTE]\n> Truncated: GitHub limits a comment to 65,536 characters.\n";
  std::string body = fmt::format("{}\n{}{}{}\n{}", marker, k_digest_prefix, digest, k_digest_suffix, markdown);
  if (util::utf8_length(body) > k_comment_body_chars)
    body = util::truncate_chars(body, k_comment_body_chars - util::utf8_length(k_note), "") + std::string(k_note);
  const std::string comments_path = fmt::format("{}/issues/{}/comments", repo_path, pull_request);
  const bool failed = outcome.conclusion == model::Conclusion::failure;
  if (auto existing = find_comment(client, comments_path, marker, true)) {
    result.url = std::string(util::string_or(existing->json, "html_url"));
    // `changes` and `failures` leave a comment alone whose verdict and numbers are those shown.
    if (mode != CommentMode::always && digest_in_body(util::string_or(existing->json, "body"), marker) == digest) {
      result.action = "unchanged";
      return result;
    }
    const auto id = util::int_member(existing->json, "id").value_or(0);
    auto r = client.write_idempotent("PATCH", fmt::format("{}/issues/comments/{}", repo_path, id), body_json(body));
    result.url = std::string(util::string_or(r.json, "html_url"));
    result.action = "updated";
    return result;
  }
  if (mode == CommentMode::failures && !failed) {
    result.action = "skipped";
    return result;
  }
  auto r = client.write_once("POST", comments_path, body_json(body),
                             [&] { return find_comment(client, comments_path, marker, false); });
  result.url = std::string(util::string_or(r.json, "html_url"));
  result.action = "created";
  return result;
}

} // namespace tollgate::publish
