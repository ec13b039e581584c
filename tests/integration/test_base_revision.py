"""Changed lines on the checkout users have (issue 12: 1, 5, 7; issue 13: 3).

actions/checkout fetches one commit by default (fetch-depth: 1) and, on pull_request, checks out
GitHub's merge commit refs/pull/N/merge detached; the base commit is not in the clone
(https://github.com/actions/checkout#readme;
https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request).
The origins here are built as GitHub keeps them: refs/pull/N/head and refs/pull/N/merge (first
parent the base branch, second the pull request's head), and the checkouts fetch exactly what
actions/checkout fetches with its defaults."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import TOKEN, Workspace, git, run_tollgate
from test_coverage import BASE_MODULE, DRIVER, HEAD_MODULE, NEW_FILE, assert_same_patch, coverage_py, diff_cover

MISSING_SHA = "0123456789abcdef0123456789abcdef01234567"

TEST_FILE = '''\
from app.grades import grade


def test_a():
    assert grade(95) == "A"


def test_negative():
    assert grade(-1) == "X"
'''

EXTRA_ON_MAIN = '''\
def on_main(x):
    if x:
        return 1
    return 0
'''


@pytest.fixture(autouse=True)
def tools():
    if shutil.which("diff-cover") is None or shutil.which("python3-coverage") is None:
        pytest.skip("diff-cover or python3-coverage is not installed (scripts/setup --test installs them)")


class Origin:
    """A bare origin with main (base, then 'main moves on'), a feature branch, and GitHub's pull
    request refs for it."""

    def __init__(self, root):
        src = root / "src"
        src.mkdir()
        git(src, "init", "-q", "-b", "main")
        (src / ".gitignore").write_text("coverage.xml\n.coverage\n*.json\n__pycache__/\n.pytest_cache/\n")
        (src / "app").mkdir()
        (src / "app" / "__init__.py").write_text('VERSION = "1"\n')
        (src / "app" / "grades.py").write_text(BASE_MODULE)
        git(src, "add", "-A")
        self.fork_point = git(src, "commit", "-q", "-m", "base")
        git(src, "checkout", "-q", "-b", "feature")
        (src / "app" / "grades.py").write_text(HEAD_MODULE)
        (src / "app" / "net.py").write_text(NEW_FILE)
        (src / "run.py").write_text(DRIVER)
        (src / "test_app.py").write_text(TEST_FILE)
        git(src, "add", "-A")
        self.head = git(src, "commit", "-q", "-m", "feature")
        # The base branch moves on after the fork point, in files the pull request leaves alone:
        # comparing trees would count app/extra.py, and app/__init__.py's line 1, as changed.
        git(src, "checkout", "-q", "main")
        (src / "app" / "extra.py").write_text(EXTRA_ON_MAIN)
        (src / "app" / "__init__.py").write_text('VERSION = "2"\n')
        git(src, "add", "-A")
        self.base = git(src, "commit", "-q", "-m", "main moves on")
        git(src, "checkout", "-q", "--detach", self.base)
        self.merge = git(src, "merge", "-q", "--no-ff", "-m", "Merge feature into main", self.head)
        git(src, "checkout", "-q", "main")
        self.path = root / "origin.git"
        git(root, "clone", "-q", "--bare", str(src), str(self.path))
        git(self.path, "update-ref", "refs/pull/1/head", self.head)
        git(self.path, "update-ref", "refs/pull/1/merge", self.merge)
        self.url = "file://" + str(self.path)

    def checkout(self, path, sha, ref_name, depth=1):
        """What actions/checkout runs: fetch one commit into refs/remotes/..., check it out detached."""
        path.mkdir(parents=True)
        git(path, "init", "-q")
        git(path, "remote", "add", "origin", self.url)
        depth_args = [f"--depth={depth}"] if depth else []
        git(path, "fetch", "-q", "--no-tags", *depth_args, "origin", f"+{sha}:{ref_name}")
        git(path, "checkout", "-q", "--detach", ref_name)
        return path

    def full_clone(self, path, sha):
        git(path.parent, "clone", "-q", self.url, str(path))
        git(path, "fetch", "-q", "origin", "+refs/pull/*:refs/remotes/pull/*")
        git(path, "checkout", "-q", "--detach", sha)
        return path


def measure(repo):
    """Runs the project's own tests under coverage.py, as a CI job does; writes coverage.xml."""
    coverage_py(repo, "run", "--branch", "--source=app", "run.py")
    coverage_py(repo, "xml", "-o", "coverage.xml")


