#pragma once
#include <string>

#include "github/client.h"
#include "model/outcome.h"

namespace tollgate::publish {

// Posts the commit status `context` (description cut to 140 characters). A retry after a
// failure that may have been applied first looks for the same status on the commit.
void publish_commit_status(github::Client& client, const std::string& repo_path, const std::string& sha,
                           const model::Outcome& outcome, const std::string& target_url);

// The body, exposed for tests and --dry-run.
std::string commit_status_body(const model::Outcome& outcome, const std::string& target_url);

} // namespace tollgate::publish
