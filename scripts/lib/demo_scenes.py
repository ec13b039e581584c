#!/usr/bin/env python3
"""Three short scenes of scripts/demo, run through the actions harness (tests/harness, GitHub's
strict defaults) against the running emulator; each prints what GitHub would show:

  fork     a fork's pull request: CI runs the fork's code with a read-only token and uploads the
           results; the documented workflow_run publisher (docs/actions.md) finds the pull request
           (workflow_run.pull_requests is empty for forks) and comments once, on the right one;
  many     30 failing tests under a read-only token: the runner shows at most 10 ::error lines
           per step, so Tollgate prints 10 (changed lines first) and counts the rest;
  hostile  a report whose test name carries a line break, ::set-output, ##[…] and a code fence:
           nothing reaches the runner as a command, and the check run's Markdown stays intact;
  scan     a pull request scanned by ESLint (its SARIF, tests/data/sarif) with the base's scan as the
           baseline: code moved, one finding fixed, one introduced; only the new one fails.

    demo_scenes.py API TOLLGATE_DIR WORK SCENE...
"""
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from harness import Harness, default_stubs, load  # noqa: E402
from harness import repo as events  # noqa: E402
from support import runner_log  # noqa: E402

API, BIN_DIR, WORK = sys.argv[1], sys.argv[2], Path(sys.argv[3])
TOKEN = "demo-scenes-token"
FORK_TOKEN = "demo-fork-read-only-token"
DOC = (ROOT / "docs/actions.md").read_text()


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def state(repo):
    return call("GET", f"/_emulator/state?repo={repo}")["repos"].get(repo, {})


def git(cwd, *args):
    return events.git(cwd, *args)


def workspace(name, files):
    """A repository the scene commits into: main with `files`; returns its path."""
    ws = WORK / name
    ws.mkdir(parents=True)
    git(ws, "init", "-q", "-b", "main")
    write(ws, files)
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "project")
    return ws


def write(ws, files):
    for rel, text in files.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)


def commit_branch(ws, branch, files, message):
    git(ws, "checkout", "-q", "-b", branch)
    write(ws, files)
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", message)
    head = git(ws, "rev-parse", "HEAD")
    git(ws, "checkout", "-q", "main")
    return head


def harness(ws, repo, sha, token=TOKEN, run_id="7001", **kwargs):
    # /usr/bin first: the Debian python3 with pytest, as a runner's setup-python would give.
    path = os.pathsep.join([BIN_DIR, "/usr/bin", "/bin", os.environ["PATH"]])
    return Harness(ws, github={"repository": repo, "sha": sha, "ref": "refs/heads/main", "api_url": API,
                               "token": token, "server_url": "https://github.example", "run_id": run_id},
                   aliases={"tollgate/tollgate": ROOT}, stubs=default_stubs(),
                   env={"PATH": path, "TOLLGATE_RETRY_BASE_MS": "50"}, **kwargs)


def workflow(name, doc):
    path = WORK / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1))  # JSON is YAML
    return path


def doc_block(first_line):
    m = re.search(r"^```yaml\n(" + re.escape(first_line) + r".*?)^```", DOC, re.S | re.M)
    if not m:
        raise SystemExit(f"demo: docs/actions.md has no YAML block starting {first_line!r}")
    return m.group(1)


def short(text, n=110):
    text = text.replace("\n", "⏎")
    return text if len(text) <= n else text[:n] + "…"


PROJECT = {
    "conftest.py": "",
    "shop/__init__.py": "",
    "shop/cart.py": "def total(prices):\n    return sum(prices)\n",
    "tests/test_cart.py": "from shop.cart import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
    ".gitignore": "results/\n__pycache__/\n",
}
RUN_PYTEST = "python3 -m pytest -q -p no:cacheprovider --junitxml=results/junit.xml || true"


