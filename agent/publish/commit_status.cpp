#include "publish/commit_status.h"

#include <fmt/format.h>

#include "publish/limits.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

std::string description_of(const model::Outcome& outcome) {
  return util::truncate_chars(util::sanitize_utf8(outcome.title), k_status_description_chars);
}

} // namespace

std::string commit_status_body(const model::Outcome& outcome, const std::string& target_url) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  w.Key("state");
  w.String(outcome.conclusion == model::Conclusion::failure ? "failure" : "success");
  w.Key("context");
  util::write_string(w, outcome.status_context);
  w.Key("description");
  util::write_string(w, description_of(outcome));
  if (!target_url.empty()) {
    w.Key("target_url");
    util::write_string(w, target_url);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void publish_commit_status(github::Client& client, const std::string& repo_path, const std::string& sha,
                           const model::Outcome& outcome, const std::string& target_url) {
  const std::string description = description_of(outcome);
  const std::string state = outcome.conclusion == model::Conclusion::failure ? "failure" : "success";
  client.write_once("POST", fmt::format("{}/statuses/{}", repo_path, sha), commit_status_body(outcome, target_url),
                    [&]() -> std::optional<github::ApiResponse> {
                      // Newest first: the latest status of our context tells whether ours landed.
                      auto list = client.get(fmt::format("{}/commits/{}/statuses?per_page=100", repo_path, sha));
                      if (!list.json.IsArray()) return std::nullopt;
                      for (const auto& s : list.json.GetArray()) {
                        if (util::string_or(s, "context") != outcome.status_context) continue;
                        if (util::string_or(s, "state") == state && util::string_or(s, "description") == description) {
                          github::ApiResponse found;
                          found.status = 201;
                          found.json.CopyFrom(s, found.json.GetAllocator());
                          return found;
                        }
                        return std::nullopt;
                      }
                      return std::nullopt;
                    });
}

} // namespace tollgate::publish
