"""`deployment`, `rollback` and `probe --rollback-workflow` against the GitHub API emulator: statuses
posted in order, the rollback workflow dispatched once with the right inputs when probes fail and never
when they pass, the fallback for servers without return_run_details, and concurrent failing legs that
dispatch once between them."""
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import TOKEN, run_tollgate

REPO = "octo/app"
RUN_URL = "https://github.example/octo/app/actions/runs/1001"
GOOD_SHA = "a" * 40
OLDER_SHA = "b" * 40
INPUTS = ["environment", "to_ref", "reason", "source_run", "dedupe_key"]
# Short waits for the exactly-once protocol (the defaults suit GitHub, not a local emulator).
FAST_ENV = {"TOLLGATE_CLAIM_SETTLE_MS": "300", "TOLLGATE_RUN_LOOKUP_WAIT_MS": "5000", "TOLLGATE_RUN_LOOKUP_STEP_MS": "100"}


class Target:
    """A local HTTP server standing in for the deployed site: healthy or not."""

    def __init__(self, status, barrier=None):
        self.status = status
        self.hits = 0
        self.barrier = barrier
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once: no delayed-ACK stall in latencies

            def log_message(self, *args):
                pass

            def do_GET(self):
                target.hits += 1
                if target.barrier is not None:
                    target.barrier.wait()  # every leg gets its failing answer at the same moment
                body = b'{"status":"ok"}' if target.status == 200 else b"down"
                self.send_response(target.status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/health"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def target():
    targets = []

    def make(status, barrier=None):
        t = Target(status, barrier)
        targets.append(t)
        return t

    yield make
    for t in targets:
        t.close()


@pytest.fixture
def repo(emulator, workspace):
    """A checkout whose HEAD is being deployed to production, an earlier good deployment, and the
    rollback workflow declaring its inputs (the emulator then refuses unexpected ones)."""
    workspace.write("app.txt", "v2")
    head = workspace.commit("v2")
    seed_deployment(emulator, OLDER_SHA, "success")
    seed_deployment(emulator, GOOD_SHA, "success")
    emulator.call("POST", "/_emulator/workflows",
                  {"repo": REPO, "workflow_id": "rollback.yml", "name": "Rollback", "inputs": INPUTS})
    return head


def seed_deployment(emulator, sha, state, environment="production"):
    return emulator.call("POST", "/_emulator/deployments",
                         {"repo": REPO, "environment": environment, "sha": sha, "ref": "main",
                          "statuses": [{"state": state}] if state else []})


def deployments(emulator, sha):
    return [d for d in emulator.state()["deployments"] if d["sha"] == sha]


def states(deployment):
    return [s["state"] for s in reversed(deployment["statuses"])]  # the dump lists newest first


def tollgate(args, workspace, emulator, **kw):
    env = dict(FAST_ENV)
    env.update(kw.pop("extra_env", {}))
    return run_tollgate(args, workspace, emulator, extra_env=env, **kw)


def probe_args(url, tmp, name="r.json"):
    return ["probe", "--url", url, "--count", "2", "--interval", "20ms", "--environment", "production",
            "--rollback-workflow", "rollback.yml", "--json", str(tmp / name)]


# ---- deployment ----------------------------------------------------------------------------

def test_start_and_finish_post_in_progress_then_success_on_the_actions_deployment(emulator, workspace, repo):
    actions_made = seed_deployment(emulator, repo, None, environment="staging")
    proc = tollgate(["deployment", "start", "--environment", "staging", "--url", "https://staging.example"],
                    workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    assert workspace.outputs()["deployment-id"] == str(actions_made["id"])
    proc = tollgate(["deployment", "finish", "--environment", "staging", "--state", "success",
                     "--url", "https://staging.example"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    [d] = deployments(emulator, repo)  # found, not created
    assert d["id"] == actions_made["id"]
    assert states(d) == ["in_progress", "success"]
    for s in d["statuses"]:
        assert s["log_url"] == RUN_URL and s["environment_url"] == "https://staging.example"


def test_start_creates_a_deployment_only_where_there_is_none(emulator, workspace, repo):
    for _ in range(2):
        proc = tollgate(["deployment", "start", "--environment", "preview"], workspace, emulator)
        assert proc.returncode == 0, proc.stderr
    [d] = deployments(emulator, repo)
    assert d["environment"] == "preview" and d["ref"] == repo
    assert states(d) == ["in_progress", "in_progress"]
    proc = tollgate(["deployment", "finish", "--environment", "nowhere"], workspace, emulator)
    assert proc.returncode == 2 and "no deployment of nowhere" in proc.stderr


# ---- rollback plan -------------------------------------------------------------------------

def test_plan_finds_the_newest_successful_deployment_on_another_commit_across_pages(emulator, workspace, repo):
    # 101 newer deployments that failed push the good one onto the second page.
    for i in range(101):
        seed_deployment(emulator, f"{i:040x}", "failure")
    seed_deployment(emulator, repo, "success")  # the failing commit itself does not count
    proc = tollgate(["rollback", "plan", "--environment", "production"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    assert workspace.outputs()["to-ref"] == GOOD_SHA
    pages = [r for r in emulator.requests() if r["path"] == f"/repos/{REPO}/deployments" and "sha" not in r["query"]]
    assert len(pages) == 2

    proc = tollgate(["rollback", "plan", "--environment", "staging"], workspace, emulator)
    assert proc.returncode == 1
    assert "No earlier successful deployment of <code>staging</code>" in workspace.summary.read_text()


def test_the_environment_is_escaped_in_the_summary_when_there_is_nothing_to_roll_back_to(emulator, workspace, repo):
    # --environment often comes from a workflow input: it is text, never Markdown or HTML.
    hostile = "st</code><img src=x> **bold** @admin"
    proc = tollgate(["rollback", "plan", "--environment", hostile], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    summary = workspace.summary.read_text()
    assert "No earlier successful deployment of <code>st&lt;/code&gt;&lt;img src=x&gt;" in summary, summary
    assert "<img" not in summary and "**bold**" not in summary


# ---- probe → rollback ----------------------------------------------------------------------

def test_failing_probes_mark_the_deployment_failed_and_dispatch_the_rollback_once(emulator, workspace, repo, target,
                                                                                  tmp_path):
    down = target(503)
    assert tollgate(["deployment", "start", "--environment", "production"], workspace, emulator).returncode == 0
    [deployment] = deployments(emulator, repo)
    key = f"tollgate-rb-{deployment['id']}"

    proc = tollgate(probe_args(down.url, tmp_path), workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    state = emulator.state()
    [dispatch] = state["dispatches"]
    assert dispatch["ref"] == "main" and dispatch["return_run_details"] is True
    assert dispatch["inputs"] == {"environment": "production", "to_ref": GOOD_SHA, "source_run": RUN_URL,
                                  "reason": f"Probes failed: {down.url}", "dedupe_key": key}
    [run] = [r for r in state["workflow_runs"] if r["id"] == dispatch["run_id"]]
    assert key in run["display_title"]

    [d] = deployments(emulator, repo)
    assert states(d) == ["in_progress", "failure", "failure"]
    claim, record = reversed(d["statuses"][:2])
    assert claim["description"].startswith(f"Probes failed: {down.url}"[:60]) and "rollback claim 1001.1." in claim["description"]
    assert record["description"] == f"rollback dispatched {key}: run {run['id']}"
    assert record["log_url"] == run["html_url"]

    result = json.loads((tmp_path / "r.json").read_text())
    assert result["rollback"]["dispatched"] is True and result["rollback"]["run_url"] == run["html_url"]
    assert result["rollback"]["dedupe_key"] == key and result["rollback"]["to_ref"] == GOOD_SHA
    assert result["probes"][0]["failures"] == 1 and result["probes"][0]["samples"] == 1
    outputs = workspace.outputs()
    assert outputs["rollback-run-url"] == run["html_url"]
    assert outputs["deployment-id"] == str(deployment["id"])
    assert f"[rollback run]({run['html_url']})" in workspace.summary.read_text()
    [check] = state["check_runs"]
    assert check["name"] == "Probes" and "rollback dispatched" in check["output"]["title"]

    # A re-run of the job (attempt 2) finds the rollback and does not dispatch again.
    proc = tollgate(probe_args(down.url, tmp_path, "r2.json"), workspace, emulator, extra_env={"GITHUB_RUN_ATTEMPT": "2"})
    assert proc.returncode == 1
    assert len(emulator.state()["dispatches"]) == 1
    again = json.loads((tmp_path / "r2.json").read_text())["rollback"]
    assert again["dispatched"] is False and again["already_dispatched"] is True
    assert again["run_url"] == run["html_url"]


def test_passing_probes_never_dispatch_nor_touch_the_deployment(emulator, workspace, repo, target, tmp_path):
    up = target(200)
    seed_deployment(emulator, repo, "in_progress")
    proc = tollgate(probe_args(up.url, tmp_path), workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    assert up.hits == 2
    state = emulator.state()
    assert state["dispatches"] == []
    [d] = deployments(emulator, repo)
    assert states(d) == ["in_progress"]
    assert json.loads((tmp_path / "r.json").read_text())["rollback"] == {
        "requested": False, "dispatched": False, "already_dispatched": False, "run_url": None}


def test_a_server_without_return_run_details_gets_the_dispatch_again_and_the_run_is_found(emulator, workspace, repo,
                                                                                         target, tmp_path):
    emulator.settings(dispatch_mode="legacy")
    seed_deployment(emulator, repo, "in_progress")
    proc = tollgate(probe_args(target(500).url, tmp_path), workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    state = emulator.state()
    [dispatch] = state["dispatches"]
    assert dispatch["return_run_details"] is None
    refused = [r for r in emulator.requests() if r["path"].endswith("/dispatches") and r["status"] == 422]
    assert len(refused) == 1
    [run] = [r for r in state["workflow_runs"] if r["id"] == dispatch["run_id"]]
    rollback = json.loads((tmp_path / "r.json").read_text())["rollback"]
    assert rollback["dispatched"] is True and rollback["run_url"] == run["html_url"]


def test_a_dispatch_applied_before_a_502_is_not_sent_again(emulator, workspace, repo, target, tmp_path):
    seed_deployment(emulator, repo, "in_progress")
    emulator.fault_once(kind="applied_502", method="POST", path_regex="/dispatches$")
    proc = tollgate(probe_args(target(503).url, tmp_path), workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    assert len(emulator.state()["dispatches"]) == 1
    assert any(r.get("fault") == "applied_502" for r in emulator.requests())
    assert json.loads((tmp_path / "r.json").read_text())["rollback"]["run_url"].startswith("http://github.example/")


@pytest.mark.parametrize("legs", [2, 3])
def test_concurrent_failing_legs_dispatch_once(emulator, workspace, repo, target, tmp_path, legs):
    seed_deployment(emulator, repo, "in_progress")
    # The legs fail together, so they race through the same requests to the API at the same time.
    down = target(503, threading.Barrier(legs, timeout=20))
    # Every API answer takes 40 ms (applied on arrival, as over a real network), so each leg's checks
    # for an existing rollback happen before the other's dispatch lands: only the claim keeps it single.
    emulator.faults(rate=1.0, kinds=["slow"], seed=1, latency_ms=40)
    procs = [None] * legs

    def leg(i):
        args = probe_args(down.url, tmp_path, f"leg{i}.json") + ["--matrix", json.dumps({"region": f"r{i}"})]
        procs[i] = tollgate(args, workspace, emulator, extra_env={"GITHUB_JOB": f"probe-{i}"})

    threads = [threading.Thread(target=leg, args=(i,)) for i in range(legs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(p is not None and p.returncode == 1 for p in procs), [p and p.stderr for p in procs]
    state = emulator.state()
    assert len(state["dispatches"]) == 1
    results = [json.loads((tmp_path / f"leg{i}.json").read_text())["rollback"] for i in range(legs)]
    assert sum(r["dispatched"] for r in results) == 1
    assert sum(r["already_dispatched"] for r in results) == legs - 1
    run_url = next(r for r in state["workflow_runs"] if r["id"] == state["dispatches"][0]["run_id"])["html_url"]
    assert {r["run_url"] for r in results} == {run_url}
    [d] = deployments(emulator, repo)
    claims = [s for s in d["statuses"] if "rollback claim" in s["description"]]
    assert len(claims) == legs


def test_rollback_dispatch_on_its_own_is_also_once(emulator, workspace, repo):
    seed_deployment(emulator, repo, "success")
    for attempt in ("1", "2"):
        proc = tollgate(["rollback", "dispatch", "--workflow", "rollback.yml", "--environment", "production",
                         "--reason", "manual"], workspace, emulator, extra_env={"GITHUB_RUN_ATTEMPT": attempt})
        assert proc.returncode == 0, proc.stderr
    [dispatch] = emulator.state()["dispatches"]
    assert dispatch["inputs"]["reason"] == "manual" and dispatch["inputs"]["to_ref"] == GOOD_SHA
    assert workspace.outputs()["run-url"].startswith("http://github.example/octo/app/actions/runs/")


def test_no_earlier_good_deployment_means_no_dispatch(emulator, workspace, target, tmp_path):
    workspace.write("a", "1")
    head = workspace.commit()
    seed_deployment(emulator, head, "in_progress")
    proc = tollgate(probe_args(target(503).url, tmp_path), workspace, emulator)
    assert proc.returncode == 1
    assert emulator.state()["dispatches"] == []
    rollback = json.loads((tmp_path / "r.json").read_text())["rollback"]
    assert rollback["dispatched"] is False and "nothing to roll back to" in rollback["note"]
    [d] = deployments(emulator, head)
    assert states(d) == ["in_progress", "failure"]


def test_dry_run_decides_but_posts_nothing(emulator, workspace, repo, target, tmp_path):
    seed_deployment(emulator, repo, "in_progress")
    proc = tollgate(probe_args(target(503).url, tmp_path) + ["--dry-run"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    state = emulator.state()
    assert state["dispatches"] == [] and state["check_runs"] == []
    [d] = deployments(emulator, repo)
    assert states(d) == ["in_progress"]
    note = json.loads((tmp_path / "r.json").read_text())["rollback"]["note"]
    assert note.startswith(f"dry run: would mark deployment {d['id']} failed and dispatch rollback.yml on main")
    assert note.endswith(GOOD_SHA)
    assert not [r for r in emulator.requests() if r["method"] == "POST"]


# ---- after a rollback ------------------------------------------------------------------------

def github_marks(emulator, deployment_id, state):
    """What GitHub does at the end of a job with `environment:`: the final status of the deployment
    it created for the job (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment)."""
    req = urllib.request.Request(f"{emulator.url}/repos/{REPO}/deployments/{deployment_id}/statuses",
                                 data=json.dumps({"state": state}).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json",
                                          "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
                                          "User-Agent": "tollgate-tests"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


@pytest.mark.parametrize("rollback_job", ["tollgate deployment start", "a job of its own"])
def test_after_a_rollback_plan_returns_the_commit_rolled_back_to_not_the_one_rolled_back_from(
        emulator, workspace, repo, target, tmp_path, rollback_job):
    bad = repo
    down = target(503)
    # The deploy job: GitHub made its deployment; the probes fail and dispatch the rollback.
    first = seed_deployment(emulator, bad, None)
    proc = tollgate(probe_args(down.url, tmp_path), workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    assert emulator.state()["dispatches"][0]["inputs"]["to_ref"] == GOOD_SHA
    github_marks(emulator, first["id"], "failure")

    # The rollback run runs on the default branch, whose head is still the bad commit: its job has
    # `environment:`, so GitHub creates a deployment of the bad commit and marks it success at the end.
    run_record = seed_deployment(emulator, bad, None)
    if rollback_job == "tollgate deployment start":
        proc = tollgate(["deployment", "start", "--environment", "production", "--sha", GOOD_SHA, "--ref", GOOD_SHA],
                        workspace, emulator, extra_env={"GITHUB_RUN_ID": "3001"})
        assert proc.returncode == 0, proc.stderr
        redeployed = workspace.outputs()["deployment-id"]
        good = deployments(emulator, GOOD_SHA)
        assert len(good) == 2 and str(max(d["id"] for d in good)) == redeployed  # a new one: the newest record
        [record] = [d for d in deployments(emulator, bad) if d["id"] == run_record["id"]]
        assert states(record) == ["inactive"]
        assert record["statuses"][0]["description"].startswith("tollgate: not deployed")
        proc = tollgate(["deployment", "finish", "--environment", "production", "--deployment-id", redeployed,
                         "--state", "success"], workspace, emulator, extra_env={"GITHUB_RUN_ID": "3001"})
        assert proc.returncode == 0, proc.stderr
    github_marks(emulator, run_record["id"], "success")

    # The next deploy fails as well: the commit to go back to is still the good one.
    workspace.write("app.txt", "v3")
    bad2 = workspace.commit("v3")
    seed_deployment(emulator, bad2, "failure")
    proc = tollgate(["rollback", "plan", "--environment", "production", "--sha", bad2], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    assert workspace.outputs()["to-ref"] == GOOD_SHA


def test_start_for_the_commit_the_job_runs_on_still_uses_the_deployment_github_made(emulator, workspace, repo):
    made = seed_deployment(emulator, repo, None)
    proc = tollgate(["deployment", "start", "--environment", "production", "--sha", repo], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    [d] = deployments(emulator, repo)
    assert d["id"] == made["id"] and states(d) == ["in_progress"]
