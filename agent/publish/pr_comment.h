#pragma once
#include <string>
#include <string_view>

#include "github/client.h"
#include "model/outcome.h"

namespace tollgate::publish {

// The sticky comment (EnricoMi's comment_mode is the model): `always` creates or edits it on every
// run; `changes` edits it only when the verdict or the numbers changed (the digest is kept in a
// hidden marker of the comment); `failures` creates it only when something fails and keeps an
// existing one up to date, so a red comment turns green instead of lingering; `off` posts nothing
// and deletes nothing.
enum class CommentMode { off, always, changes, failures };
CommentMode parse_comment_mode(std::string_view text); // util::InputError for anything else

// The hidden marker that identifies Tollgate's sticky comment for one check name.
std::string comment_marker(const std::string& check_name);

// What `changes` compares: the conclusion, each gate (name, threshold, measured value, verdict),
// the step outputs that are numbers, and which findings fail (path, line, title). Hex, 16 digits.
std::string comment_digest(const model::Outcome& outcome);

// The digest a body carries, read only from the line right after the marker that opens it;
// "" when there is none (a comment of an earlier version, or anything else).
std::string digest_in_body(std::string_view body, const std::string& marker);

struct CommentResult {
  std::string url;
  std::string action; // "created", "updated", "unchanged", "skipped"
};

// Creates or edits the one sticky comment for this check name on the pull request as `mode` says;
// never a second one, also when a create was applied but answered with an error.
CommentResult publish_sticky_comment(github::Client& client, const std::string& repo_path, int pull_request,
                                     const model::Outcome& outcome, const std::string& markdown, CommentMode mode);

} // namespace tollgate::publish