def pytest_junit(repo):
    out = repo / "junit.xml"
    subprocess.run(["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={out}",
                    "test_app.py"], cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return out


def pr_event(origin, number=1, base_sha=None):
    return {"action": "synchronize", "number": number,
            "pull_request": {"number": number,
                             "head": {"sha": origin.head, "ref": "feature", "repo": {"full_name": "octo/app"}},
                             "base": {"sha": base_sha or origin.base, "ref": "main", "repo": {"full_name": "octo/app"}}}}


def actions_workspace(path):
    ws = Workspace(path)  # `git init` in an existing clone only reinitialises it
    return ws


def result_of(ws):
    return json.loads((ws.path / "result.json").read_text())


@pytest.mark.parametrize("base_fetched", [False, True])
def test_depth1_merge_commit_patch_equals_diff_cover_on_a_full_clone(tmp_path, emulator, base_fetched):
    """base_fetched: the job also fetched the base at depth 1 (for a diff of its own). Both commits
    then resolve, but no merge base is reachable, and git grafts a shallow commit parentless, so
    `HEAD^@` lists nothing: the first parent is read from the commit object. Either way the exact
    diff comes from git, without asking the API for the pull request."""
    origin = Origin(tmp_path)
    full = origin.full_clone(tmp_path / "full", origin.merge)
    measure(full)
    reference = diff_cover(full, "coverage.xml", compare="origin/main")
    assert reference["total_num_lines"] > 10 and reference["total_num_violations"] > 3, reference
    assert "app/extra.py" not in reference["src_stats"]

    shallow = origin.checkout(tmp_path / "ws", origin.merge, "refs/remotes/pull/1/merge")
    assert subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=shallow, text=True,
                          stdout=subprocess.PIPE).stdout.strip() == "true"
    if base_fetched:
        git(shallow, "fetch", "-q", "--no-tags", "--depth=1", "origin", f"+{origin.base}:refs/remotes/origin/main")
    measure(shallow)
    ws = actions_workspace(shallow)
    proc = run_tollgate(["coverage", "--report", "coverage.xml", "--min-patch", "50", "--json", "result.json"],
                        ws, emulator, sha=origin.merge, event=pr_event(origin), event_name="pull_request")
    assert proc.returncode in (0, 1), proc.stderr
    result = result_of(ws)
    assert_same_patch(result, reference)
    gate = next(g for g in result["gates"] if g["name"] == "patch coverage")
    assert gate["actual"] == pytest.approx(result["patch"]["pct"])
    assert "not measured" not in result["title"]
    assert not [r for r in emulator.requests() if "/pulls/" in r["path"]], "asked the API for what git knows"
    # Results go on the pull request's head, not on the merge commit.
    runs = emulator.state()["check_runs"]
    assert [r["head_sha"] for r in runs] == [origin.head]


