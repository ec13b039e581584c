"""A new user's first run, through the actions harness with GitHub's own defaults (tests/harness:
actions/checkout one commit deep, the merge commit on pull_request, the deployment GitHub creates for
a job with `environment:`, `on:` filters with $default-branch a literal branch name, the runner's
annotation caps):

- the templates copied as they are run on push, pull_request, merge_group and workflow_dispatch; the
  organization form runs the same once GitHub substitutes $default-branch, and never without it;
- every quick start of README.md and docs/actions.md, with its YAML read from the document;
- ci.yml on a pull request: patch coverage from a depth-1 checkout equals diff-cover's on a full clone;
- deploy.yml deploys a commit only after its CI passed;
- deploy → failing probes → rollback → a second failing deploy: `rollback plan` still returns the
  first good commit;
- a fork's pull request through the documented workflow_run publisher: one sticky comment on the
  right pull request, none on another one a forged artifact names;
- 30 failures under a read-only token: at most 10 ::error lines, changed lines first, the rest counted;
- a merge_group run.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TOKEN, git
from test_actions_harness import Site, check_runs, ci_posted_checks, needs_commands

sys.path.insert(0, str(ROOT / "tests"))
from harness import Harness, NotTriggered, default_stubs, load  # noqa: E402
from harness import deployments  # noqa: E402
from harness import repo as events  # noqa: E402

TEMPLATES = ROOT / "workflows-templates"
README = ROOT / "README.md"
ACTIONS_DOC = ROOT / "docs/actions.md"
FORK_TOKEN = "ghs_forkREADONLYtoken0123456789abcdefXYZ"


# ---- fixtures and helpers ------------------------------------------------------------------------

@pytest.fixture
def bin_dir(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    (d / "tollgate").symlink_to(os.environ.get("TOLLGATE_BIN", str(ROOT / "build/tollgate")))
    return d


def harness_for(workspace, emulator, bin_dir, *, sha, token=TOKEN, run_id="2001", **kwargs):
    # /usr/bin first: the Debian python3 with pytest and coverage, as a runner's setup-python would give.
    path = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin", os.environ["PATH"]])
    return Harness(workspace.path, github={
        "repository": "octo/app", "sha": sha, "ref": "refs/heads/main", "api_url": emulator.url, "token": token,
        "server_url": "https://github.example", "run_id": run_id,
    }, aliases={"tollgate/tollgate": ROOT}, stubs=default_stubs(),
        env={"PATH": path, "TOLLGATE_RETRY_BASE_MS": "20", "TOLLGATE_RETRY_BUDGET_S": "60"}, **kwargs)


def write_workflow(tmp_path, name, doc):
    path = tmp_path / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1))  # JSON is YAML: GitHub's parser reads it as written
    return path


PYTHON_PROJECT = {
    "conftest.py": "",  # pytest puts the project root on sys.path
    "shop/__init__.py": "",
    "shop/cart.py": "def total(prices):\n    return sum(prices)\n",
    "tests/test_cart.py": "from shop.cart import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
}
# The pull request: a discount, tested.
PULL_REQUEST_CHANGE = {
    "shop/cart.py": "def total(prices):\n    return sum(prices)\n\n\ndef discounted(prices, pct):\n"
                    "    full = total(prices)\n    return full - full * pct / 100\n",
    "tests/test_cart.py": PYTHON_PROJECT["tests/test_cart.py"] +
                          "\n\ndef test_discounted():\n    from shop.cart import discounted\n"
                          "    assert discounted([50, 50], 10) == 90\n",
}


def python_pull_request(workspace):
    """main: the project; feature: a pull request that adds a function and its test."""
    for rel, text in PYTHON_PROJECT.items():
        workspace.write(rel, text)
    workspace.write(".gitignore", "results/\ncoverage/\n.coverage\n__pycache__/\n")
    base = workspace.commit("project")
    git(workspace.path, "checkout", "-q", "-b", "feature")
    for rel, text in PULL_REQUEST_CHANGE.items():
        workspace.write(rel, text)
    head = workspace.commit("discount")
    git(workspace.path, "checkout", "-q", "main")
    return base, head


# ---- 1. the templates: copyable form and organization form --------------------------------------

def test_the_copied_templates_run_on_their_events_and_the_org_form_only_once_substituted(workspace, emulator, tmp_path,
                                                                                      bin_dir):
    workspace.write("a.txt", "1\n")
    first = workspace.commit("one")
    workspace.write("a.txt", "2\n")
    second = workspace.commit("two")
    git(workspace.path, "checkout", "-q", "-b", "feature")
    workspace.write("b.txt", "3\n")
    head = workspace.commit("three")
    git(workspace.path, "checkout", "-q", "main")
    h = harness_for(workspace, emulator, bin_dir, sha=second)
    push = events.push_event(workspace.path, first, second)
    pr = events.pull_request_event(workspace.path, "main", "feature")
    queue = events.merge_group_event(workspace.path, "main", head)
    dispatch = events.workflow_dispatch_event()
    ci = TEMPLATES / "ci.yml"
    for name, event in (push, pr, queue, dispatch):
        assert h.would_trigger(ci, name, event)[0], f"ci.yml copied as it is does not run on {name}"

    org = TEMPLATES / "org/ci.yml"
    # Unsubstituted, $default-branch is a branch of that name: the copied org file never runs on push.
    assert not h.would_trigger(org, *push)[0]
    substituted = tmp_path / "ci.yml"
    substituted.write_text(org.read_text().replace("$default-branch", "main"))
    for name, event in (push, pr, queue, dispatch):
        assert h.would_trigger(substituted, name, event)[0] == h.would_trigger(ci, name, event)[0]
    other_branch = events.push_event(workspace.path, second, head, ref="refs/heads/feature")
    assert h.would_trigger(substituted, *other_branch)[0] == h.would_trigger(ci, *other_branch)[0] is False


# ---- 2. quick starts, read from the documents -----------------------------------------------------

def yaml_blocks(path):
    """The ```yaml blocks of a document that use a Tollgate action, as (line, parsed steps)."""
    text = path.read_text()
    out = []
    for m in re.finditer(r"^```yaml\n(.*?)^```", text, re.S | re.M):
        body = m.group(1)
        if "tollgate/tollgate" not in body:
            continue
        doc = load(body, f"{path.name}:{text[:m.start()].count(chr(10)) + 1}")
        out.append((text[:m.start()].count("\n") + 1, doc))
    return out


def quick_start_steps():
    """(id, step list) for every quick start: README's blocks whole, and each step of
    docs/actions.md's "Quick start" block on its own (each is a line a user copies)."""
    cases = []
    for line, doc in yaml_blocks(README):
        if isinstance(doc, list):
            cases.append((f"README.md:{line}", doc))
    doc_text = ACTIONS_DOC.read_text()
    quick = doc_text[doc_text.index("## Quick start"):]
    quick = quick[:quick.index("\n## ", 4)]
    line0 = doc_text[:doc_text.index("## Quick start")].count("\n")
    m = re.search(r"^```yaml\n(.*?)^```", quick, re.S | re.M)
    steps = load(m.group(1), "docs/actions.md quick start")
    for step in steps:
        cases.append((f"docs/actions.md:{line0}:{step['uses'].split('/')[-1]}", [step]))
    return cases


QUICK_STARTS = quick_start_steps()

# What each action's quick start needs in the repository before it (the user's own build steps).
PRELUDE = {
    "tests": "pytest -q --junitxml=results/junit.xml || true",
    "coverage": "python3 -m coverage run --branch -m pytest -q && python3 -m coverage lcov -o coverage/lcov.info",
    "lighthouse": 'mkdir -p .lighthouseci && for i in 1 2 3; do cp "$LHR/lh12/fast-$i.json" .lighthouseci/lhr-$i.json; done\n'
                  'cp "$LHR/configs/categories.json" lighthouserc.json',
    "merge": 'mkdir -p results/leg-1\npytest -q --junitxml=junit.xml || true\ntollgate tests --report junit.xml --check-run none --no-status '
             '--json results/leg-1/tests.json --matrix \'{"python": "3.11"}\' || true',
}


def quick_start_workflow(tmp_path, steps, site_url):
    uses = [s for s in steps if "tollgate/tollgate" in str(s.get("uses", ""))]
    kind = uses[0]["uses"].split("@")[0].split("/")[-1]
    kind = "tests" if kind == "tollgate" else kind
    text = json.dumps(steps).replace("https://example.com", site_url)  # the user's site: a local one
    doc_steps = json.loads(text)
    prelude = [{"uses": "actions/checkout@v4"}]
    if kind in PRELUDE and not any("run" in s for s in doc_steps):
        prelude.append({"name": "the project's own build", "run": PRELUDE[kind], "env": {"LHR": str(ROOT / "tests/data/lighthouse")}})
    event = "push" if kind in ("probe", "deployment", "rollback", "setup") else "pull_request"
    workflow = {"name": "Quick start", "on": [event], "permissions": {},
                "jobs": {"job": {"runs-on": "ubuntu-latest",
                                 "permissions": {"contents": "read", "checks": "write", "statuses": "write",
                                                 "pull-requests": "write", "deployments": "write", "actions": "write"},
                                 "steps": prelude + doc_steps}}}
    return write_workflow(tmp_path, "quick-start.yml", workflow), event, kind


@pytest.mark.parametrize("case", [c for c, _ in QUICK_STARTS])
def test_each_quick_start_works_on_its_first_run(case, workspace, emulator, tmp_path, bin_dir):
    steps = dict(QUICK_STARTS)[case]
    base, head = python_pull_request(workspace)
    site = Site(True)
    try:
        path, event_name, kind = quick_start_workflow(tmp_path, steps, site.url)
        if kind == "rollback":  # an earlier good deployment to find
            emulator.call("POST", "/_emulator/deployments", {"repo": "octo/app", "environment": "production",
                                                              "sha": base, "ref": "main", "statuses": [{"state": "success"}]})
        if event_name == "pull_request":
            name, event = events.pull_request_event(workspace.path, "main", "feature")
            h = harness_for(workspace, emulator, bin_dir, sha=head)
        else:
            git(workspace.path, "merge", "-q", "--ff-only", "feature")
            name, event = events.push_event(workspace.path, base, head)
            h = harness_for(workspace, emulator, bin_dir, sha=head)
        result = h.run_workflow(path, event_name=name, event=event)
    finally:
        site.close()
    job = result.job("job")
    assert job.result == "success", job.log()
    for top in job.steps:
        assert "exit status 2" not in top.stderr, job.log()
        assert "Invalid symmetric difference" not in job.log()
    if kind in ("tests", "coverage", "lighthouse", "merge"):
        runs = check_runs(emulator)
        assert runs and all(r["head_sha"] == head for r in runs), runs  # the pull request's head, not the merge commit
    if kind == "coverage":
        patch = [s for top in job.steps for s in top.all_steps() if "patch-coverage" in s.outputs][0].outputs["patch-coverage"]
        assert patch == "100.00"


# ---- 3. ci.yml on a pull request: patch coverage from one commit equals diff-cover's --------------

def diff_cover_percent(repo, base_branch, report):
    """diff-cover on a full clone: its patch coverage of `report` against `base_branch`."""
    out = report.parent / "diff-cover.json"
    subprocess.run(["diff-cover", str(report), f"--compare-branch={base_branch}", "--json-report", str(out)],
                   cwd=repo, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data = json.loads(out.read_text())
    return data["total_percent_covered"], data["total_num_lines"]


@needs_commands("tests", "coverage", "merge")
def test_ci_template_on_a_pull_request_gives_diff_covers_patch_coverage_from_a_depth_1_checkout(
        workspace, emulator, tmp_path, bin_dir):
    base, head = python_pull_request(workspace)
    # Half the new function untested: drop the test of discounted from the head.
    git(workspace.path, "checkout", "-q", "feature")
    workspace.write("shop/cart.py", PULL_REQUEST_CHANGE["shop/cart.py"] +
                    "\n\ndef untested(x):\n    if x:\n        return 1\n    return 2\n")
    head = workspace.commit("untested")
    git(workspace.path, "checkout", "-q", "main")
    run_tests = ("python3 -m coverage run --branch -m pytest -q --junitxml=results/junit.xml\n"
                 "python3 -m coverage lcov -o coverage/lcov.info\n")
    overrides = {("lint", "install"): "true", ("lint", "lint"): "true", ("test", "install"): "true",
                 ("test", "run-tests"): run_tests, ("lighthouse", "build"): "true",
                 ("lighthouse", "lhci-collect"): PRELUDE["lighthouse"]}
    name, event = events.pull_request_event(workspace.path, "main", "feature")
    h = harness_for(workspace, emulator, bin_dir, sha=head, step_overrides=overrides)
    h.extra_env["LHR"] = str(ROOT / "tests/data/lighthouse")
    result = h.run_workflow(TEMPLATES / "ci.yml", event_name=name, event=event)
    merge = result.job("merge")
    assert "Invalid symmetric difference" not in merge.log()
    ours = merge.step("merge").outputs["patch-coverage"]

    # diff-cover on a full clone of the same commits, with a report of the same run made there.
    clone = tmp_path / "full"
    subprocess.run(["git", "clone", "-q", "--no-local", str(workspace.path), str(clone)], check=True)
    git(clone, "checkout", "-q", head)
    git(clone, "branch", "-q", "-f", "base-branch", base)
    subprocess.run(["/usr/bin/python3", "-m", "coverage", "run", "--branch", "-m", "pytest", "-q"], cwd=clone,
                   check=True, stdout=subprocess.PIPE)
    subprocess.run(["/usr/bin/python3", "-m", "coverage", "xml", "-o", "coverage.xml"], cwd=clone, check=True,
                   stdout=subprocess.PIPE)
    percent, lines = diff_cover_percent(clone, "base-branch", clone / "coverage.xml")
    assert lines > 0
    assert float(ours) == pytest.approx(percent, abs=0.005)


# ---- 4. deploy.yml deploys only what CI passed ------------------------------------------------------

def deploy_harness(workspace, emulator, bin_dir, sha, staging, production, run_id):
    start, end = deployments.hooks(emulator.url, TOKEN)
    env_vars = {"staging": {"APP_URL": staging.url}, "production": {"APP_URL": production.url}}
    return harness_for(workspace, emulator, bin_dir, sha=sha, run_id=run_id, environment_vars=env_vars,
                       on_job_start=start, on_job_end=end)


def ci_completed(workspace, sha, conclusion, *, event="push", head_branch="main", run_id=1501):
    """The workflow_run event of ci.yml (named CI) finishing for `sha`."""
    return events.workflow_run_event(workspace.path, sha, workflow="CI", conclusion=conclusion, event=event,
                                     head_branch=head_branch, run_id=run_id)


def production_deployments(emulator, sha=None):
    return [d for d in emulator.state().get("deployments", [])
            if d["environment"] == "production" and (sha is None or d["sha"] == sha)]


@pytest.fixture
def sites():
    staging, production = Site(True), Site(True)
    yield staging, production
    staging.close()
    production.close()


@needs_commands("probe", "deployment", "rollback")
def test_deploy_refuses_a_commit_whose_ci_failed_and_deploys_one_whose_ci_passed(workspace, emulator, bin_dir, sites):
    staging, production = sites
    workspace.write("app.txt", "v1\n")
    sha = workspace.commit("v1")
    deploy = TEMPLATES / "deploy.yml"

    # CI failed for the commit, or passed only for a pull request: nothing is deployed.
    for conclusion, event, branch in (("failure", "push", "main"), ("cancelled", "push", "main"),
                                      ("success", "pull_request", "feature")):
        h = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, "2101")
        result = h.run_workflow(deploy, event_name="workflow_run",
                                event=ci_completed(workspace, sha, conclusion, event=event, head_branch=branch)[1])
        assert {j: legs[0].result for j, legs in result.jobs.items()} == \
            {"gate": "skipped", "build": "skipped", "staging": "skipped", "release": "skipped", "production": "skipped"}
    assert emulator.state().get("deployments", []) == []

    # By hand: refused while the newest CI run of the commit failed.
    emulator.call("POST", "/_emulator/workflow-runs", {"repo": "octo/app", "workflow_id": "ci.yml", "head_sha": sha,
                                                       "head_branch": "main", "status": "completed", "conclusion": "failure"})
    h = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, "2102")
    refused = h.run_workflow(deploy, event_name="workflow_dispatch", inputs={"ref": "main"},
                             event=events.workflow_dispatch_event({"ref": "main"})[1])
    assert refused.job("gate").result == "failure"
    assert [refused.job(j).result for j in ("build", "staging", "release", "production")] == ["skipped"] * 4
    assert any("Not deployed" in a[1] + a[2] for s in refused.job("gate").steps for a in s.annotations) or \
        "Not deployed" in refused.job("gate").log()
    assert emulator.state().get("deployments", []) == []

    # CI passed (a re-run): the same commit is deployed, by hand and when CI completes.
    ci_posted_checks(emulator, sha)
    emulator.call("POST", "/_emulator/workflow-runs", {"repo": "octo/app", "workflow_id": "ci.yml", "head_sha": sha,
                                                       "head_branch": "main", "status": "completed", "conclusion": "success"})
    allowed = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, "2103").run_workflow(
        deploy, event_name="workflow_dispatch", inputs={"ref": sha}, event=events.workflow_dispatch_event({"ref": sha})[1],
        only_jobs=["gate"])
    assert allowed.job("gate").result == "success" and allowed.job("gate").outputs["sha"] == sha

    passed = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, "2104").run_workflow(
        deploy, event_name="workflow_run", event=ci_completed(workspace, sha, "success")[1])
    assert [passed.job(j).result for j in ("gate", "build", "staging", "release", "production")] == ["success"] * 5
    [deployed] = production_deployments(emulator, sha)
    assert deployed["statuses"][0]["state"] == "success"


@needs_commands("probe", "deployment", "rollback")
def test_deploy_of_an_older_commit_than_the_branch_head_records_that_commit(workspace, emulator, bin_dir, sites):
    """CI completes for a commit after main moved on: GitHub's deployment for the job is of main's
    head (GITHUB_SHA), which nobody deployed; the record of what runs is the CI commit's."""
    staging, production = sites
    workspace.write("app.txt", "v1\n")
    tested = workspace.commit("v1")
    workspace.write("app.txt", "v2\n")
    newer = workspace.commit("v2 (CI still running)")
    ci_posted_checks(emulator, tested)
    h = deploy_harness(workspace, emulator, bin_dir, newer, staging, production, "2201")
    result = h.run_workflow(TEMPLATES / "deploy.yml", event_name="workflow_run",
                            event=ci_completed(workspace, tested, "success")[1])
    assert result.job("production").result == "success", result.job("production").log()
    [ours] = production_deployments(emulator, tested)
    assert ours["statuses"][0]["state"] == "success"
    [githubs] = production_deployments(emulator, newer)
    assert any(s["description"].startswith("tollgate: not deployed") for s in githubs["statuses"])
    proc = h.run_action("tollgate/tollgate/actions/rollback@v1", {"action": "plan", "environment": "production",
                                                                  "sha": "f" * 40}, step_id="plan")
    assert proc.step("plan").outputs["to-ref"] == tested  # never the untested head


# ---- 5. deploy → failing probes → rollback → second failing deploy --------------------------------

@needs_commands("probe", "deployment", "rollback")
def test_after_a_rollback_the_next_failing_deploy_rolls_back_to_the_first_good_commit(workspace, emulator, bin_dir,
                                                                                     sites):
    staging, production = sites
    deploy, rollback = TEMPLATES / "deploy.yml", TEMPLATES / "rollback.yml"
    emulator.call("POST", "/_emulator/workflows", {"repo": "octo/app", "workflow_id": "rollback.yml", "name": "Rollback",
                                                   "inputs": ["environment", "to_ref", "reason", "source_run", "dedupe_key"]})

    def deploy_commit(text, healthy, run_id):
        workspace.write("app.txt", text)
        sha = workspace.commit(text)
        ci_posted_checks(emulator, sha)
        production.healthy = healthy
        result = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, run_id).run_workflow(
            deploy, event_name="workflow_run", event=ci_completed(workspace, sha, "success", run_id=int(run_id) - 500)[1])
        return sha, result

    good, first = deploy_commit("v1\n", True, "3001")
    assert first.job("production").result == "success"

    bad1, second = deploy_commit("v2\n", False, "3002")
    assert second.job("production").result == "failure"
    [dispatch] = emulator.state()["dispatches"]
    assert dispatch["inputs"]["to_ref"] == good

    # The rollback workflow runs on the default branch, whose head is the bad commit.
    production.healthy = True
    rolled = deploy_harness(workspace, emulator, bin_dir, bad1, staging, production, "3003").run_workflow(
        rollback, event_name="workflow_dispatch", inputs=dispatch["inputs"],
        event=events.workflow_dispatch_event(dispatch["inputs"])[1])
    assert rolled.job("plan").outputs["to-sha"] == good
    assert rolled.job("redeploy").result == "success", rolled.job("redeploy").log()
    # GitHub's own record of this job is of the bad commit, and GitHub marked it success.
    record = max(production_deployments(emulator, bad1), key=lambda d: d["id"])
    assert record["statuses"][0]["state"] == "success"

    bad2, third = deploy_commit("v3\n", False, "3004")
    assert third.job("production").result == "failure"
    dispatches = emulator.state()["dispatches"]
    assert len(dispatches) == 2 and dispatches[1]["inputs"]["to_ref"] == good
    plan = deploy_harness(workspace, emulator, bin_dir, bad2, staging, production, "3005").run_action(
        "tollgate/tollgate/actions/rollback@v1", {"action": "plan", "environment": "production"}, step_id="plan")
    assert plan.step("plan").outputs["to-ref"] == good


# ---- 6. a fork's pull request through the workflow_run publisher -----------------------------------

def publisher_workflow(tmp_path):
    """docs/actions.md's publisher, read from the document."""
    doc = ACTIONS_DOC.read_text()
    m = re.search(r"^```yaml\n(# \.github/workflows/tollgate-report\.yml.*?)^```", doc, re.S | re.M)
    assert m, "docs/actions.md has no tollgate-report.yml publisher"
    path = tmp_path / "workflows" / "tollgate-report.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(m.group(1))
    return path


@needs_commands("tests", "merge")
def test_a_fork_pull_request_gets_one_sticky_comment_on_its_own_pull_request_through_the_publisher(
        workspace, emulator, tmp_path, bin_dir):
    base, head = python_pull_request(workspace)
    fork = tmp_path / "fork"
    subprocess.run(["git", "clone", "-q", str(workspace.path), str(fork)], check=True)
    git(fork, "checkout", "-q", "feature")
    emulator.token(FORK_TOKEN, "read-only")
    workspace.write("other.txt", "another pull request\n")
    other = workspace.commit("another pull request")
    # Two open pull requests: the fork's (#7) and another one (#8) a forged artifact names.
    for number, sha, ref, repo in ((7, head, "feature", "someone/app"), (8, other, "other", "octo/app")):
        emulator.call("POST", "/_emulator/pulls", {"repo": "octo/app", "number": number,
                                                   "head": {"ref": ref, "sha": sha, "repo": repo},
                                                   "base": {"ref": "main", "sha": base}})
    # The CI run of the fork's code (read-only token): results as an artifact, with a forged PR number.
    name, event = events.pull_request_event(workspace.path, "main", "feature", fork="someone/app")
    ci = harness_for(workspace, emulator, bin_dir, sha=head, token=FORK_TOKEN, forks={"someone/app": fork})
    steps = [{"uses": "actions/checkout@v4"}, {"run": PRELUDE["tests"]}]
    m = re.search(r"^```yaml\n(# \.github/workflows/ci\.yml: runs the fork's code.*?)^```", ACTIONS_DOC.read_text(), re.S | re.M)
    documented = load(m.group(1))
    # The fork's code controls its artifact: the result it uploads names pull request #8.
    forge = {"name": "forge", "run": 'jq \'. + {"pull_request": {"number": 8}, "issue_number": 8}\' "$JSON" > forged '
                                     '&& mv forged "$JSON"', "env": {"JSON": "${{ steps.tests.outputs.json }}"}}
    steps += documented[:1] + [forge] + documented[1:]
    wf = write_workflow(tmp_path, "ci.yml", {"name": "CI", "on": ["pull_request"], "permissions": {},
                                             "jobs": {"test": {"runs-on": "x", "permissions": {"contents": "read"},
                                                               "steps": steps}}})
    ci_result = ci.run_workflow(wf, event_name=name, event=event)
    assert ci_result.job("test").result in ("success", "failure")

    publisher = harness_for(workspace, emulator, bin_dir, sha=base, run_id="4001")
    publisher.store = ci.store  # the artifacts of the CI run
    run_event = events.workflow_run_event(workspace.path, head, head_repository="someone/app", event="pull_request")[1]
    published = publisher.run_workflow(publisher_workflow(tmp_path), event_name="workflow_run", event=run_event)
    assert published.job("report").result in ("success", "failure")
    comments = emulator.state()["comments"]
    assert [c["issue_number"] for c in comments] == [7]


# ---- 7. 30 failures under a read-only token --------------------------------------------------------

@needs_commands("tests")
def test_thirty_failures_under_a_read_only_token_print_at_most_ten_errors_changed_lines_first(
        workspace, emulator, tmp_path, bin_dir):
    lines = "".join(f"def test_{i}():\n    assert {i} == -1\n\n\n" for i in range(30))
    workspace.write("tests/test_many.py", lines)
    base = workspace.commit("thirty failing tests")
    git(workspace.path, "checkout", "-q", "-b", "feature")
    # The pull request changes the last three tests.
    workspace.write("tests/test_many.py", lines.replace("assert 27 == -1", "assert 27 == -2")
                    .replace("assert 28 == -1", "assert 28 == -2").replace("assert 29 == -1", "assert 29 == -2"))
    head = workspace.commit("change three")
    git(workspace.path, "checkout", "-q", "main")
    emulator.token(FORK_TOKEN, "read-only")
    wf = write_workflow(tmp_path, "t.yml", {"on": ["pull_request"], "permissions": {}, "jobs": {"t": {
        "runs-on": "x", "permissions": {"contents": "read"}, "steps": [
            {"uses": "actions/checkout@v4"}, {"run": PRELUDE["tests"]},
            {"id": "tests", "uses": "tollgate/tollgate/actions/tests@v1", "with": {"report": "results/*.xml"}}]}}})
    name, event = events.pull_request_event(workspace.path, "main", "feature")
    result = harness_for(workspace, emulator, bin_dir, sha=head, token=FORK_TOKEN).run_workflow(
        wf, event_name=name, event=event)
    job = result.job("t")
    step = job.steps[-1]  # the composite action: one step for the runner's caps
    errors = [a for inner in step.all_steps() for a in inner.annotations if a[0] == "error"]
    assert 0 < len(errors) <= 10, errors
    assert not [a for a in step.dropped if a[0] == "error"]  # nothing the runner would drop silently
    first_three = [e[1] + " " + e[2] for e in errors[:3]]
    assert all(re.search(r"\btest_2[789]\b", e) for e in first_three), first_three
    assert re.search(r"\b20 more\b", job.summary + job.log()), "the remainder is counted"


# ---- 8. merge_group --------------------------------------------------------------------------------

@needs_commands("tests", "coverage")
def test_a_merge_group_run_posts_on_the_queue_commit_with_patch_coverage_against_its_base(
        workspace, emulator, tmp_path, bin_dir):
    base, head = python_pull_request(workspace)
    wf = write_workflow(tmp_path, "q.yml", {"on": ["merge_group"], "permissions": {}, "jobs": {"q": {
        "runs-on": "x", "permissions": {"contents": "read", "checks": "write", "statuses": "write"}, "steps": [
            {"uses": "actions/checkout@v4"}, {"run": PRELUDE["coverage"]},
            {"id": "coverage", "uses": "tollgate/tollgate/actions/coverage@v1",
             "with": {"report": "coverage/lcov.info", "min-patch": "90"}}]}}})
    name, event = events.merge_group_event(workspace.path, "main", "feature")
    result = harness_for(workspace, emulator, bin_dir, sha=head).run_workflow(wf, event_name=name, event=event)
    job = result.job("q")
    assert job.result == "success", job.log()
    assert job.step("coverage").outputs["patch-coverage"] == "100.00"
    [run] = check_runs(emulator, "Coverage")
    assert run["head_sha"] == event["merge_group"]["head_sha"]
