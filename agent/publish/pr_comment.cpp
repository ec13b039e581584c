#include "publish/pr_comment.h"

#include <fmt/format.h>

#include "publish/limits.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

std::optional<github::ApiResponse> find_comment(github::Client& client, const std::string& comments_path,
                                                const std::string& marker) {
  for (const auto& c : client.get_all(comments_path + "?per_page=100", nullptr, 50)) {
    if (util::string_or(c, "body").find(marker) != std::string_view::npos) {
      github::ApiResponse found;
      found.status = 200;
      found.json.CopyFrom(c, found.json.GetAllocator());
      return found;
    }
  }
  return std::nullopt;
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
  if (auto existing = find_comment(client, comments_path, marker)) {
    const auto id = util::int_member(existing->json, "id").value_or(0);
    auto r = client.write_idempotent("PATCH", fmt::format("{}/issues/comments/{}", repo_path, id), body_json(body));
    return std::string(util::string_or(r.json, "html_url"));
  }
  auto r = client.write_once("POST", comments_path, body_json(body),
                             [&] { return find_comment(client, comments_path, marker); });
  return std::string(util::string_or(r.json, "html_url"));
}

} // namespace tollgate::publish
