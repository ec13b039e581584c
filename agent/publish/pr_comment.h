#pragma once
#include <string>

#include "github/client.h"

namespace tollgate::publish {

// The hidden marker that identifies Tollgate's sticky comment for one check name.
std::string comment_marker(const std::string& check_name);

// Creates or edits the one sticky comment for this check name on the pull request; never a
// second one, also when a create was applied but answered with an error. Returns its URL.
std::string publish_sticky_comment(github::Client& client, const std::string& repo_path, int pull_request,
                                   const std::string& check_name, const std::string& markdown);

} // namespace tollgate::publish