def fork():
    repo = "octo/app"
    ws = workspace("fork-upstream", PROJECT)
    base = git(ws, "rev-parse", "HEAD")
    head = commit_branch(ws, "feature", {
        "shop/cart.py": PROJECT["shop/cart.py"] + "\n\ndef discounted(prices, pct):\n    return total(prices) * (100 - pct) / 100\n",
        "tests/test_cart.py": PROJECT["tests/test_cart.py"] + "\n\ndef test_discounted():\n"
                              "    from shop.cart import discounted\n    assert discounted([50, 50], 10) == 90\n"},
        "discount")
    fork_repo = WORK / "fork-someone"
    subprocess.run(["git", "clone", "-q", str(ws), str(fork_repo)], check=True)
    git(fork_repo, "checkout", "-q", "feature")
    call("POST", "/_emulator/tokens", {"token": FORK_TOKEN, "mode": "read-only"})
    for number, sha, head_repo, ref in ((7, head, "someone/app", "feature"), (8, base, repo, "other")):
        call("POST", "/_emulator/pulls", {"repo": repo, "number": number, "head": {"repo": head_repo, "ref": ref, "sha": sha},
                                          "base": {"ref": "main", "sha": base}})
    print("open pull requests: #7 from the fork someone/app (branch feature), #8 from octo:other")

    # CI (pull_request, the fork's code): docs/actions.md's first block, with a read-only token.
    name, event = events.pull_request_event(ws, "main", "feature", fork="someone/app", repository=repo)
    steps = [{"uses": "actions/checkout@v4"}, {"name": "pytest", "run": RUN_PYTEST}]
    steps += load(doc_block("# .github/workflows/ci.yml: runs the fork's code"))
    ci_wf = workflow("ci.yml", {"name": "CI", "on": ["pull_request"], "permissions": {}, "jobs": {
        "test": {"runs-on": "ubuntu-latest", "permissions": {"contents": "read"}, "steps": steps}}})
    ci = harness(ws, repo, head, token=FORK_TOKEN, run_id="7001", forks={"someone/app": fork_repo})
    ci_run = ci.run_workflow(ci_wf, event_name=name, event=event)
    print(f"CI on the fork's pull request (read-only token): job {ci_run.job('test').result}; "
          f"results uploaded as an artifact, nothing posted")

    # The publisher (workflow_run, trusted code, write token): docs/actions.md's second block.
    publisher_wf = WORK / "workflows" / "tollgate-report.yml"
    publisher_wf.write_text(doc_block("# .github/workflows/tollgate-report.yml"))
    publisher = harness(ws, repo, base, run_id="7002")
    publisher.store = ci.store  # the CI run's artifacts
    run_event = events.workflow_run_event(ws, head, head_repository="someone/app", event="pull_request",
                                          run_id=7001, repository=repo)[1]
    print(f"workflow_run payload: head_repository someone/app, pull_requests "
          f"{run_event['workflow_run']['pull_requests']} (GitHub lists none for a fork)")
    published = publisher.run_workflow(publisher_wf, event_name="workflow_run", event=run_event)
    job = published.job("report")
    print(f"publisher 'Tollgate report': job {job.result}")
    for line in job.log().splitlines():
        if line.startswith("tollgate:") and "pull request" in line:
            print(f"  │ {short(line, 160)}")
    comments = state(repo).get("comments", [])
    print(f"comments: {len(comments)}, on " + (", ".join(f"#{c['issue_number']}" for c in comments) or "nothing")
          + " (#8 has none)")
    return repo


def many():
    repo = "octo/many"
    lines = "".join(f"def test_{i}():\n    assert {i} == -1\n\n\n" for i in range(30))
    ws = workspace("many", dict(PROJECT, **{"tests/test_many.py": lines}))
    changed = lines
    for i in (27, 28, 29):
        changed = changed.replace(f"assert {i} == -1", f"assert {i} == -2")
    head = commit_branch(ws, "feature", {"tests/test_many.py": changed}, "change the last three tests")
    call("POST", "/_emulator/tokens", {"token": FORK_TOKEN, "mode": "read-only"})
    wf = workflow("many.yml", {"name": "Tests", "on": ["pull_request"], "permissions": {}, "jobs": {"t": {
        "runs-on": "ubuntu-latest", "permissions": {"contents": "read"}, "steps": [
            {"uses": "actions/checkout@v4"}, {"name": "pytest", "run": RUN_PYTEST},
            {"id": "tests", "uses": "tollgate/tollgate/actions/tests@v1", "with": {"report": "results/*.xml"}}]}}})
    name, event = events.pull_request_event(ws, "main", "feature", repository=repo)
    result = harness(ws, repo, head, token=FORK_TOKEN, run_id="7101").run_workflow(wf, event_name=name, event=event)
    job = result.job("t")
    step = job.steps[-1]
    errors = [a for inner in step.all_steps() for a in inner.annotations if a[0] == "error"]
    print(f"30 failing tests, the pull request changes test_27..test_29; token read-only → workflow commands")
    print(f"::error lines printed: {len(errors)}; dropped by the runner's cap of 10: "
          f"{len([a for a in step.dropped if a[0] == 'error'])}")
    for level, props, message in errors[:4]:
        print(f"  ::{level} {short(props if isinstance(props, str) else json.dumps(props), 70)}  {short(message, 50)}")
    if len(errors) > 4:
        print(f"  … {len(errors) - 4} more ::error lines")
    counted = [l for l in (job.log() + "\n" + job.summary).splitlines() if re.search(r"\b20 more\b", l)]
    print("the rest, counted: " + (short(counted[0].strip(), 150) if counted else "NOT COUNTED"))
    return repo


