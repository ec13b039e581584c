#pragma once
// What a command decided and wants shown, independent of where it is shown. Commands build an
// Outcome; publish/ turns it into check runs, statuses, comments, summaries and terminal lines.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/finding.h"

#include "util/json.h"

namespace tollgate::model {

enum class Conclusion { success, failure, neutral };
const char* to_string(Conclusion conclusion);

// One gate: a named threshold and the value measured against it.
struct Gate {
  std::string name;
  double threshold = 0;
  double actual = 0;
  bool passed = true;
  std::string detail; // why, in words, for the summary
  bool measured = true; // false: nothing to compare (shown "not measured", actual null in --json)
};

struct Outcome {
  std::string command;           // "tests", "coverage", ...
  std::string check_name;        // "Tests" or "Tests (ubuntu-latest, 20)"
  std::string status_context;    // "tollgate/tests" or "tollgate/tests (ubuntu-latest, 20)"
  bool passed = true;            // the verdict; main maps it to the exit status
  Conclusion conclusion = Conclusion::success;
  // false: the command records or reports and judges nothing (deployment, metrics); its heading has
  // no verdict emoji (a ✅ above a failed deployment's record would read as its fate).
  bool judges = true;
  std::string title;             // one line: "12 tests, 5 failed, 1 skipped"
  std::string summary;           // Markdown, already escaped
  std::string text;              // optional further Markdown details, already escaped
  std::vector<Gate> gates;
  std::vector<Finding> findings; // in posting order: the most relevant first
  // A command with very many findings makes them when they are read instead of holding them (a
  // scan's 200,000 annotations would hold ~100 MB): `made_findings` of them, the i-th written
  // into the Finding given, whose buffers are reused. Read either form with for_each_finding.
  size_t made_findings = 0;
  size_t made_with_location = 0; // of them, those with a path and a line (counted without making them)
  std::function<void(size_t, Finding&)> make_finding;
  size_t max_annotations = 1000; // findings past this are counted in the summary, not posted
  std::vector<std::pair<std::string, std::string>> outputs; // step outputs
  // Extra members of the --json result for this command (totals, patch, files, ...).
  std::function<void(util::JsonWriter&)> write_json_extra;
};

// Each finding of the outcome in posting order, held or made, until `fn` returns false. A made
// finding lives only for its call: keep a copy, not its address.
void for_each_finding(const Outcome& outcome, const std::function<bool(const Finding&)>& fn);

// How many findings have a path and a line, held or made.
size_t findings_with_location(const Outcome& outcome);

} // namespace tollgate::model
