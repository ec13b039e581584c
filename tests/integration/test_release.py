"""`tollgate release` against the GitHub API emulator with seeded histories: the commits and pull
requests between the environment's last successful deployment and the commit to deploy (exactly
those), first deployments, force-pushes, rollbacks; required checks that fail, are missing or still
run past the wait; and the least `permissions:` a job needs, each missing one named."""
import hashlib
import subprocess
import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, TOKEN, run_tollgate
from support import markdown

REPO = "octo/app"
# What the deploy template's release job grants (workflows-templates/deploy.yml).
LEAST = {"contents": "read", "deployments": "read", "checks": "read", "statuses": "read", "pull-requests": "read"}


def sha(name):
    return hashlib.sha1(name.encode()).hexdigest()


def commit(name, parents, login="alice", when="2026-11-01T10:00:00Z"):
    return {"sha": sha(name), "parents": [sha(p) for p in parents], "message": f"{name}: change\n\nbody of {name}",
            "author": {"name": login.title(), "email": f"{login}@example.com", "date": when, "login": login}}


class History:
    """main: c0 ← c1 (PR #1, squash) ← c2 (merge of PR #2: p2a) ← c3 (pushed, no PR) ← c4 (PR #3, squash).
    p2a branches from c1. Deployments of production: c0 success, c1 success, c3 failure."""

    def __init__(self, emulator):
        self.emulator = emulator

    def seed_commits(self, commits, refs=None):
        self.emulator.call("POST", "/_emulator/commits", {"repo": REPO, "commits": commits, "refs": refs or {}})

    def seed_main(self):
        self.seed_commits([
            commit("c0", [], "root"),
            commit("c1", ["c0"], "alice"),
            commit("p2a", ["c1"], "bob"),
            commit("c2", ["c1", "p2a"], "bob"),
            commit("c3", ["c2"], "carol"),
            commit("c4", ["c3"], "dave"),
        ], {"main": sha("c4")})
        self.pull(1, "First feature", "alice", [sha("c1")], sha("c1"))
        self.pull(2, "Second feature", "bob", [sha("p2a")], sha("c2"))
        self.pull(3, "Third feature", "dave", [sha("c4")], sha("c4"))

    def pull(self, number, title, login, commits, merge_sha):
        self.emulator.call("POST", "/_emulator/pulls", {
            "repo": REPO, "number": number, "title": title, "state": "closed", "user": login,
            "merged_at": "2026-11-01T11:00:00Z", "merge_commit_sha": merge_sha, "commits": commits,
            "head": {"ref": f"feature-{number}", "sha": commits[-1]}, "base": {"ref": "main", "sha": sha("c0")}})

    def deploy(self, name_or_sha, state, environment="production"):
        s = name_or_sha if len(name_or_sha) == 40 else sha(name_or_sha)
        return self.emulator.call("POST", "/_emulator/deployments", {
            "repo": REPO, "environment": environment, "sha": s, "ref": "main",
            "statuses": [{"state": state}] if state else []})


@pytest.fixture
def history(emulator):
    return History(emulator)


def release(workspace, emulator, target, *extra, token=TOKEN, json_name="release.json"):
    out = workspace.runner_dir / json_name
    proc = run_tollgate(["release", "--environment", "production", "--sha", target, "--json", str(out), *extra],
                        workspace, emulator, token=token, sha=target)
    result = json.loads(out.read_text())["release"] if out.exists() else None
    return proc, result


def check_run(emulator, target, name, conclusion=None, status=None, title=None, external_id=None):
    body = {"repo": REPO, "name": name, "head_sha": target}
    if conclusion:
        body["conclusion"] = conclusion
    if status:
        body["status"] = status
    if title:
        body["output"] = {"title": title, "summary": title}
    if external_id:
        body["external_id"] = external_id
    return emulator.call("POST", "/_emulator/check-runs", body)


