#include "publish/pr_comment.h"

#include <fmt/format.h>
#include <iostream>

#include "publish/limits.h"
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

} // namespace

std::string comment_marker(const std::string& check_name) {
  return fmt::format("<!-- tollgate:sticky:{} -->", util::short_hash(check_name));
}

std::string publish_sticky_comment(github::Client& client, const std::string& repo_path, int pull_request,
                                   const std::string& check_name, const std::string& markdown) {
  const std::string marker = comment_marker(check_name);
  static constexpr std::string_view k_note = "\n\n> [!NOTE]\n> Truncated: GitHub limits a comment to 65,536 characters.\n";
  std::string body = marker + "\n" + markdown;
  if (util::utf8_length(body) > k_comment_body_chars)
    body = util::truncate_chars(body, k_comment_body_chars - util::utf8_length(k_note), "") + std::string(k_note);
  const std::string comments_path = fmt::format("{}/issues/{}/comments", repo_path, pull_request);
  if (auto existing = find_comment(client, comments_path, marker, true)) {
    const auto id = util::int_member(existing->json, "id").value_or(0);
    auto r = client.write_idempotent("PATCH", fmt::format("{}/issues/comments/{}", repo_path, id), body_json(body));
    return std::string(util::string_or(r.json, "html_url"));
  }
  auto r = client.write_once("POST", comments_path, body_json(body),
                             [&] { return find_comment(client, comments_path, marker, false); });
  return std::string(util::string_or(r.json, "html_url"));
}

} // namespace tollgate::publish
