"""The scenes of scripts/screenshots that read GitHub: `tollgate release` and `tollgate metrics` run
against the API emulator (tests/emulator) with a seeded history, as in tests/integration.

Their pictures must come out the same on every run, so nothing in them may depend on when they are
made: the release's "last successful deployment … ago" is measured from the deployment's success
status, which is seeded RELEASE_AGE before now (the agent shows two units, days and hours, so the
minutes of slack keep it "2 days 3 hours" however long the run takes); metrics reads a window with
fixed dates in the past. No clock hook in the agent: production code runs unchanged."""
import hashlib
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPO = "octo/app"
TOKEN = "ghs_tollgateSCREENSHOTtoken0123456789abcdef"
SERVER = "https://github.example"  # the harness's GITHUB_SERVER_URL (tests/integration/conftest.py)
RELEASE_AGE = timedelta(days=2, hours=3, minutes=30)  # shown as "2 days 3 hours"


class Emulator:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers.update({"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "tollgate-screenshots"})
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return json.loads(text) if text else None


@contextmanager
def emulator():
    port_file = Path(tempfile.mkdtemp(prefix="tollgate-screenshots-emulator-")) / "port"
    proc = subprocess.Popen(["node", str(ROOT / "tests/emulator/server.js"), "--port", "0", "--port-file",
                             str(port_file)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit("screenshots: the API emulator did not start: "
                                 + (proc.stderr.read().decode() if proc.poll() is not None else "timeout"))
            time.sleep(0.05)
        yield Emulator(f"http://127.0.0.1:{port_file.read_text().strip()}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run(tollgate, em, work, args, sha):
    """The agent in a job: the runner's variables (as the integration tests' harness sets them),
    the summary written to $GITHUB_STEP_SUMMARY; returns that Markdown."""
    runner = Path(tempfile.mkdtemp(prefix="runner-", dir=work))
    (runner / "event.json").write_text("{}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPO, "GITHUB_SHA": sha, "GITHUB_EVENT_NAME": "push",
                "GITHUB_EVENT_PATH": str(runner / "event.json"), "GITHUB_RUN_ID": "1001", "GITHUB_RUN_ATTEMPT": "1",
                "GITHUB_JOB": "release", "GITHUB_WORKSPACE": str(work), "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
                "GITHUB_OUTPUT": str(runner / "output.txt"), "GITHUB_SERVER_URL": SERVER, "GITHUB_API_URL": em.url,
                "GITHUB_TOKEN": TOKEN, "RUNNER_NAME": "runner-1"})
    proc = subprocess.run([tollgate, *args], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=120)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"screenshots: `tollgate {' '.join(args)}` exited {proc.returncode}:\n{proc.stderr}")
    return (runner / "summary.md").read_text()


def sha(name):
    return hashlib.sha1(name.encode()).hexdigest()


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def release(tollgate, work, refused):
    """A shop's release to production: a merged pull request, a direct push and a squash-merged pull
    request since production's last deployment, and the checks CI left on the commit."""
    with emulator() as em:
        def commit(name, parents, login, when, message):
            return {"sha": sha(name), "parents": [sha(p) for p in parents], "message": message,
                    "author": {"name": login.title(), "email": f"{login}@example.com", "date": when, "login": login}}

        em.call("POST", "/_emulator/commits", {"repo": REPO, "refs": {"main": sha("c4")}, "commits": [
            commit("c0", [], "alice", "2026-11-28T09:00:00Z", "Initial shop"),
            commit("c1", ["c0"], "alice", "2026-11-30T09:00:00Z", "Cart: totals in cents (#40)"),
            commit("p2a", ["c1"], "bob", "2026-12-01T09:00:00Z", "Apply each discount code once"),
            commit("c2", ["c1", "p2a"], "bob", "2026-12-01T10:00:00Z", "Merge pull request #41 from octo/discount-once"),
            commit("c3", ["c2"], "carol", "2026-12-02T09:00:00Z", "Bump the payment SDK to 4.2.1"),
            commit("c4", ["c3"], "dave", "2026-12-03T09:00:00Z", "Cart: show the delivery estimate (#42)")]})
        for number, title, login, commits, merged in ((41, "Checkout: apply discount codes once", "bob", ["p2a"], "c2"),
                                                      (42, "Cart: show the delivery estimate", "dave", ["c4"], "c4")):
            em.call("POST", "/_emulator/pulls", {
                "repo": REPO, "number": number, "title": title, "state": "closed", "user": login,
                "merged_at": "2026-12-01T11:00:00Z", "merge_commit_sha": sha(merged), "commits": [sha(c) for c in commits],
                "head": {"ref": f"feature-{number}", "sha": sha(commits[-1])}, "base": {"ref": "main", "sha": sha("c0")}})
        live = datetime.now(timezone.utc) - RELEASE_AGE
        em.call("POST", "/_emulator/history", {"repo": REPO, "deployments": [{
            "environment": "production", "sha": sha("c1"), "ref": "main", "created_at": iso(live - timedelta(minutes=4)),
            "statuses": [{"state": "success", "created_at": iso(live)}]}]})
        target = sha("c4")
        # Tollgate's titles as its merge, lighthouse and probe commands write them (gate::merge_title,
        # lighthouse's title_of, publish::probe_title); CodeQL's is another app's.
        for n, (name, title) in enumerate((
                ("CI (all legs)", "2 legs, all passed · 128 tests, all passed · Coverage 84.1% (+0.6) · patch 92.0%"),
                ("Lighthouse", "1 URL, 3 runs: all 14 assertions passed · performance 93"),
                ("Probes (staging)", "1 probe passed"),
                ("CodeQL", "No new alerts"))):
            body = {"repo": REPO, "name": name, "head_sha": target, "conclusion": "success",
                    "output": {"title": title, "summary": title}}
            if name != "CodeQL":
                body["external_id"] = f"tollgate:{n}"
            em.call("POST", "/_emulator/check-runs", body)
        em.call("POST", f"/repos/{REPO}/statuses/{target}", {
            "state": "failure" if refused else "success", "context": "security/scan",
            "description": "2 high findings" if refused else "0 high, 2 medium findings"}, token=TOKEN)
        return run(tollgate, em, work, ["release", "--environment", "production", "--sha", target,
                                        "--require", "CI (all legs)", "--require", "Lighthouse",
                                        "--require", "security/*"], target)


# The metrics window: four weeks of November 2026, fixed, in the past.
METRICS_SINCE = datetime(2026, 11, 2, tzinfo=timezone.utc)  # a Monday
METRICS_WEEKS = 4
METRICS_QUIET_DAYS = {4, 10, 17, 25}  # weekdays without a deployment


def metrics(tollgate, work):
    """Four weeks of production: a deployment most weekdays; on the 12th one that failed, restored by
    the next day's; on the 19th one whose probes failed, rolled back to the last good commit."""
    commits, deployments, head, n = [], [], None, 0

    def new_commit(at):
        nonlocal head, n
        n += 1
        s = sha(f"metrics-{n}")
        commits.append({"sha": s, "parents": [head] if head else [], "date": iso(at)})
        head = s
        return s

    day, last_good = METRICS_SINCE, None
    while day < METRICS_SINCE + timedelta(weeks=METRICS_WEEKS):
        if day.weekday() < 5 and day.day not in METRICS_QUIET_DAYS:
            for h in (2, 5, 7):
                new_commit(day + timedelta(hours=h))
            at = day + timedelta(hours=10)
            if day.day == 12:  # failed; the next deployment restores
                statuses = [{"state": "failure", "created_at": iso(at + timedelta(minutes=6))}]
            elif day.day == 19:  # probes failed: claimed and rolled back to the last good commit
                statuses = [{"state": "success", "created_at": iso(at + timedelta(minutes=5))},
                            {"state": "failure", "created_at": iso(at + timedelta(minutes=9)),
                             "description": "tollgate: probes failed; rollback claim rb-19"},
                            {"state": "failure", "created_at": iso(at + timedelta(minutes=9)),
                             "description": "tollgate: rollback dispatched tollgate-rb-19"}]
            else:
                statuses = [{"state": "success", "created_at": iso(at + timedelta(minutes=5))}]
            deployments.append({"environment": "production", "sha": head, "ref": "main", "created_at": iso(at),
                                "statuses": statuses})
            if day.day == 19 and last_good:
                back = at + timedelta(minutes=12)
                deployments.append({"environment": "production", "sha": last_good, "ref": "main",
                                    "created_at": iso(back),
                                    "statuses": [{"state": "success", "created_at": iso(back + timedelta(minutes=4))}]})
            elif statuses[-1]["state"] == "success":
                last_good = head
        day += timedelta(days=1)
    with emulator() as em:
        em.call("POST", "/_emulator/history", {"repo": REPO, "commits": commits, "deployments": deployments})
        until = METRICS_SINCE + timedelta(weeks=METRICS_WEEKS)
        return run(tollgate, em, work, ["metrics", "--environment", "production", "--since",
                                        iso(METRICS_SINCE), "--until", iso(until)], head)
