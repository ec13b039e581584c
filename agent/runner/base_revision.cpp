#include "runner/base_revision.h"

#include <algorithm>
#include <optional>
#include <fmt/format.h>

#include "util/error.h"
#include "util/process.h"
#include "util/text.h"

namespace tollgate::runner {

namespace {

util::ProcessResult git(const std::string& root, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-c", "core.quotepath=off"});
  return util::run_process(args, root);
}

bool is_sha(std::string_view s) {
  // SHA-1 (40) or SHA-256 (64) object names.
  return (s.size() == 40 || s.size() == 64) &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string short_sha(const std::string& rev) {
  return is_sha(rev) ? rev.substr(0, 12) : rev;
}

// The full object name of a commit present in the clone, or "".
std::string resolve_commit(const std::string& root, const std::string& rev) {
  auto r = git(root, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
  return r.exit_status == 0 ? std::string(util::trim(r.out)) : std::string();
}

bool has_merge_base(const std::string& root, const std::string& a, const std::string& b) {
  return git(root, {"merge-base", a, b}).exit_status == 0;
}

bool is_shallow(const std::string& root) {
  return util::trim(git(root, {"rev-parse", "--is-shallow-repository"}).out) == "true";
}

// Fetches one commit from origin. GIT_TERMINAL_PROMPT=0: a missing credential fails instead of
// waiting for a password on a runner that has no terminal.
bool fetch_commit(const std::string& root, const std::string& sha, std::string& error) {
  std::vector<std::string> argv = {"env", "GIT_TERMINAL_PROMPT=0", "git", "-c", "protocol.version=2", "fetch",
                                   "--no-tags", "--no-recurse-submodules", "--quiet"};
  // A shallow clone stays shallow: one commit is enough for its tree. A full clone fetches the
  // history too, so that a merge base exists afterwards.
  if (is_shallow(root)) argv.emplace_back("--depth=1");
  argv.insert(argv.end(), {"origin", sha});
  auto r = util::run_process(argv, root);
  if (r.exit_status == 0) return true;
  error = util::trim(r.err).empty() ? fmt::format("exit status {}", r.exit_status) : std::string(util::trim(r.err));
  error = util::truncate_utf8(error.substr(0, error.find('\n')), 300);
  return false;
}

// git diff with no context; --full-index: object names in full, so git does not list the object
// directories to find the shortest unique abbreviation of each (a third of its time in a clone
// of loose objects). The parser reads only file names and hunk headers.
util::ProcessResult run_diff(const std::string& root, const std::string& range_or_a, const std::string& b) {
  std::vector<std::string> args = {"diff", "--no-color", "--no-ext-diff", "--full-index", "-U0", range_or_a};
  if (!b.empty()) args.push_back(b);
  args.emplace_back("--");
  return git(root, args);
}

report::ChangedLines parse_diff(const util::ProcessResult& r, const std::string& range_or_a, const std::string& b) {
  if (r.exit_status != 0)
    throw util::InputError(fmt::format("git diff {}{} failed: {}", range_or_a, b.empty() ? "" : " " + b, util::trim(r.err)));
  auto changed = report::parse_git_diff(r.out);
  if (!changed) throw util::InputError(util::describe("git diff", changed.error()));
  return std::move(*changed);
}

report::ChangedLines diff(const std::string& root, const std::string& range_or_a, const std::string& b = "") {
  return parse_diff(run_diff(root, range_or_a, b), range_or_a, b);
}

// The base and HEAD in one git process (each costs a few milliseconds), or nullopt when the base
// does not resolve to a commit (the caller then asks one at a time). HEAD's parents are not asked
// here: in a shallow clone (actions/checkout's default depth 1) `HEAD^@` is empty, because git
// grafts the shallow commit parentless; the commit object still names them (commit_parents).
struct Revisions {
  std::string base, head;
};
std::optional<Revisions> resolve_revisions(const std::string& root, const std::string& base) {
  auto r = git(root, {"rev-parse", base + "^{commit}", "HEAD^{commit}"});
  if (r.exit_status != 0) return std::nullopt;
  std::vector<std::string> names;
  for (std::string_view rest = r.out; !rest.empty();) {
    const size_t eol = rest.find('\n');
    names.emplace_back(rest.substr(0, eol));
    if (!is_sha(names.back())) return std::nullopt;
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  }
  if (names.size() != 2) return std::nullopt;
  return Revisions{names[0], names[1]};
}

} // namespace

std::vector<std::string> commit_parents(const std::string& root, const std::string& rev) {
  std::vector<std::string> parents;
  auto r = git(root, {"cat-file", "commit", rev});
  if (r.exit_status != 0) return parents;
  size_t pos = 0;
  // The header ends at the first empty line; "parent <sha>" lines follow "tree <sha>".
  while (pos < r.out.size()) {
    const size_t eol = r.out.find('\n', pos);
    const std::string line = r.out.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (line.empty()) break;
    if (line.rfind("parent ", 0) == 0) parents.push_back(line.substr(7));
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  return parents;
}

FoundChanges find_changed_lines(const std::string& root, const BaseRequest& request) {
  const std::string& base = request.base;
  if (base.empty() || base[0] == '-' ||
      std::any_of(base.begin(), base.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
    throw util::InputError(fmt::format("--base '{}': not a revision", util::truncate_utf8(base, 100)));
  const auto known = resolve_revisions(root, base);
  const std::string head = known ? known->head : resolve_commit(root, "HEAD");
  if (head.empty()) throw util::InputError(fmt::format("{}: no commit checked out (HEAD), so there are no changed lines", root));

  FoundChanges found;
  found.compared_with = base;
  std::string base_commit = known ? known->base : resolve_commit(root, base);

  // GitHub's merge commit for a pull request: first parent the base branch, second the head. A
  // merge queue's commit (or any commit) whose first parent is the base: the same, exactly.
  // Read only when needed (the base is missing, or the diff from it failed): with the base
  // present, one git process less before the diff.
  std::vector<std::string> parents;
  std::string first_parent;
  bool parents_read = false;
  const auto read_parents = [&] {
    if (parents_read) return;
    parents_read = true;
    parents = commit_parents(root, "HEAD");
    if (!parents.empty() && (parents[0] == base_commit || parents[0] == base ||
                             (parents.size() >= 2 && !request.head_sha.empty() && parents[1] == request.head_sha)))
      first_parent = parents[0];
  };

  std::string fetch_error;
  if (base_commit.empty()) {
    read_parents();
    if (request.in_actions && is_sha(base) && first_parent.empty() && fetch_commit(root, base, fetch_error))
      base_commit = resolve_commit(root, base);
  }
  if (!base_commit.empty()) {
    // base...HEAD fails when there is no merge base: the diff is tried first, and merge-base
    // asked only when it failed (to tell that case from a failing diff).
    const auto r = run_diff(root, base + "...HEAD", "");
    if (r.exit_status == 0 || has_merge_base(root, base_commit, head)) {
      found.lines = parse_diff(r, base + "...HEAD", "");
      found.method = "merge base with HEAD, as diff-cover compares";
      return found;
    }
  }
  read_parents();
  if (!first_parent.empty()) {
    if (resolve_commit(root, first_parent).empty() && request.in_actions) fetch_commit(root, first_parent, fetch_error);
    if (!resolve_commit(root, first_parent).empty()) {
      found.lines = diff(root, first_parent, "HEAD");
      found.compared_with = first_parent;
      found.method = parents.size() >= 2 ? "the merge commit's first parent: the pull request's changes"
                                         : "HEAD's parent, the base";
      return found;
    }
  }
  if (!base_commit.empty()) {
    if (!request.in_actions)
      throw util::InputError(fmt::format(
          "--base {}: no merge base with HEAD in {} (a shallow clone?); fetch the history: git fetch --unshallow origin",
          base, root));
    // Without the history between them, compare the trees: changes the base made since the
    // pull request forked show as changes too (documented in docs/coverage.md).
    found.lines = diff(root, base, "HEAD");
    found.method = "the trees of the base and HEAD (shallow history, no merge base: changes the base made "
                   "since the fork count too)";
    found.approximate = true;
    return found;
  }
  if (!request.in_actions)
    throw util::InputError(fmt::format("--base {}: no such commit in {}; fetch it first: git fetch origin {}", base,
                                       root, base));
  found.not_measured =
      fetch_error.empty()
          ? fmt::format("the base {} is not in the checkout and cannot be fetched (not a commit SHA)", short_sha(base))
          : fmt::format("the base {} is not in the checkout and git fetch failed: {}", short_sha(base), fetch_error);
  return found;
}

} // namespace tollgate::runner
