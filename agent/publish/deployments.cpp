#include "publish/deployments.h"

#include "publish/limits.h"
#include "util/json.h"
#include "util/text.h"

#include <ctime>
#include <fmt/format.h>

namespace tollgate::publish {

Deployment parse_deployment(const rapidjson::Value& v) {
  Deployment d;
  d.id = util::int_member(v, "id").value_or(0);
  d.sha = std::string(util::string_or(v, "sha"));
  d.ref = std::string(util::string_or(v, "ref"));
  d.environment = std::string(util::string_or(v, "environment"));
  d.created_at = std::string(util::string_or(v, "created_at"));
  return d;
}

namespace {

DeploymentStatus status_of(const rapidjson::Value& v) {
  DeploymentStatus s;
  s.id = util::int_member(v, "id").value_or(0);
  s.state = std::string(util::string_or(v, "state"));
  s.description = std::string(util::string_or(v, "description"));
  s.log_url = std::string(util::string_or(v, "log_url"));
  s.environment_url = std::string(util::string_or(v, "environment_url"));
  s.created_at = std::string(util::string_or(v, "created_at"));
  return s;
}

std::string description_of(const DeploymentStatusRequest& r) {
  return util::truncate_chars(util::sanitize_utf8(r.description), k_deployment_description_chars);
}

} // namespace

std::optional<int64_t> parse_iso8601(std::string_view text) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

std::string format_iso8601(int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<Deployment> find_deployment(github::Client& client, const std::string& repo_path,
                                          const std::string& environment, const std::string& sha) {
  // Newest first: the first one is the deployment of this job (or of its latest re-run).
  auto r = client.get(fmt::format("{}/deployments?environment={}&sha={}&per_page=1", repo_path,
                                  util::url_encode(environment), util::url_encode(sha)));
  if (!r.json.IsArray() || r.json.Empty()) return std::nullopt;
  return parse_deployment(r.json[0]);
}

std::vector<Deployment> list_deployments_at(github::Client& client, const std::string& repo_path,
                                            const std::string& environment,
                                            const std::string& sha) {
  std::vector<Deployment> out;
  for (const auto& v :
       client.get_all(fmt::format("{}/deployments?environment={}&sha={}&per_page=100", repo_path,
                                  util::url_encode(environment), util::url_encode(sha)),
                      nullptr, k_max_deployment_pages))
    out.push_back(parse_deployment(v));
  return out;
}

std::optional<Deployment> get_deployment(github::Client& client, const std::string& repo_path,
                                         int64_t id) {
  try {
    auto r = client.get(fmt::format("{}/deployments/{}", repo_path, id));
    if (!r.json.IsObject()) return std::nullopt;
    return parse_deployment(r.json);
  } catch (const github::ApiError& e) {
    if (e.status() == 404) return std::nullopt;
    throw;
  }
}

Deployment create_deployment(github::Client& client, const std::string& repo_path,
                             const std::string& environment, const std::string& ref,
                             const std::string& sha, const std::string& description) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  w.Key("ref");
  util::write_string(w, ref);
  w.Key("environment");
  util::write_string(w, environment);
  // GitHub merges the default branch into the ref first unless told not to: a deploy of what
  // was built must not do that.
  w.Key("auto_merge");
  w.Bool(false);
  if (!description.empty()) {
    w.Key("description");
    util::write_string(w, util::truncate_chars(description, k_status_description_chars));
  }
  w.EndObject();
  auto r = client.write_once(
      "POST", repo_path + "/deployments", std::string(buffer.GetString(), buffer.GetSize()),
      [&]() -> std::optional<github::ApiResponse> {
        if (sha.empty()) return std::nullopt;
        auto found = client.get(fmt::format("{}/deployments?environment={}&sha={}&per_page=1",
                                            repo_path, util::url_encode(environment), sha));
        if (!found.json.IsArray() || found.json.Empty()) return std::nullopt;
        github::ApiResponse applied;
        applied.status = 201;
        applied.json.CopyFrom(found.json[0], applied.json.GetAllocator());
        return applied;
      });
  if (!r.json.IsObject() || !util::int_member(r.json, "id"))
    throw github::ApiError(
        fmt::format("POST {}/deployments: no deployment in the answer", repo_path), r.status, "");
  return parse_deployment(r.json);
}

std::vector<DeploymentStatus> list_deployment_statuses(github::Client& client,
                                                       const std::string& repo_path,
                                                       int64_t deployment_id) {
  std::vector<DeploymentStatus> out;
  for (const auto& v : client.get_all(
           fmt::format("{}/deployments/{}/statuses?per_page=100", repo_path, deployment_id),
           nullptr, k_max_deployment_pages))
    out.push_back(status_of(v));
  return out;
}

std::string deployment_status_body(const DeploymentStatusRequest& r) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  w.Key("state");
  util::write_string(w, r.state);
  w.Key("description");
  util::write_string(w, description_of(r));
  if (!r.log_url.empty()) {
    w.Key("log_url");
    util::write_string(w, r.log_url);
  }
  if (!r.environment_url.empty()) {
    w.Key("environment_url");
    util::write_string(w, r.environment_url);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

DeploymentStatus post_deployment_status(github::Client& client, const std::string& repo_path,
                                        int64_t deployment_id,
                                        const DeploymentStatusRequest& request) {
  const std::string description = description_of(request);
  auto r = client.write_once(
      "POST", fmt::format("{}/deployments/{}/statuses", repo_path, deployment_id),
      deployment_status_body(request), [&]() -> std::optional<github::ApiResponse> {
        // Newest first: ours landed when the newest status has our state and description.
        auto list = client.get(
            fmt::format("{}/deployments/{}/statuses?per_page=1", repo_path, deployment_id));
        if (!list.json.IsArray() || list.json.Empty()) return std::nullopt;
        const auto& s = list.json[0];
        if (util::string_or(s, "state") != request.state ||
            util::string_or(s, "description") != description)
          return std::nullopt;
        github::ApiResponse applied;
        applied.status = 201;
        applied.json.CopyFrom(s, applied.json.GetAllocator());
        return applied;
      });
  return status_of(r.json);
}

} // namespace tollgate::publish
