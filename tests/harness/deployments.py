"""What GitHub does for a job with `environment:`: before the job's steps run it creates a
Deployment of the run's commit in that environment (creator github-actions[bot], task "deploy",
ref the run's branch, sha GITHUB_SHA) with an in_progress status, and when the job ends it posts
the job's result as the final status (success or failure) with `environment.url` evaluated after
the steps as the environment_url
(https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment
and https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idenvironment).
GitHub does this whatever the job's token may do, so the deployment is created through the
emulator's control endpoint (as github-actions[bot]) and the statuses with the hooks' token:

    start, end = deployments.hooks(api_url, token)
    Harness(..., on_job_start=start, on_job_end=end)

Note what this means for a rollback job with `environment:`: GitHub records a deployment of the
commit the workflow ran on (GITHUB_SHA), not of the commit the job deploys.
"""
import json
import urllib.request

HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
           "User-Agent": "tollgate-harness", "Content-Type": "application/json"}


def _call(api_url, token, method, path, body):
    headers = dict(HEADERS, Authorization=f"Bearer {token}") if token else dict(HEADERS)
    req = urllib.request.Request(api_url + path, data=json.dumps(body).encode(), method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode() or "null")


def deployment_ref(github):
    """The ref GitHub records: the branch or tag name for refs/heads/* and refs/tags/*, else the ref."""
    ref = github["ref"]
    return ref.split("/", 2)[2] if ref.startswith(("refs/heads/", "refs/tags/")) else ref


def hooks(api_url, token):
    created = {}

    def log_url(github):
        return f"{github['server_url']}/{github['repository']}/actions/runs/{github['run_id']}"

    def start(job, environment, contexts):
        github = contexts["github"]
        deployment = _call(api_url, None, "POST", "/_emulator/deployments", {
            "repo": github["repository"], "environment": environment, "sha": github["sha"],
            "ref": deployment_ref(github), "task": "deploy", "payload": {}, "description": "",
            "production_environment": environment == "production",
            "statuses": [{"state": "in_progress", "log_url": log_url(github)}]})
        created[id(job)] = deployment["id"]

    def end(job, environment, contexts):
        github = contexts["github"]
        deployment_id = created.pop(id(job), None)
        if deployment_id is None:
            return
        body = {"state": "success" if job.result == "success" else "failure", "log_url": log_url(github)}
        if contexts.get("environment_url"):
            body["environment_url"] = contexts["environment_url"]
        _call(api_url, token, "POST", f"/repos/{github['repository']}/deployments/{deployment_id}/statuses", body)

    return start, end