def api(emulator, method, path, body):
    req = urllib.request.Request(emulator.url + path, data=json.dumps(body).encode(), method=method, headers={
        "Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "test", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def commit_status(emulator, target, context, state, description):
    api(emulator, "POST", f"/repos/{REPO}/statuses/{target}",
        {"state": state, "context": context, "description": description})


def shown(workspace):
    """The job summary as a reader sees it: the text GitHub's Markdown engine renders."""
    return markdown.render(workspace.summary.read_text(), to="plaintext")


def scoped_token(emulator, name, permissions):
    emulator.call("POST", "/_emulator/tokens", {"token": name, "mode": "read-write", "permissions": permissions})
    return name


# ---- what is shipped ---------------------------------------------------------------------------

def test_lists_exactly_the_commits_and_pull_requests_since_the_last_successful_deployment(emulator, workspace, history):
    history.seed_main()
    history.deploy("c0", "success")
    history.deploy("c1", "success")
    history.deploy("c3", "failure")  # newer, but failed: not what production runs
    proc, r = release(workspace, emulator, sha("c4"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "forward"
    assert r["previous"]["sha"] == sha("c1")
    assert [c["sha"] for c in r["commits"]] == [sha("p2a"), sha("c2"), sha("c3"), sha("c4")]
    assert [(p["number"], p["title"], p["author"]) for p in r["pull_requests"]] == [
        (2, "Second feature", "bob"), (3, "Third feature", "dave")]
    assert r["pull_requests"][0]["url"].endswith("/octo/app/pull/2")
    assert {c["sha"]: c["pull_requests"] for c in r["commits"]} == {
        sha("p2a"): [2], sha("c2"): [2], sha("c3"): [], sha("c4"): [3]}
    out = workspace.outputs()
    assert out["kind"] == "forward" and out["commits"] == "4" and out["pull-requests"] == "2,3"
    assert out["previous-sha"] == sha("c1")
    assert int(out["since-seconds"]) >= 0
    summary = workspace.summary.read_text()
    assert "Forward: 4 commits since the last successful deployment." in summary
    assert "Second feature" in summary and "Third feature" in summary and "First feature" not in summary
    assert "[#2](http://github.example/octo/app/pull/2)" in summary
    # Read-only: nothing was written.
    assert not [q for q in emulator.requests() if q["method"] != "GET"]


def test_pages_through_a_long_comparison(emulator, workspace, history):
    commits = [commit("r0", [])]
    for i in range(1, 231):
        commits.append(commit(f"r{i}", [f"r{i - 1}"]))
    history.seed_commits(commits, {"main": sha("r230")})
    history.deploy("r0", "success")
    proc, r = release(workspace, emulator, sha("r230"))
    assert proc.returncode == 0, proc.stderr
    assert [c["sha"] for c in r["commits"]] == [sha(f"r{i}") for i in range(1, 231)]
    compares = [q for q in emulator.requests() if q["operation_id"] in ("repos/compare-commits", "repos/compare-commits-with-basehead")]
    assert len(compares) == 3  # 100 + 100 + 30


def test_a_first_deployment_says_so(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success", environment="staging")  # another environment does not count
    proc, r = release(workspace, emulator, sha("c4"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "first" and r["previous"] is None and r["commits"] == []
    assert workspace.outputs()["kind"] == "first"
    assert "First deployment: the environment has no successful deployment yet" in shown(workspace)


def test_a_force_push_that_rewrote_history_says_what_arrives_and_what_leaves(emulator, workspace, history):
    history.seed_main()
    history.deploy("c4", "success")
    # main is force-pushed: c3 and c4 are dropped, n1 and n2 are built on c2.
    history.seed_commits([commit("n1", ["c2"], "erin"), commit("n2", ["n1"], "erin")], {"main": sha("n2")})
    history.pull(4, "Rewrite", "erin", [sha("n1"), sha("n2")], sha("n2"))
    proc, r = release(workspace, emulator, sha("n2"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "rewritten" and r["ahead_by"] == 2 and r["behind_by"] == 2
    assert [c["sha"] for c in r["commits"]] == [sha("n1"), sha("n2")]
    assert [p["number"] for p in r["pull_requests"]] == [4]
    assert "History rewritten: the deployed commit is not an ancestor of this one" in shown(workspace)


def test_a_deployment_older_than_the_target_is_a_rollback(emulator, workspace, history):
    history.seed_main()
    history.deploy("c4", "success")
    proc, r = release(workspace, emulator, sha("c2"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "rollback" and r["behind_by"] == 2
    assert [c["sha"] for c in r["commits"]] == [sha("c3"), sha("c4")]  # what leaves
    summary = shown(workspace)
    assert "Rollback: this commit is older than the deployed one; 2 commits leave the environment." in summary
    assert "Commits that leave (2)" in summary
    # The pull request whose change is taken away is not presented as shipped.
    assert [p["number"] for p in r["pull_requests"]] == [3]
    assert "Pull requests that leave (1)" in summary and "#3 Third feature — by dave" in summary


def test_deploying_the_commit_that_runs_now_is_a_redeploy(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success")
    live = history.deploy("c4", "success")
    history.deploy("c4", "in_progress")  # this job's own deployment, not finished: not what runs
    proc, r = release(workspace, emulator, sha("c4"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "redeploy" and r["previous"]["deployment_id"] == live["id"] and r["commits"] == []
    assert "Redeploy: this commit is the one deployed last." in shown(workspace)


def test_a_deployed_commit_that_is_gone_is_an_unknown_base(emulator, workspace, history):
    history.seed_main()
    history.deploy("f" * 40, "success")  # a commit the repository no longer has
    proc, r = release(workspace, emulator, sha("c4"))
    assert proc.returncode == 0, proc.stderr
    assert r["kind"] == "unknown-base" and r["commits"] == []
    assert "the deployed commit is no longer in the repository" in shown(workspace)


# ---- whether the gates passed -----------------------------------------------------------------

def test_required_checks_pass_and_tollgate_headlines_are_shown(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success")
    target = sha("c4")
    check_run(emulator, target, "CI / tests", "success", title="42 tests, all passed", external_id="tollgate:abc:1:1:x")
    check_run(emulator, target, "CI / coverage", "success", title="Coverage 84.1% (+0.6 pp) · patch 92.0%",
              external_id="tollgate:def:1:1:x")
    check_run(emulator, target, "CodeQL", "neutral")
    commit_status(emulator, target, "tollgate/lighthouse", "success", "Lighthouse: performance 0.93, accessibility 1.00")
    proc, r = release(workspace, emulator, target, "--require", "CI / *", "--require", "tollgate/lighthouse")
    assert proc.returncode == 0, proc.stderr
    assert [x["state"] for x in r["required"]] == ["passed", "passed"]
    summary = shown(workspace)
    assert "Coverage 84.1% (+0.6 pp) · patch 92.0%" in summary
    assert "42 tests, all passed" in summary and "performance 0.93" in summary
    assert workspace.outputs()["passed"] == "true"


def test_the_headlines_are_those_tollgate_itself_posted_on_the_commit(emulator, workspace, history):
    """Tests, coverage with its Δ against the base's result, Lighthouse scores, security findings and
    staging probes: each posted by the real command on the commit, each headline in the evidence."""
    from test_actions_harness import Site

    data = ROOT / "tests/data"
    shutil.copytree(data / "actions/project/src", workspace.path / "src")
    target = workspace.commit("the cart")

    def post(*args):
        proc = run_tollgate(list(args), workspace, emulator, sha=target)
        assert proc.returncode in (0, 1), proc.stderr

    post("tests", "--report", str(data / "actions/junit-node20.xml"), "--check-name", "Tests")
    base = workspace.runner_dir / "base-coverage.json"
    proc = run_tollgate(["coverage", "--report", str(data / "actions/lcov-node20.info"), "--json", str(base),
                         "--dry-run"], workspace, emulator, sha=target)
    assert proc.returncode == 0, proc.stderr
    post("coverage", "--report", str(data / "actions/lcov-node22.info"), "--baseline", str(base),
         "--check-name", "Coverage")
    shutil.copy(data / "lighthouse/configs/categories.json", workspace.path / "lighthouserc.json")
    post("lighthouse", "--report", str(data / "lighthouse/lh12/fast-*.json"), "--config",
         str(workspace.path / "lighthouserc.json"), "--check-name", "Lighthouse")
    post("scan", "--report", str(data / "sarif/clang-analyze.sarif"), "--check-name", "Security")
    site = Site(True)
    try:
        post("probe", "--url", site.url + "/healthz", "--count", "2", "--interval", "100ms",
             "--check-name", "Probes (staging)")
    finally:
        site.close()
    posted = {c["name"]: c["output"]["title"] for c in emulator.state(REPO)["check_runs"]}
    assert set(posted) == {"Tests", "Coverage", "Lighthouse", "Security", "Probes (staging)"}, posted

    proc, r = release(workspace, emulator, target, "--require", "Tests", "--require", "Coverage",
                      "--require", "Lighthouse", "--require", "Security", "--require", "Probes (staging)")
    assert {c["name"]: c["headline"] for c in r["checks"] if c["kind"] == "check_run"} == posted
    assert all(c["tollgate"] for c in r["checks"] if c["kind"] == "check_run")
    summary = shown(workspace)
    for title in posted.values():
        assert title in summary
    assert re.search(r"\([+-][0-9.]+\)", posted["Coverage"]), posted  # the change against the base
    assert re.search(r"performance [0-9]+", posted["Lighthouse"]), posted  # the scores
    assert "5 warning" in posted["Security"] and "passed" in posted["Probes (staging)"], posted


def test_refuses_when_a_required_check_failed(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success")
    target = sha("c4")
    check_run(emulator, target, "CI / build", "success")
    check_run(emulator, target, "CI / tests", "failure", title="42 tests, 3 failed")
    proc, r = release(workspace, emulator, target, "--require", "CI / *")
    assert proc.returncode == 1, proc.stderr
    assert "required check 'CI / *' did not succeed: CI / tests" in proc.stderr
    assert workspace.outputs()["required-failed"] == "CI / *"
    summary = shown(workspace)
    assert summary.index("Do not approve") < summary.index("Commits (4)")


def test_a_failing_status_counts_like_a_failing_check_run(emulator, workspace, history):
    history.seed_main()
    target = sha("c4")
    commit_status(emulator, target, "ci/jenkins", "success", "ok")
    commit_status(emulator, target, "ci/jenkins", "error", "build errored")  # the latest counts
    proc, _ = release(workspace, emulator, target, "--require", "ci/jenkins")
    assert proc.returncode == 1
    assert "required check 'ci/jenkins' did not succeed: ci/jenkins" in proc.stderr


def test_refuses_when_a_required_check_is_missing(emulator, workspace, history):
    history.seed_main()
    target = sha("c4")
    check_run(emulator, target, "lint", "success")
    proc, r = release(workspace, emulator, target, "--require", "CI / tests")
    assert proc.returncode == 1
    assert "required check 'CI / tests' is missing" in proc.stderr
    assert r["required"] == [{"pattern": "CI / tests", "state": "missing"}]


def test_refuses_when_a_required_check_is_still_running_after_the_wait(emulator, workspace, history):
    history.seed_main()
    target = sha("c4")
    check_run(emulator, target, "CI / tests", status="in_progress")
    started = time.monotonic()
    proc, r = release(workspace, emulator, target, "--require", "CI / tests", "--wait", "1s")
    assert proc.returncode == 1
    assert time.monotonic() - started < 10  # bounded
    assert "required check 'CI / tests' is still running after waiting 1s: CI / tests" in proc.stderr
    reads = [q for q in emulator.requests() if q["operation_id"] == "checks/list-for-ref"]
    assert len(reads) == 2  # at the start, and once the wait is over


def test_a_failed_required_check_ends_the_wait_while_another_still_runs(emulator, workspace, history):
    history.seed_main()
    target = sha("c4")
    check_run(emulator, target, "CI / tests", status="in_progress")
    check_run(emulator, target, "Lighthouse", "failure", title="Lighthouse: performance 0.41")
    started = time.monotonic()
    proc, r = release(workspace, emulator, target, "--require", "CI / tests", "--require", "Lighthouse",
                      "--wait", "20s")
    assert proc.returncode == 1
    assert time.monotonic() - started < 10  # refused at once: nothing CI does can let the commit through
    assert [x["state"] for x in r["required"]] == ["pending", "failed"]
    assert "required check 'Lighthouse' did not succeed: Lighthouse" in proc.stderr
    # It was not waited for, and the message does not claim it was.
    assert "required check 'CI / tests' is still running: CI / tests" in proc.stderr
    assert "after waiting" not in proc.stderr
    assert len([q for q in emulator.requests() if q["operation_id"] == "checks/list-for-ref"]) == 1


def test_waits_for_a_required_check_that_completes_in_time(emulator, workspace, history):
    history.seed_main()
    target = sha("c4")
    run = check_run(emulator, target, "CI / tests", status="in_progress")

    def finish():
        time.sleep(1.0)
        api(emulator, "PATCH", f"/repos/{REPO}/check-runs/{run['id']}", {"conclusion": "success"})

    t = threading.Thread(target=finish)
    t.start()
    proc, r = release(workspace, emulator, target, "--require", "CI / tests", "--wait", "3s")
    t.join()
    assert proc.returncode == 0, proc.stderr
    assert r["required"] == [{"pattern": "CI / tests", "state": "passed"}]


# ---- permissions -----------------------------------------------------------------------------

def test_works_with_the_least_permissions(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success")
    check_run(emulator, sha("c4"), "CI / tests", "success")
    token = scoped_token(emulator, "ghs_least", LEAST)
    proc, r = release(workspace, emulator, sha("c4"), "--require", "CI / tests", token=token)
    assert proc.returncode == 0, proc.stderr
    assert [p["number"] for p in r["pull_requests"]] == [2, 3]


@pytest.mark.parametrize("missing", ["deployments", "contents", "checks", "statuses", "pull-requests"])
def test_a_missing_permission_is_named(emulator, workspace, history, missing):
    history.seed_main()
    history.deploy("c1", "success")
    token = scoped_token(emulator, f"ghs_no_{missing}", {k: v for k, v in LEAST.items() if k != missing})
    proc, _ = release(workspace, emulator, sha("c4"), token=token)
    assert proc.returncode == 3, proc.stderr
    assert f"the job needs `permissions: {{ {missing}: read }}`" in proc.stderr


def test_the_description_goes_on_the_deployment_and_needs_deployments_write(emulator, workspace, history):
    history.seed_main()
    history.deploy("c1", "success")
    target = history.deploy("c4", "in_progress")
    check_run(emulator, sha("c4"), "CI / tests", "failure")
    token = scoped_token(emulator, "ghs_read_deployments", LEAST)
    proc, _ = release(workspace, emulator, sha("c4"), "--deployment-id", str(target["id"]), token=token)
    assert proc.returncode == 3
    assert "the job needs `permissions: { deployments: write }`" in proc.stderr

    token = scoped_token(emulator, "ghs_write_deployments", dict(LEAST, deployments="write"))
    proc, _ = release(workspace, emulator, sha("c4"), "--deployment-id", str(target["id"]), "--require", "CI / tests",
                      token=token, json_name="second.json")
    assert proc.returncode == 1
    dep = next(d for d in emulator.state()["deployments"] if d["id"] == target["id"])
    newest = dep["statuses"][0]
    assert newest["state"] == "in_progress"  # the state it had
    description = workspace.outputs()["description"]
    assert newest["description"] == description
    assert len(description) <= 140 and description.startswith("NOT READY ")
    writes = [q for q in emulator.requests() if q["method"] != "GET"]
    assert [(q["operation_id"], q["status"]) for q in writes] == [
        ("repos/create-deployment-status", 403), ("repos/create-deployment-status", 201)]


# ---- deploy.yml end to end, through the actions harness ----------------------------------------

from harness import deployments  # noqa: E402
from test_actions_harness import ci_posted_checks, needs_commands  # noqa: E402
from test_first_run import TEMPLATES, bin_dir, ci_completed, deploy_harness, harness_for, production_deployments, sites  # noqa: E402,F401


def seed_git_history(emulator, path):
    """The repository's commits as GitHub has them after the push (oldest first), main at HEAD."""
    log = subprocess.run(["git", "log", "--all", "--reverse", "--topo-order",
                          "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s"], cwd=path, stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    commits = []
    for line in log.splitlines():
        h, parents, name, email, date, subject = line.split("\x1f")
        commits.append({"sha": h, "parents": parents.split(), "message": subject,
                        "author": {"name": name, "email": email, "date": date}})
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, stdout=subprocess.PIPE, text=True).stdout.strip()
    emulator.call("POST", "/_emulator/commits", {"repo": REPO, "commits": commits, "refs": {"main": head}})


def run_deploy(workspace, emulator, bin_dir, sites, sha, run_id, **hooks):
    staging, production = sites
    if hooks:
        env_vars = {"staging": {"APP_URL": staging.url}, "production": {"APP_URL": production.url}}
        h = harness_for(workspace, emulator, bin_dir, sha=sha, run_id=run_id, environment_vars=env_vars, **hooks)
    else:
        h = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, run_id)
    return h.run_workflow(TEMPLATES / "deploy.yml", event_name="workflow_run",
                          event=ci_completed(workspace, sha, "success", run_id=int(run_id) - 500)[1])


@needs_commands("probe", "deployment", "rollback", "release")
def test_deploy_yml_shows_the_evidence_before_production_and_deploys_a_commit_whose_checks_passed(
        workspace, emulator, bin_dir, sites):
    workspace.write("app.txt", "v1\n")
    v1 = workspace.commit("v1")
    seed_git_history(emulator, workspace.path)
    ci_posted_checks(emulator, v1)
    first = run_deploy(workspace, emulator, bin_dir, sites, v1, "4001")
    assert first.job("production").result == "success", first.job("production").log()
    assert first.job("release").step("release").outputs["kind"] == "first"

    workspace.write("app.txt", "v2\n")
    v2 = workspace.commit("Add the cart")
    seed_git_history(emulator, workspace.path)
    History(emulator).pull(7, "Add the cart", "alice", [v2], v2)
    ci_posted_checks(emulator, v2)
    result = run_deploy(workspace, emulator, bin_dir, sites, v2, "4002")
    order = list(result.jobs)
    assert order.index("release") < order.index("production")  # production `needs` it: asked after it
    assert result.job("release").result == "success" and result.job("production").result == "success"
    evidence = markdown.render(result.job("release").summary, to="plaintext")
    assert f"Ready: production ← {v2[:7]}, 1 commit, 1 pull request" in evidence
    assert "Forward: 1 commit since the last successful deployment." in evidence
    assert "#7 Add the cart — by alice" in evidence and "CI (all legs)" in evidence
    # The production deployment carries the same evidence in one line.
    description = result.job("production").step("release").outputs["description"]
    assert description.startswith(f"Ready {v2[:7]}: 1 commit, 1 pull request since {v1[:7]}")
    [deployed] = production_deployments(emulator, v2)
    assert description in [s["description"] for s in deployed["statuses"]]
    assert deployed["statuses"][0]["state"] == "success"


@needs_commands("probe", "deployment", "rollback", "release")
def test_deploy_yml_never_deploys_a_commit_with_a_failing_required_check(workspace, emulator, bin_dir, sites):
    workspace.write("app.txt", "v1\n")
    v1 = workspace.commit("v1")
    History(emulator).deploy(v1, "success")
    workspace.write("app.txt", "v2\n")
    v2 = workspace.commit("v2")
    seed_git_history(emulator, workspace.path)
    ci_posted_checks(emulator, v2, lighthouse="failure")
    result = run_deploy(workspace, emulator, bin_dir, sites, v2, "4101")
    assert result.job("staging").result == "success"
    assert result.job("release").result == "failure"
    assert result.job("production").result == "skipped"
    assert production_deployments(emulator, v2) == []
    evidence = markdown.render(result.job("release").summary, to="plaintext")
    assert evidence.index("Do not approve") < evidence.index("Forward: 1 commit")
    assert "required check 'Lighthouse' did not succeed: Lighthouse" in evidence
    assert result.job("release").step("release").outputs["required-failed"] == "Lighthouse"


@needs_commands("probe", "deployment", "rollback", "release")
def test_a_check_that_turns_red_while_production_waits_for_approval_stops_the_deploy(workspace, emulator, bin_dir,
                                                                                     sites):
    workspace.write("app.txt", "v1\n")
    v1 = workspace.commit("v1")
    History(emulator).deploy(v1, "success")
    workspace.write("app.txt", "v2\n")
    v2 = workspace.commit("v2")
    seed_git_history(emulator, workspace.path)
    ci_posted_checks(emulator, v2)
    start, end = deployments.hooks(emulator.url, TOKEN)

    def approved_after_a_rerun_failed(job, environment, contexts):
        if environment == "production":  # while the reviewers read, CI's Lighthouse check is re-run and fails
            check_run(emulator, v2, "Lighthouse", "failure", title="Lighthouse: performance 0.41",
                      external_id="tollgate:rerun")
        start(job, environment, contexts)

    result = run_deploy(workspace, emulator, bin_dir, sites, v2, "4201", on_job_start=approved_after_a_rerun_failed,
                        on_job_end=end)
    assert result.job("release").result == "success"
    production = result.job("production")
    assert production.result == "failure"
    assert production.step("release").outcome == "failure"
    assert production.step("deploy").outcome == "skipped" and production.step("probe").outcome == "skipped"
    [record] = production_deployments(emulator, v2)
    assert any(s["state"] == "inactive" and s["description"].startswith("tollgate: not deployed")
               for s in record["statuses"])
    plan = run_tollgate(["rollback", "plan", "--environment", "production", "--sha", "f" * 40], workspace, emulator,
                        sha=v2)
    assert plan.returncode == 0 and workspace.outputs()["to-ref"] == v1  # never the commit that was not deployed


def test_the_templates_permissions_are_enough_and_no_more_is_asked(emulator, workspace, history):
    """Each job of deploy.yml that runs `release` gets a token scoped to exactly its `permissions:`."""
    from harness import load

    jobs = load((TEMPLATES / "deploy.yml").read_text())["jobs"]
    history.seed_main()
    history.deploy("c1", "success")
    ci_posted_checks(emulator, sha("c4"))
    target = history.deploy("c4", "in_progress")
    for job_id, extra in (("release", []), ("production", ["--deployment-id", str(target["id"])])):
        uses = [s for s in jobs[job_id]["steps"] if "actions/release" in str(s.get("uses", ""))]
        assert uses, f"{job_id} runs no release step"
        token = scoped_token(emulator, f"ghs_{job_id}", jobs[job_id]["permissions"])
        require = [a for line in uses[0]["with"]["require"].splitlines() if line.strip() for a in ("--require", line.strip())]
        proc, r = release(workspace, emulator, sha("c4"), *require, *extra, token=token, json_name=f"{job_id}.json")
        assert proc.returncode == 0, proc.stderr
        assert [p["number"] for p in r["pull_requests"]] == [2, 3]
    assert "write" not in jobs["release"]["permissions"].values()


def test_the_release_job_in_docs_release_md_is_the_templates():
    from harness import load

    doc = (TEMPLATES.parent / "docs/release.md").read_text()
    block = re.search(r"```yaml\n(jobs:\n.*?)```", doc, re.S).group(1)
    assert load(block)["jobs"]["release"] == load((TEMPLATES / "deploy.yml").read_text())["jobs"]["release"]


HOSTILE = "<script>x</script> | **b** [l](javascript:x) @octocat #1 ![i](http://e/x.png)\n- item `tick`\n\n# head"


def test_hostile_titles_messages_and_check_names_keep_the_summary_structure(emulator, workspace, history):
    def summary_with(text, login):
        emulator.reset()
        workspace.summary.unlink(missing_ok=True)
        history.seed_commits([commit("h0", [], login), dict(commit("h1", ["h0"], login), message=text)],
                             {"main": sha("h1")})
        history.pull(5, text, login, [sha("h1")], sha("h1"))
        history.deploy("h0", "success")
        check_run(emulator, sha("h1"), text, "failure", title=text, external_id="tollgate:x")
        commit_status(emulator, sha("h1"), "ctx " + text[:60], "failure", text[:140])
        proc, _ = release(workspace, emulator, sha("h1"), "--require", text)
        assert proc.returncode == 1
        return workspace.summary.read_text()

    benign = summary_with("plain words here", "alice")
    hostile = summary_with(HOSTILE, "evil-user")
    assert markdown.flat(markdown.structure(hostile)) == markdown.flat(markdown.structure(benign))
    # Only the pull request's own number, as the text of our link to it; nothing from the report.
    live = [r for r in markdown.live_references(hostile) if not r.startswith(("http", "<a"))]
    assert set(live) == {"#5"}, live
    assert not [r for r in markdown.live_references(hostile) if "e/x.png" in r or "javascript" in r]
    assert "http://e/x.png" not in markdown.render(hostile, to="html")
    assert "<script>" not in hostile and "@octocat" not in hostile


# ---- the emulator's compare API, as GitHub documents it ---------------------------------------

def get(emulator, path, token=TOKEN):
    req = urllib.request.Request(emulator.url + path, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "test"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read().decode()), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode()), dict(e.headers)


def test_the_emulated_compare_api_follows_the_documentation(emulator, history):
    chain = [commit("u0", [])] + [commit(f"u{i}", [f"u{i - 1}"]) for i in range(1, 261)]
    history.seed_commits(chain + [commit("other", [])], {"main": sha("u260")})
    # Without paging parameters: at most 250 commits, the last one the most recent.
    status, body, headers = get(emulator, f"/repos/{REPO}/compare/{sha('u0')}...{sha('u260')}")
    assert status == 200 and body["status"] == "ahead" and body["total_commits"] == 260
    assert len(body["commits"]) == 250 and body["commits"][-1]["sha"] == sha("u260") and "link" not in headers
    # With them: pages, the first commit of each page the earliest.
    status, body, headers = get(emulator, f"/repos/{REPO}/compare/{sha('u0')}...main?per_page=100&page=3")
    assert [c["sha"] for c in body["commits"]] == [sha(f"u{i}") for i in range(201, 261)]
    status, body, _ = get(emulator, f"/repos/{REPO}/compare/{sha('u5')}...{sha('u5')}")
    assert body["status"] == "identical" and body["commits"] == []
    assert get(emulator, f"/repos/{REPO}/compare/{sha('u0')}...{sha('other')}")[0] == 404  # no common ancestor
    assert get(emulator, f"/repos/{REPO}/compare/{'e' * 40}...{sha('u1')}")[0] == 404  # unknown commit
    # The pull requests of a commit: on the default branch, the merged one that brought it.
    history.pull(9, "Nine", "zed", [sha("u7")], sha("u8"))
    assert [p["number"] for p in get(emulator, f"/repos/{REPO}/commits/{sha('u7')}/pulls")[1]] == [9]
    assert [p["number"] for p in get(emulator, f"/repos/{REPO}/commits/{sha('u8')}/pulls")[1]] == [9]
    assert get(emulator, f"/repos/{REPO}/commits/{sha('u9')}/pulls")[1] == []


def test_a_scoped_token_is_refused_outside_its_permissions(emulator, history):
    history.seed_main()
    token = scoped_token(emulator, "ghs_checks_only", {"checks": "read"})
    assert get(emulator, f"/repos/{REPO}/commits/{sha('c4')}/check-runs", token)[0] == 200
    status, body, _ = get(emulator, f"/repos/{REPO}/compare/{sha('c0')}...{sha('c4')}", token)
    assert status == 403 and body["message"] == "Resource not accessible by integration"
    assert get(emulator, f"/repos/{REPO}", token)[0] == 200  # metadata: always granted


def test_the_time_since_counts_from_when_the_deployment_succeeded(emulator, workspace, history):
    history.seed_main()
    d = history.deploy("c1", None)  # created now, live only when its success status comes
    time.sleep(2.2)
    api(emulator, "POST", f"/repos/{REPO}/deployments/{d['id']}/statuses", {"state": "success"})
    proc, r = release(workspace, emulator, sha("c4"))
    assert proc.returncode == 0, proc.stderr
    assert r["previous"]["deployment_id"] == d["id"] and r["age_seconds"] <= 1
