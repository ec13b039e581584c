#pragma once
#include <cstddef>

namespace tollgate::publish {

// Checks API: at most 50 annotations per create or update request.
constexpr size_t k_annotations_per_request = 50;
// Checks API: output.summary and output.text are limited to 65,535 characters each.
constexpr size_t k_check_output_chars = 65535;
// Checks API: annotation title 255 characters; message and raw_details 64 KB each.
constexpr size_t k_annotation_title_chars = 255;
constexpr size_t k_annotation_message_bytes = 64 * 1024;
// Commit statuses API: description is limited to 140 characters.
constexpr size_t k_status_description_chars = 140;
// Deployment statuses API: "The maximum description length is 140 characters"; the description of
// an environment's deployment is its statuses' (a deployment itself cannot be edited)
// (https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status).
constexpr size_t k_deployment_description_chars = 140;
// Issue comments: the body is limited to 65,536 characters.
constexpr size_t k_comment_body_chars = 65536;

} // namespace tollgate::publish

namespace tollgate::publish {

// Actions runner: workflow-command annotations are shown at most 10 errors, 10 warnings and 10
// notices per step and 50 per job; the rest are dropped silently, in the order printed.
// https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
constexpr size_t k_step_annotations_per_level = 10;
constexpr size_t k_job_annotations = 50;

} // namespace tollgate::publish