def hostile():
    repo = "octo/hostile"
    ws = workspace("hostile", {"tests/test_cart.py": "def test_total():\n    pass\n\n\ndef test_evil():\n    pass\n",
                               "results/junit.xml": (ROOT / "samples/hostile/junit.xml").read_text()})
    sha = git(ws, "rev-parse", "HEAD")
    wf = workflow("hostile.yml", {"name": "Tests", "on": ["push"], "permissions": {}, "jobs": {"t": {
        "runs-on": "ubuntu-latest", "permissions": {"contents": "read", "checks": "write", "statuses": "write"},
        "steps": [{"uses": "actions/checkout@v4"},
                  {"id": "tests", "uses": "tollgate/tollgate/actions/tests@v1", "with": {"report": "results/*.xml"}}]}}})
    name, event = events.push_event(ws, None, "main", repository=repo)
    result = harness(ws, repo, sha, run_id="7201").run_workflow(wf, event_name=name, event=event)
    job = result.job("t")
    print("samples/hostile/junit.xml: a test name with '\\n::set-output name=passed::true', a blank line, a ``` fence,")
    print("  </summary>, a fake '✅ 42 tests' heading, an <img> tracking pixel, #4242 and @octo; a failure with ##[…]")
    foreign = []
    for top in job.steps:
        for s in top.all_steps():
            if s.name == "Run tollgate":
                foreign += runner_log.foreign_commands(s.stdout, s.stderr, mask_values=(TOKEN,))
    print(f"workflow commands in the log that Tollgate did not issue: {len(foreign)}"
          + "".join(f"\n  FOREIGN {c.stream}:{c.line_no} {c.line!r}" for c in foreign))
    print(f"step output passed = {job.step('tests').outputs.get('passed')!r} (not the planted 'true')")
    [run] = [r for r in state(repo).get("check_runs", [])]
    summary = (run.get("output") or {}).get("summary") or ""
    print(f"check run {run['name']}: {run['conclusion']} — {run['output']['title']}")
    for line in summary.splitlines():
        if "evil" in line or "planted" in line or "hidden" in line or line.startswith(("```", "~~~")):
            print(f"  │ {short(line, 170)}")
    return repo


def scan():
    repo = "octo/scan"
    shop = ROOT / "tests/data/sarif/eslint-shop"
    ws = workspace("scan", {f"src/{n}": (shop / "base/src" / n).read_text() for n in ("cart.js", "report.js")})
    head = commit_branch(ws, "reminders", {f"src/{n}": (shop / "head/src" / n).read_text() for n in ("cart.js", "report.js")},
                         "cart: reminders; report: JSON instead of Function")
    # The scanner step stands in for `npx eslint -f @microsoft/eslint-formatter-sarif` on the head
    # and on the base revision: the files it wrote when run on these two revisions.
    scanner = ('mkdir -p results\ncp "$SARIF/eslint-shop-head.sarif" results/head.sarif\n'
               'cp "$SARIF/eslint-shop-base.sarif" results/base.sarif\n')
    wf = workflow("scan.yml", {"name": "Security", "on": ["pull_request"], "permissions": {}, "jobs": {"s": {
        "runs-on": "ubuntu-latest", "permissions": {"contents": "read", "checks": "write", "statuses": "write"},
        "steps": [{"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}},
                  {"name": "ESLint (SARIF)", "run": scanner, "env": {"SARIF": str(ROOT / "tests/data/sarif")}},
                  {"id": "scan", "uses": "tollgate/tollgate/actions/scan@v1",
                   "with": {"report": "results/head.sarif", "baseline": "results/base.sarif"}}]}}})
    name, event = events.pull_request_event(ws, "main", "reminders", repository=repo)
    result = harness(ws, repo, head, run_id="7301").run_workflow(wf, event_name=name, event=event)
    job = result.job("s")
    outputs = job.step("scan").outputs
    print("ESLint on main and on the pull request: lines added above the old findings, code edited and moved")
    print("  around them, no-new-func fixed, setTimeout('…') added (no-implied-eval)")
    print(f"job: {job.result}; outputs new={outputs.get('new')} fixed={outputs.get('fixed')} high={outputs.get('high')} "
          f"medium={outputs.get('medium')}")
    for run in state(repo).get("check_runs", []):
        print(f"check run {run['name']}: {run['conclusion']} — {run['output']['title']}")
        for a in run.get("annotations", []):
            print(f"  {a['path']}:{a['start_line']} {a['annotation_level']}: {short(a['title'], 60)}")
        for line in (run["output"].get("summary") or "").splitlines():
            if line.startswith("| ") and ("ESLint" in line or "Severity" in line):
                print(f"  │ {short(line, 150)}")
    return repo


if __name__ == "__main__":
    for scene in sys.argv[4:]:
        {"fork": fork, "many": many, "hostile": hostile, "scan": scan}[scene]()