def test_depth1_merge_commit_tests_with_annotate_changed(tmp_path, emulator):
    origin = Origin(tmp_path)
    shallow = origin.checkout(tmp_path / "ws", origin.merge, "refs/remotes/pull/1/merge")
    junit = pytest_junit(shallow)
    ws = actions_workspace(shallow)
    proc = run_tollgate(["tests", "--report", str(junit), "--annotate", "changed", "--json", "result.json"],
                        ws, emulator, sha=origin.merge, event=pr_event(origin), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr  # one test failed; never 2 because history is shallow
    findings = result_of(ws)["findings"]
    # The failing assertion is on a line the pull request added: annotated there.
    assert [(f["path"], f["start_line"]) for f in findings] == [("test_app.py", 9)]
    assert "not measured" not in ws.summary.read_text()


def test_tests_annotate_changed_without_changed_lines_annotates_every_failure_and_says_so(tmp_path, emulator):
    origin = Origin(tmp_path)
    shallow = origin.checkout(tmp_path / "ws", origin.head, "refs/remotes/pull/1/head")
    junit = pytest_junit(shallow)
    ws = actions_workspace(shallow)
    proc = run_tollgate(["tests", "--report", str(junit), "--annotate", "changed", "--json", "result.json"],
                        ws, emulator, sha=origin.head, event=pr_event(origin, base_sha=MISSING_SHA),
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    assert [(f["path"], f["start_line"]) for f in result_of(ws)["findings"]] == [("test_app.py", 9)]
    # After the verdict heading, the title and the commit and run line (issue 15), before any number.
    assert "Changed lines: not measured" in "\n".join(ws.summary.read_text().splitlines()[:8])


def test_depth1_head_checkout_takes_the_exact_diff_from_the_pull_request_files(tmp_path, emulator):
    origin = Origin(tmp_path)
    full = origin.full_clone(tmp_path / "full", origin.head)
    measure(full)
    reference = diff_cover(full, "coverage.xml", compare=origin.base)
    patch = subprocess.run(["git", "diff", f"{origin.base}...{origin.head}", "--", "app/grades.py"], cwd=full,
                           stdout=subprocess.PIPE, text=True).stdout
    net_patch = subprocess.run(["git", "diff", f"{origin.base}...{origin.head}", "--", "app/net.py"], cwd=full,
                               stdout=subprocess.PIPE, text=True).stdout

    def hunks(diff):
        return diff[diff.index("@@"):].rstrip("\n")

    emulator.call("POST", "/_emulator/pulls", {
        "repo": "octo/app", "number": 1,
        "head": {"ref": "feature", "sha": origin.head}, "base": {"ref": "main", "sha": origin.base},
        "files": [{"filename": "app/grades.py", "additions": 20, "patch": hunks(patch)},
                  {"filename": "app/net.py", "status": "added", "additions": 8, "patch": hunks(net_patch)},
                  {"filename": "run.py", "status": "added", "additions": 7, "patch": "@@ -0,0 +1,7 @@\n+a\n+b\n+c\n+d\n+e\n+f\n+g"},
                  {"filename": "test_app.py", "status": "added", "additions": 9, "patch": "@@ -0,0 +1,9 @@\n+a\n+b\n+c\n+d\n+e\n+f\n+g\n+h\n+i"}]})
    shallow = origin.checkout(tmp_path / "ws", origin.head, "refs/remotes/pull/1/head")
    measure(shallow)
    ws = actions_workspace(shallow)
    proc = run_tollgate(["coverage", "--report", "coverage.xml", "--min-patch", "50", "--json", "result.json"],
                        ws, emulator, sha=origin.merge, event=pr_event(origin), event_name="pull_request")
    assert proc.returncode in (0, 1), proc.stderr
    result = result_of(ws)
    # Comparing the head's tree with the fetched base would count app/__init__.py's line 1 (main
    # changed it after the fork); the pull request's files do not.
    assert "app/__init__.py" not in {f["path"] for f in result["patch"]["files"]}
    assert_same_patch(result, reference)
    assert "REST API" in ws.summary.read_text()


def assert_not_measured(ws, emulator, result):
    gate = next(g for g in result["gates"] if g["name"] == "patch coverage")
    assert gate["measured"] is False and gate["actual"] is None and gate["passed"] is True
    assert result["patch"] is None and result["patch_not_measured"]
    assert result["title"].endswith("· patch not measured")
    summary = ws.summary.read_text()
    # After the verdict heading, the title and the commit and run line (issue 15), before any number.
    assert "Patch coverage: not measured" in "\n".join(summary.splitlines()[:8])
    assert "✅ passed" not in [line for line in summary.splitlines() if "patch coverage" in line][0]
    st = emulator.state()
    assert "not measured" in st["check_runs"][0]["output"]["title"]
    assert "not measured" in st["statuses"][0]["description"]


def test_unreachable_base_in_actions_is_not_measured_and_never_passed(tmp_path, emulator):
    origin = Origin(tmp_path)
    shallow = origin.checkout(tmp_path / "ws", origin.head, "refs/remotes/pull/1/head")
    measure(shallow)
    ws = actions_workspace(shallow)
    args = ["coverage", "--commit-status", "always", "--report", "coverage.xml", "--min-patch", "99", "--json", "result.json"]
    event = pr_event(origin, base_sha=MISSING_SHA)
    proc = run_tollgate(args, ws, emulator, sha=origin.head, event=event, event_name="pull_request")
    assert proc.returncode == 0, proc.stderr  # skipped by default: neither 2 nor a made-up pass
    assert_not_measured(ws, emulator, result_of(ws))
    assert "0123456789ab" in result_of(ws)["patch_not_measured"]

    emulator.reset()
    proc = run_tollgate(args + ["--unmeasured-patch", "fail"], ws, emulator, sha=origin.head, event=event,
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    gate = next(g for g in result_of(ws)["gates"] if g["name"] == "patch coverage")
    assert gate["passed"] is False and gate["actual"] is None


def test_min_patch_without_any_base_is_not_measured(tmp_path, emulator):
    origin = Origin(tmp_path)
    shallow = origin.checkout(tmp_path / "ws", origin.head, "refs/heads/main")
    measure(shallow)
    ws = actions_workspace(shallow)
    proc = run_tollgate(["coverage", "--commit-status", "always", "--report", "coverage.xml", "--min-patch", "90", "--json", "result.json"],
                        ws, emulator, sha=origin.head, event={"before": "0" * 40}, event_name="push")
    assert proc.returncode == 0, proc.stderr
    assert_not_measured(ws, emulator, result_of(ws))


def test_unreachable_base_outside_actions_is_exit_2_naming_the_fix(tmp_path):
    origin = Origin(tmp_path)
    shallow = origin.checkout(tmp_path / "ws", origin.merge, "refs/remotes/pull/1/merge")
    measure(shallow)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    for base in (MISSING_SHA, origin.base):
        proc = subprocess.run([os.environ["TOLLGATE_BIN"], "coverage", "--report", "coverage.xml", "--base", base],
                              cwd=shallow, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.returncode == 2, proc.stderr
        assert f"git fetch origin {base}" in proc.stderr


def test_merge_group_results_on_its_head_and_patch_against_its_base(tmp_path, emulator):
    origin = Origin(tmp_path)
    full = origin.full_clone(tmp_path / "full", origin.merge)
    measure(full)
    reference = diff_cover(full, "coverage.xml", compare=origin.base)
    # The merge queue's branch: one commit of gh-readonly-queue/main/pr-1-<base>, depth 1.
    shallow = origin.checkout(tmp_path / "ws", origin.merge, "refs/remotes/queue")
    measure(shallow)
    ws = actions_workspace(shallow)
    event = {"action": "checks_requested",
             "merge_group": {"head_sha": origin.merge, "head_ref": f"refs/heads/gh-readonly-queue/main/pr-1-{origin.base}",
                             "base_sha": origin.base, "base_ref": "refs/heads/main",
                             "head_commit": {"id": origin.merge, "message": "Merge"}}}
    proc = run_tollgate(["coverage", "--commit-status", "always", "--report", "coverage.xml", "--min-patch", "50", "--json", "result.json"],
                        ws, emulator, sha=origin.merge, event=event, event_name="merge_group")
    assert proc.returncode in (0, 1), proc.stderr
    assert_same_patch(result_of(ws), reference)
    st = emulator.state()
    assert [r["head_sha"] for r in st["check_runs"]] == [origin.merge]
    assert [s["sha"] for s in st["statuses"]] == [origin.merge]


# "feature": found by GET pulls?head=forker:feature; "renamed": the branch name matches no pull
# request any more, found by GET commits/{sha}/pulls — the same head check either way.
@pytest.mark.parametrize("head_branch", ["feature", "renamed"])
def test_fork_workflow_run_comments_on_the_verified_pull_request_only(tmp_path, emulator, head_branch):
    origin = Origin(tmp_path)
    # The fork's CI: a depth-1 checkout of the merge commit, its own leg result uploaded as an
    # artifact, and a forged one that names another pull request.
    ci = origin.checkout(tmp_path / "ci", origin.head, "refs/remotes/pull/1/head")
    measure(ci)
    results = tmp_path / "results"
    results.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    subprocess.run([os.environ["TOLLGATE_BIN"], "coverage", "--report", "coverage.xml", "--json",
                    str(results / "coverage.json")], cwd=ci, env=env, check=True, stdout=subprocess.DEVNULL)
    leg = json.loads((results / "coverage.json").read_text())
    leg.update({"pull_request": 2, "pull_requests": [{"number": 2}], "head_sha": "f" * 40})
    (results / "forged.json").write_text(json.dumps(leg))

    full = origin.full_clone(tmp_path / "full", origin.head)
    grades = subprocess.run(["git", "diff", f"{origin.base}...{origin.head}", "--", "app/grades.py"], cwd=full,
                            stdout=subprocess.PIPE, text=True).stdout
    emulator.call("POST", "/_emulator/pulls", {
        "repo": "octo/app", "number": 1, "head": {"repo": "forker/app", "ref": "feature", "sha": origin.head},
        "base": {"ref": "main", "sha": origin.base},
        "files": [{"filename": "app/grades.py", "additions": 20, "patch": grades[grades.index("@@"):]}]})
    # Another open pull request from the same fork and branch name, with another head.
    emulator.call("POST", "/_emulator/pulls", {
        "repo": "octo/app", "number": 2, "head": {"repo": "forker/app", "ref": "other", "sha": "e" * 40},
        "base": {"ref": "main", "sha": origin.base}, "files": []})

    # The publisher: runs in the base repository, checks out nothing of the fork.
    publisher = Workspace(tmp_path / "publisher")
    event = {"action": "completed",
             "workflow_run": {"id": 77, "event": "pull_request", "head_sha": origin.head, "head_branch": head_branch,
                              "pull_requests": [],
                              "head_repository": {"full_name": "forker/app", "owner": {"login": "forker"}},
                              "repository": {"full_name": "octo/app"}}}
    proc = run_tollgate(["merge", "--report", str(results / "*.json"), "--check-name", "Coverage", "--comment",
                         "--min-patch", "10", "--json", "result.json"],
                        publisher, emulator, sha="d" * 40, event=event, event_name="workflow_run")
    assert proc.returncode in (0, 1), proc.stderr
    st = emulator.state()
    assert [c["issue_number"] if "issue_number" in c else c["issue_url"].rsplit("/", 1)[1]
            for c in st["comments"]] in (["1"], [1])
    assert {r["head_sha"] for r in st["check_runs"]} == {origin.head}
    assert "pull request #1 (head" in proc.stderr
    lookups = [r["path"] for r in emulator.requests() if r["method"] == "GET" and "pulls" in r["path"]]
    assert any(p.endswith(f"/commits/{origin.head}/pulls") for p in lookups) == (head_branch == "renamed")
    result = json.loads((publisher.path / "result.json").read_text())
    gate = next(g for g in result["gates"] if g["name"] == "patch coverage")
    assert gate.get("measured", True) is True and gate["actual"] is not None


def test_fork_workflow_run_whose_branch_moved_on_gets_no_comment(tmp_path, emulator):
    origin = Origin(tmp_path)
    results = tmp_path / "results"
    results.mkdir()
    ci = origin.checkout(tmp_path / "ci", origin.head, "refs/remotes/pull/1/head")
    measure(ci)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    subprocess.run([os.environ["TOLLGATE_BIN"], "coverage", "--report", "coverage.xml", "--json",
                    str(results / "coverage.json")], cwd=ci, env=env, check=True, stdout=subprocess.DEVNULL)
    # The pull request's head is no longer the run's: a newer push (or another pull request).
    emulator.call("POST", "/_emulator/pulls", {
        "repo": "octo/app", "number": 1, "head": {"repo": "forker/app", "ref": "feature", "sha": "c" * 40},
        "base": {"ref": "main", "sha": origin.base}, "files": []})
    publisher = Workspace(tmp_path / "publisher")
    event = {"workflow_run": {"head_sha": origin.head, "head_branch": "feature", "pull_requests": [],
                              "head_repository": {"full_name": "forker/app", "owner": {"login": "forker"}},
                              "repository": {"full_name": "octo/app"}}}
    proc = run_tollgate(["merge", "--report", str(results / "*.json"), "--comment"], publisher, emulator,
                        sha="d" * 40, event=event, event_name="workflow_run")
    assert proc.returncode in (0, 1), proc.stderr
    assert emulator.state().get("comments", []) == []
    assert "moved on" in proc.stderr
