"""What GitHub does for a job with `environment:`: it creates a Deployment of the run's commit in
that environment before the job starts and posts the job's result as the deployment's final
status. These hooks do the same through the REST API the harness's tollgate talks to (the
emulator in the tests):

    start, end = deployments.hooks(api_url, token)
    Harness(..., on_job_start=start, on_job_end=end)
"""
import json
import urllib.request

HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
           "User-Agent": "tollgate-harness", "Content-Type": "application/json"}


def _call(api_url, token, method, path, body):
    req = urllib.request.Request(api_url + path, data=json.dumps(body).encode(), method=method,
                                 headers=dict(HEADERS, Authorization=f"Bearer {token}"))
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode() or "null")


def hooks(api_url, token):
    created = {}

    def start(job, environment, contexts):
        github = contexts["github"]
        deployment = _call(api_url, token, "POST", f"/repos/{github['repository']}/deployments", {
            "ref": github["sha"], "environment": environment, "auto_merge": False, "required_contexts": [],
            "description": f"{github['workflow']} / {job.name}", "production_environment": environment == "production"})
        created[id(job)] = deployment["id"]

    def end(job, environment, contexts):
        github = contexts["github"]
        deployment_id = created.pop(id(job), None)
        if deployment_id is None:
            return
        body = {"state": "success" if job.result == "success" else "failure",
                "log_url": f"{github['server_url']}/{github['repository']}/actions/runs/{github['run_id']}"}
        if contexts.get("environment_url"):
            body["environment_url"] = contexts["environment_url"]
        _call(api_url, token, "POST", f"/repos/{github['repository']}/deployments/{deployment_id}/statuses", body)

    return start, end
