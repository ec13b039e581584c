#pragma once

namespace tollgate::model {

// SPEC §2: the only exit statuses the agent uses.
enum class ExitStatus : int {
  passed = 0,        // every gate passed
  gate_failed = 1,   // a gate failed
  bad_input = 2,     // bad usage, configuration or input
  github_failure = 3 // GitHub or network failure that retries did not overcome
};

} // namespace tollgate::model
