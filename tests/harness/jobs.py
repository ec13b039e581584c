"""What GitHub Actions does for every job of a workflow run: it records the job as a check run of
the run's check suite — the row a pull request's checks list shows for it, named as the job is
("test (ubuntu-latest, 20)" for a matrix leg) — on the commit the run is for (the pull request's
head on `pull_request`, not the merge commit), in progress while the job runs on its runner and
completed with the job's conclusion when it ends ("GitHub Actions generates checks, not commit
statuses, when workflows are run":
https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/collaborating-on-repositories-with-code-quality-features/about-status-checks;
"GitHub Actions uses the Checks API for representing and storing information about job executions":
https://github.blog/changelog/2019-09-24-ui-changes-in-github-actions-checks/). The job is listed
by GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{n}/jobs with its `runner_name` and
`check_run_url` (https://docs.github.com/en/rest/actions/workflow-jobs). Only GitHub Actions sets
that check run's status and conclusion (since 2025-03-31 a token's PATCH may not:
https://github.blog/changelog/2025-02-12-notice-of-upcoming-deprecations-and-breaking-changes-for-github-actions/#changes-to-check-run-status-modification),
so the jobs are recorded through the emulator's control endpoint:

    start, end = jobs.hooks(api_url)
    Harness(..., job_hooks=(start, end))
"""
from .deployments import _call


def head_sha(github):
    """The commit the run's check suite is for: the pull request's head, a merge group's head, else GITHUB_SHA."""
    event = github.get("event") or {}
    if github.get("event_name") in ("pull_request", "pull_request_target") and event.get("pull_request"):
        return event["pull_request"]["head"]["sha"]
    if github.get("event_name") == "merge_group" and event.get("merge_group"):
        return event["merge_group"]["head_sha"]
    return github["sha"]


def hooks(api_url, runner_name="harness-runner"):
    started = {}

    def start(job, contexts):
        github = contexts["github"]
        answer = _call(api_url, None, "POST", "/_emulator/jobs", {
            "repo": github["repository"], "run_id": github["run_id"], "run_attempt": github.get("run_attempt") or 1,
            "head_sha": head_sha(github), "head_branch": github.get("head_ref") or github.get("ref_name"),
            "event": github.get("event_name"), "workflow_name": github.get("workflow"),
            "jobs": [{"name": job.name, "runner_name": runner_name, "status": "in_progress"}]})
        started[id(job)] = answer["jobs"][0]["id"]

    def end(job, contexts):
        github = contexts["github"]
        job_id = started.pop(id(job), None)
        if job_id is None:
            return
        _call(api_url, None, "POST", "/_emulator/jobs", {
            "repo": github["repository"], "run_id": github["run_id"],
            "jobs": [{"id": job_id, "status": "completed", "conclusion": job.result}]})

    return start, end
