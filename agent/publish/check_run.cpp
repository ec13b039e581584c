#include "publish/check_run.h"

#include <fmt/format.h>

#include "publish/limits.h"
#include "util/error.h"
#include "util/json.h"
#include "util/text.h"

namespace tollgate::publish {

namespace {

constexpr std::string_view k_truncated_note =
    "\n\n> [!NOTE]\n> Truncated: GitHub limits this field to 65,535 characters. The job summary has the rest.\n";

// `markdown`, then `tail` whole (a short note that must not be cut off), within the API's limit.
std::string fit_output(std::string_view markdown, std::string_view tail = {}) {
  const size_t tail_chars = util::utf8_length(tail);
  if (util::utf8_length(markdown) + tail_chars <= k_check_output_chars) return std::string(markdown).append(tail);
  return util::truncate_chars(markdown, k_check_output_chars - util::utf8_length(k_truncated_note) - tail_chars, "") +
         std::string(k_truncated_note) + std::string(tail);
}

void write_annotation(util::JsonWriter& w, const model::Finding& f) {
  w.StartObject();
  w.Key("path");
  util::write_string(w, f.path);
  w.Key("start_line");
  w.Int(f.start_line);
  w.Key("end_line");
  w.Int(std::max(f.end_line, f.start_line));
  w.Key("annotation_level");
  w.String(model::to_string(f.level));
  w.Key("message");
  util::write_string(w, util::truncate_utf8(f.message.empty() ? f.title : f.message, k_annotation_message_bytes));
  if (!f.title.empty()) {
    w.Key("title");
    util::write_string(w, util::truncate_chars(util::sanitize_utf8(f.title), k_annotation_title_chars));
  }
  if (!f.raw_details.empty()) {
    w.Key("raw_details");
    util::write_string(w, util::truncate_utf8(f.raw_details, k_annotation_message_bytes));
  }
  w.EndObject();
}

int64_t annotations_count(const rapidjson::Value& check_run) {
  const auto* output = util::member(check_run, "output");
  return output ? util::int_member(*output, "annotations_count").value_or(0) : 0;
}

CheckRunResult result_of(const rapidjson::Value& check_run) {
  CheckRunResult r;
  r.id = util::int_member(check_run, "id").value_or(0);
  r.html_url = util::string_or(check_run, "html_url");
  r.annotations_posted = static_cast<size_t>(annotations_count(check_run));
  return r;
}

// "tollgate:<check>:<run>:<attempt>:" — what every writer of this check in this run attempt shares.
std::string run_prefix(std::string_view external_id) {
  size_t at = 0;
  for (int colons = 0; colons < 4; ++colons) {
    at = external_id.find(':', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  return std::string(external_id.substr(0, at));
}

// Why the other writer is another one, and which input tells the two apart.
std::string conflict_message(const model::Outcome& outcome, const CheckRunTarget& target, std::string_view other_id,
                             std::string_view other_url) {
  auto parts = [](std::string_view id) {
    std::vector<std::string_view> out;
    id.remove_prefix(std::min(id.size(), run_prefix(id).size()));
    for (size_t at = 0; at <= id.size();) {
      const size_t dot = std::min(id.find('.', at), id.size());
      out.push_back(id.substr(at, dot - at));
      at = dot + 1;
    }
    out.resize(4);
    return out;
  };
  const auto mine = parts(target.external_id), theirs = parts(other_id);
  std::string who, fix;
  if (mine[0] != theirs[0]) {
    who = "another job of this workflow run";
    fix = "give each job its own `check-name`";
  } else if (mine[1] != theirs[1]) {
    who = "another leg of this matrix job";
    fix = "name the leg in `check-name` (for example `Tests ${{ matrix.python }}`), or leave `check-name` out so "
          "that the leg is appended";
  } else if (mine[3] != theirs[3]) {
    who = "another step of this job";
    fix = "give each step its own `check-name`";
  } else {
    who = "another leg of this job (a matrix job whose legs are not named)";
    fix = "pass the leg with `matrix: ${{ toJSON(matrix) }}` (--matrix '${{ toJSON(matrix) }}')";
  }
  return fmt::format("check run \"{}\" on {} was already written in this run attempt by {}{}; tollgate does not "
                     "overwrite another writer's verdict and posted nothing: {}",
                     util::escape_markdown(outcome.check_name), target.head_sha, who,
                     other_url.empty() ? "" : fmt::format(" ({})", util::escape_markdown(other_url)), fix);
}

// This writer's own check run for this run attempt (an earlier, interrupted invocation), if any.
// The check runs of one name on a commit come from "List check runs for a Git reference" with
// check_name and filter=all (https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference);
// external_id is the integrator's own reference, returned as it was given
// (https://docs.github.com/en/rest/checks/runs#create-a-check-run).
// Throws util::InputError when another writer has one of the same name in this run attempt.
std::optional<github::ApiResponse> find_existing(github::Client& client, const model::Outcome& outcome,
                                                 const CheckRunTarget& target) {
  const auto runs = client.get_all(fmt::format("{}/commits/{}/check-runs?check_name={}&filter=all&per_page=100",
                                               target.repo_path, target.head_sha,
                                               util::url_encode(outcome.check_name)),
                                   "check_runs", 10);
  const std::string prefix = run_prefix(target.external_id);
  const rapidjson::Value* other = nullptr;
  for (const auto& run : runs) {
    const std::string_view id = util::string_or(run, "external_id");
    if (id == target.external_id) {
      github::ApiResponse found;
      found.status = 200;
      found.json.CopyFrom(run, found.json.GetAllocator());
      return found;
    }
    // The API filters by name already; the name is compared again so that nothing else counts.
    if (!other && !prefix.empty() && run_prefix(id) == prefix && util::string_or(run, "name") == outcome.check_name)
      other = &run;
  }
  if (other)
    throw util::InputError(conflict_message(outcome, target, util::string_or(*other, "external_id"),
                                            util::string_or(*other, "html_url")));
  return std::nullopt;
}

// Appends the annotations from index `from` on, 50 a request; when the run is ours, the last
// request completes it. `stored` is how many annotations the check run holds on GitHub now.
size_t append_batches(github::Client& client, const model::Outcome& outcome, const std::string& run_path,
                      const std::vector<model::Finding>& all, size_t from, int64_t stored, bool owns_status) {
  const int64_t baseline = stored - static_cast<int64_t>(from);
  size_t next = from;
  do {
    const size_t end = std::min(all.size(), next + k_annotations_per_request);
    std::vector<const model::Finding*> batch;
    for (size_t i = next; i < end; ++i) batch.push_back(&all[i]);
    const int64_t expected = stored + static_cast<int64_t>(batch.size());
    // Appending is not idempotent: after a failure that may have been applied, read the stored
    // count back; if the batch is there, it is not sent again.
    auto applied = [&]() -> std::optional<github::ApiResponse> {
      auto current = client.get(run_path);
      if (annotations_count(current.json) >= expected) return current;
      return std::nullopt;
    };
    const auto status = !owns_status ? RunStatus::untouched : end == all.size() ? RunStatus::completed : RunStatus::in_progress;
    const auto body = check_run_body(outcome, CheckRunTarget{}, false, batch, status);
    auto response = batch.empty() ? client.write_idempotent("PATCH", run_path, body)
                                  : client.write_once("PATCH", run_path, body, applied);
    stored = std::max(expected, annotations_count(response.json));
    next = end;
  } while (next < all.size());
  return static_cast<size_t>(stored - baseline);
}

} // namespace

std::string external_id_for(std::string_view check_name, const model::Writer& writer) {
  return fmt::format("tollgate:{}:{}:{}:{}.{}.{}.{}", util::short_hash(check_name), writer.run_id, writer.run_attempt,
                     util::short_hash(writer.job), util::short_hash(writer.leg), util::short_hash(writer.runner),
                     util::short_hash(writer.step));
}

std::vector<model::Finding> annotatable(const model::Outcome& outcome) {
  std::vector<model::Finding> out;
  model::for_each_finding(outcome, [&](const model::Finding& f) {
    if (out.size() >= outcome.max_annotations) return false;
    if (f.has_location()) out.push_back(f);
    return true;
  });
  return out;
}

std::string unannotated_note(const model::Outcome& outcome) {
  const size_t with_location = model::findings_with_location(outcome);
  if (with_location <= outcome.max_annotations) return {};
  return fmt::format("\n> [!NOTE]\n> {} more finding(s) were not annotated (the limit is {}; see `--max-annotations`).\n",
                     with_location - outcome.max_annotations, outcome.max_annotations);
}

std::string check_run_body(const model::Outcome& outcome, const CheckRunTarget& target, bool create,
                           const std::vector<const model::Finding*>& batch, RunStatus status) {
  rapidjson::StringBuffer buffer;
  util::JsonWriter w(buffer);
  w.StartObject();
  if (create) {
    w.Key("name");
    util::write_string(w, outcome.check_name);
    w.Key("head_sha");
    util::write_string(w, target.head_sha);
    w.Key("external_id");
    util::write_string(w, target.external_id);
    if (!target.details_url.empty()) {
      w.Key("details_url");
      util::write_string(w, target.details_url);
    }
  }
  if (status != RunStatus::untouched) {
    w.Key("status");
    w.String(status == RunStatus::completed ? "completed" : "in_progress");
  }
  if (status == RunStatus::completed) {
    w.Key("conclusion");
    w.String(model::to_string(outcome.conclusion));
  }
  w.Key("output");
  w.StartObject();
  w.Key("title");
  util::write_string(w, util::truncate_chars(outcome.title, 1000));
  w.Key("summary");
  util::write_string(w, fit_output(outcome.summary, unannotated_note(outcome)));
  if (!outcome.text.empty()) {
    w.Key("text");
    util::write_string(w, fit_output(outcome.text));
  }
  if (!batch.empty()) {
    w.Key("annotations");
    w.StartArray();
    for (const auto* f : batch) write_annotation(w, *f);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

CheckRunResult publish_check_run(github::Client& client, const model::Outcome& outcome, const CheckRunTarget& target) {
  const auto all = annotatable(outcome);
  const auto path_of = [&](const CheckRunResult& r) { return fmt::format("{}/check-runs/{}", target.repo_path, r.id); };
  // A check run this step already created (an earlier, interrupted invocation in the same run
  // attempt) is updated in place, resuming after the annotations it already holds.
  if (auto existing = find_existing(client, outcome, target)) {
    CheckRunResult result = result_of(existing->json);
    const size_t from = std::min(result.annotations_posted, all.size());
    result.annotations_posted =
        append_batches(client, outcome, path_of(result), all, from, annotations_count(existing->json), true);
    return result;
  }
  const size_t first_end = std::min(all.size(), k_annotations_per_request);
  std::vector<const model::Finding*> first;
  for (size_t i = 0; i < first_end; ++i) first.push_back(&all[i]);
  const bool completed = first_end == all.size();
  auto response = client.write_once("POST", target.repo_path + "/check-runs",
                                    check_run_body(outcome, target, true, first,
                                                   completed ? RunStatus::completed : RunStatus::in_progress),
                                    [&] { return find_existing(client, outcome, target); });
  CheckRunResult result = result_of(response.json);
  if (completed) return result;
  const int64_t stored = annotations_count(response.json);
  result.annotations_posted =
      append_batches(client, outcome, path_of(result), all, std::min<size_t>(static_cast<size_t>(stored), all.size()), stored, true);
  return result;
}

CheckRunResult publish_onto_check_run(github::Client& client, const model::Outcome& outcome,
                                      const std::string& repo_path, int64_t check_run_id) {
  const std::string run_path = fmt::format("{}/check-runs/{}", repo_path, check_run_id);
  auto current = client.get(run_path);
  CheckRunResult result = result_of(current.json);
  // The job's check run belongs to the runner, which completes it; we add output and annotations.
  result.annotations_posted =
      append_batches(client, outcome, run_path, annotatable(outcome), 0, annotations_count(current.json), false);
  return result;
}

} // namespace tollgate::publish
