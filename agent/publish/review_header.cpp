#include "publish/review_header.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "util/text.h"

namespace tollgate::publish {

namespace {

bool all_of(std::string_view text, bool (*ok)(unsigned char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [ok](char c) { return ok(static_cast<unsigned char>(c)); });
}

bool is_hex(unsigned char c) { return std::isxdigit(c) != 0; }
bool is_digit(unsigned char c) { return std::isdigit(c) != 0; }
// GitHub owner and repository names: letters, digits, '-', '_' and '.'.
bool is_name_char(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.'; }

// The server as a link base: http(s), nothing Markdown or a URL parser would read differently.
bool plain_server(std::string_view url) {
  if (!util::starts_with(url, "https://") && !util::starts_with(url, "http://")) return false;
  return url.find_first_of(" \t\r\n<>()[]\"'`\\|") == std::string_view::npos;
}

bool plain_repository(std::string_view repository) {
  const auto slash = repository.find('/');
  if (slash == std::string_view::npos) return false;
  const auto owner = repository.substr(0, slash), name = repository.substr(slash + 1);
  return all_of(owner, is_name_char) && all_of(name, is_name_char) && owner != "." && owner != ".." && name != "." &&
         name != "..";
}

// "<server>/<owner>/<repo>" or "" when either is not of its shape.
std::string repository_url(const ReviewLinks& links) {
  if (!plain_server(links.server_url) || !plain_repository(links.repository)) return {};
  return links.server_url + "/" + links.repository;
}

bool plain_sha(std::string_view sha) { return sha.size() >= 7 && sha.size() <= 64 && all_of(sha, is_hex); }

} // namespace

ReviewLinks review_links(const runner::ActionsContext& ctx) {
  ReviewLinks links;
  links.server_url = ctx.server_url;
  while (!links.server_url.empty() && links.server_url.back() == '/') links.server_url.pop_back();
  if (ctx.has_repository()) links.repository = ctx.owner + "/" + ctx.repo;
  links.sha = ctx.target_sha();
  links.run_id = ctx.run_id;
  links.run_attempt = ctx.run_attempt;
  return links;
}

std::string short_sha(std::string_view sha) { return std::string(sha.substr(0, 7)); }

std::string commit_url(const ReviewLinks& links) {
  const std::string base = repository_url(links);
  if (base.empty() || !plain_sha(links.sha)) return {};
  return base + "/commit/" + links.sha;
}

std::string run_url(const ReviewLinks& links) {
  const std::string base = repository_url(links);
  if (base.empty() || !all_of(links.run_id, is_digit)) return {};
  std::string url = base + "/actions/runs/" + links.run_id;
  // A re-run's own page: https://docs.github.com/en/actions/managing-workflow-runs/re-running-workflows-and-jobs
  if (all_of(links.run_attempt, is_digit) && links.run_attempt != "1") url += "/attempts/" + links.run_attempt;
  return url;
}

std::string line_url(const ReviewLinks& links, std::string_view path, int line) {
  const std::string base = repository_url(links);
  if (base.empty() || !plain_sha(links.sha) || path.empty() || path.front() == '/') return {};
  std::string url = base + "/blob/" + links.sha;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return {};
    url += "/" + util::url_encode(segment);
    start = slash + 1;
  }
  if (line > 0) url += fmt::format("#L{}", line);
  return url;
}

std::string code_name(std::string_view text) {
  std::string broken;
  broken.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    broken += text[i];
    if (text[i] == '@' && i + 1 < text.size() && (std::isalnum(static_cast<unsigned char>(text[i + 1])) != 0 || text[i + 1] == '_' || text[i + 1] == '-'))
      broken += "\u200b";
  }
  return util::code_span(broken);
}

std::string line_link(const ReviewLinks& links, std::string_view path, int line) {
  if (path.empty()) return {};
  const std::string shown = line > 0 ? fmt::format("{}:{}", path, line) : std::string(path);
  const std::string code = code_name(util::truncate_utf8(shown, 200));
  const std::string url = line_url(links, path, line);
  return url.empty() ? code : fmt::format("[{}]({})", code, url);
}

std::string commit_link(const ReviewLinks& links, std::string_view sha) {
  if (!plain_sha(sha)) return code_name(util::truncate_utf8(sha, 100));
  ReviewLinks at = links;
  at.sha = std::string(sha);
  const std::string url = commit_url(at);
  const std::string shown = fmt::format("`{}`", short_sha(sha));
  return url.empty() ? shown : fmt::format("[{}]({})", shown, url);
}

std::string review_header(const ReviewLinks& links) {
  std::string parts;
  if (const std::string url = commit_url(links); !url.empty())
    parts = fmt::format("Commit [`{}`]({})", short_sha(links.sha), url);
  else if (plain_sha(links.sha))
    parts = fmt::format("Commit `{}`", short_sha(links.sha));
  if (const std::string url = run_url(links); !url.empty()) {
    const bool rerun = all_of(links.run_attempt, is_digit) && links.run_attempt != "1";
    parts += fmt::format("{}[run {}{}]({})", parts.empty() ? "" : " · ", links.run_id,
                         rerun ? ", attempt " + links.run_attempt : "", url);
  }
  return parts.empty() ? "" : parts + "\n\n";
}

} // namespace tollgate::publish
