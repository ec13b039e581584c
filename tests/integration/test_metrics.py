"""`tollgate metrics` against the GitHub API emulator over seeded delivery histories: every figure
equals an independent computation written here, in Python, from the definitions in docs/metrics.md
(not from the agent's code); long histories are paged within a request budget; the token's missing
permission is named; nothing is written."""
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from conftest import ROOT, TOKEN, run_tollgate

sys.path.insert(0, str(ROOT / "tests"))
from harness import Harness, default_stubs, load_file  # noqa: E402

REPO = "octo/app"
SHA = "f" * 40
MONDAY = datetime(2026, 10, 5, tzinfo=timezone.utc)  # a Monday
NOT_DEPLOYED = "tollgate: not deployed"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def secs(t):
    return int(t.timestamp())


class History:
    """A repository's commits and the deployments of its environments, as GitHub would hold them."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.commits = {}  # sha -> {"parents": [...], "date": datetime}
        self.deployments = []  # {"environment", "sha", "created_at", "statuses": [(state, at, description)]}
        self.counter = 0
        self.head = None

    def sha(self):
        self.counter += 1
        return f"{self.counter:040x}"

    def commit(self, at, parents=None):
        sha = self.sha()
        self.commits[sha] = {"parents": [self.head] if parents is None and self.head else (parents or []), "date": at}
        self.head = sha
        return sha

    def deploy(self, environment, sha, at, statuses):
        d = {"environment": environment, "sha": sha, "created_at": at, "statuses": statuses}
        self.deployments.append(d)
        return d

    def seed(self, emulator):
        body = {
            "repo": REPO,
            "commits": [{"sha": s, "parents": c["parents"], "date": iso(c["date"])} for s, c in self.commits.items()],
            "deployments": [],
        }
        order = sorted(self.deployments, key=lambda d: d["created_at"])
        for d in order:
            body["deployments"].append({
                "environment": d["environment"], "sha": d["sha"], "created_at": iso(d["created_at"]),
                "statuses": [{"state": st, "created_at": iso(at), "description": desc} for st, at, desc in d["statuses"]],
            })
        ids = emulator.call("POST", "/_emulator/history", body)["deployments"]
        for d, i in zip(order, ids):
            d["id"] = i


def build_history(seed, weeks=8, environments=("production", "staging"), deploy_every=(2, 5), start=MONDAY):
    """Commits every few hours on one branch, deployments of the head to each environment with
    every outcome Tollgate records: success, failure, error, probes failing and a rollback
    (claim, dispatch record, the rollback's deployment of the last good commit and the rollback
    job's own deployment marked "not deployed"), redeploys, unfinished ones, a force-push."""
    h = History(seed)
    rng = h.rng
    t = start - timedelta(days=3)
    h.commit(t)
    end = start + timedelta(weeks=weeks)
    last_good = {}
    pending = 0
    step = 0
    while t < end:
        t += timedelta(minutes=rng.randint(40, 400))
        h.commit(t)
        pending += 1
        step += 1
        if step == 90:  # a force-push: the last commits replaced by new ones on their grandparent
            # The head is deployed first, so the next deployment's range crosses the rewrite: the
            # previous deployment's commit is not an ancestor of it (the compare status "diverged").
            for env in environments:
                if env == "staging" and t < start + timedelta(days=10):
                    continue
                at = t + timedelta(minutes=1)
                h.deploy(env, h.head, at, [("in_progress", at + timedelta(seconds=20), ""),
                                           ("success", at + timedelta(minutes=4), "Deployed")])
                last_good[env] = h.head
            base = h.commits[h.commits[h.head]["parents"][0]]["parents"][0]
            h.head = base
            for _ in range(3):
                t += timedelta(minutes=rng.randint(5, 30))
                h.commit(t)
        if pending < rng.randint(*deploy_every):
            continue
        pending = 0
        for env in environments:
            if env == "staging" and t < start + timedelta(days=10):
                continue  # staging's first deployment is inside the window: its own commit is its first
            at = t + timedelta(minutes=rng.randint(1, 20))
            roll = rng.random()
            sha = h.head
            if roll < 0.05 and env in last_good:
                sha = last_good[env]  # a redeploy of the running commit: no new commits
            s = [("in_progress", at + timedelta(seconds=20), "")]
            if roll < 0.62:
                s += [("success", at + timedelta(minutes=rng.randint(2, 15)), "Deployed"),
                      ("success", at + timedelta(minutes=16), "")]
                last_good[env] = sha
            elif roll < 0.72:
                s += [("failure", at + timedelta(minutes=rng.randint(2, 9)), "")]
            elif roll < 0.77:
                s += [("error", at + timedelta(minutes=rng.randint(2, 9)), "")]
            elif roll < 0.80 and t > end - timedelta(days=3):
                pass  # unfinished
            elif env in last_good:
                detect = at + timedelta(minutes=rng.randint(3, 12))
                dispatched = detect + timedelta(seconds=rng.randint(5, 90))
                s += [("failure", detect, "Probes failed; rollback claim 1001.1.ab12cd34"),
                      ("failure", dispatched, "rollback dispatched tollgate-rb-1: run 4242"),
                      ("failure", dispatched + timedelta(seconds=30), "")]
                own = h.deploy(env, h.head, dispatched + timedelta(seconds=40), [
                    ("in_progress", dispatched + timedelta(seconds=41), ""),
                    ("inactive", dispatched + timedelta(seconds=50), f"{NOT_DEPLOYED}: this job deployed {last_good[env][:12]} instead"),
                    ("success", dispatched + timedelta(minutes=6), "")])
                del own
                healthy = dispatched + timedelta(minutes=rng.randint(2, 20))
                h.deploy(env, last_good[env], dispatched + timedelta(seconds=45), [
                    ("in_progress", dispatched + timedelta(seconds=46), ""),
                    ("success", healthy, "Rolled back: probes failed")])
            else:
                s += [("failure", at + timedelta(minutes=3), "")]
            h.deploy(env, sha, at, s)
    return h


# ---- the independent computation ------------------------------------------------------------

def outcome(d):
    statuses = sorted(enumerate(d["statuses"]), key=lambda x: (x[1][1], x[0]))
    statuses = [s for _, s in statuses]
    if any(desc.startswith(NOT_DEPLOYED) for _, _, desc in statuses):
        return "not_deployed", None
    if any("rollback claim " in desc or "rollback dispatched " in desc for _, _, desc in statuses):
        return "rolled_back", None
    decisive = [s for s in statuses if s[0] in ("success", "failure", "error")]
    if not decisive:
        return "unfinished", None
    if decisive[-1][0] != "success":
        return "failed", None
    after = 0
    for i, s in enumerate(decisive):
        if s[0] != "success":
            after = i + 1
    return "succeeded", decisive[after][1]


def first_failure(d):
    return min(at for st, at, _ in d["statuses"] if st in ("failure", "error"))


def reachable(commits, sha):
    seen, todo = set(), [sha]
    while todo:
        s = todo.pop()
        if s in seen or s not in commits:
            continue
        seen.add(s)
        todo.extend(commits[s]["parents"])
    return seen


def med(values):
    v = sorted(values)
    if not v:
        return None
    n = len(v)
    return float(v[n // 2]) if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def expected(h, env, since, until):
    deps = sorted((d for d in h.deployments if d["environment"] == env), key=lambda d: (d["created_at"], d["id"]))
    inside = [d for d in deps if since <= d["created_at"] < until]
    results = {d["id"]: outcome(d) for d in deps}
    count = {k: sum(1 for d in inside if results[d["id"]][0] == k)
             for k in ("succeeded", "failed", "rolled_back", "unfinished", "not_deployed")}
    days = (until - since).total_seconds() / 86400
    out = {"deployments": count, "per_week": count["succeeded"] * 7 / days}
    finished = count["succeeded"] + count["failed"] + count["rolled_back"]
    out["cfr"] = 100 * (count["failed"] + count["rolled_back"]) / finished if finished else None

    lead, no_new, not_measured = [], 0, []
    succeeded = [d for d in deps if results[d["id"]][0] == "succeeded"]
    for i, d in enumerate(succeeded):
        if not since <= d["created_at"] < until:
            continue
        done = results[d["id"]][1]
        if i == 0:
            first = h.commits[d["sha"]]["date"]
        else:
            prev = succeeded[i - 1]["sha"]
            if prev not in h.commits or d["sha"] not in h.commits:
                not_measured.append(d["id"])
                continue
            new = reachable(h.commits, d["sha"]) - reachable(h.commits, prev)
            if not new:
                no_new += 1
                continue
            first = min(h.commits[s]["date"] for s in new)
        lead.append((d["id"], secs(done) - secs(first)))
    out["lead"], out["no_new"], out["not_measured"] = lead, no_new, not_measured

    # Time to restore: the environment's failures and successes in time order.
    events = []
    for d in deps:
        kind, done = results[d["id"]]
        if kind == "succeeded":
            events.append((done, True, d["id"]))
        elif kind in ("failed", "rolled_back"):
            events.append((first_failure(d), False, d["id"]))
    events.sort(key=lambda e: e[0])
    episodes, failing_since = [], None
    for at, ok, _ in events:
        if at >= until:
            break
        if not ok and failing_since is None:
            failing_since = at
        elif ok and failing_since is not None:
            episodes.append((failing_since, at))
            failing_since = None
    if failing_since is not None:
        episodes.append((failing_since, None))
    episodes = [e for e in episodes if since <= e[0] < until]
    out["restores"] = [(secs(a), secs(b) if b else None) for a, b in episodes]
    out["ttr"] = med([secs(b) - secs(a) for a, b in episodes if b])

    rollbacks = []
    for d in inside + [d for d in deps if d["created_at"] < since]:
        if results[d["id"]][0] != "rolled_back":
            continue
        detect = min(at for _, at, desc in d["statuses"] if "rollback claim " in desc)
        if not since <= detect < until:
            continue
        dispatched = min(at for _, at, desc in d["statuses"] if "rollback dispatched " in desc)
        healthy = next((at for at, ok, _ in events if ok and detect <= at < until), None)
        rollbacks.append((d["id"], secs(detect), secs(dispatched), secs(healthy) if healthy else None))
    rollbacks.sort(key=lambda r: r[1])
    out["rollbacks"] = rollbacks
    out["rollback_total"] = med([r[3] - r[1] for r in rollbacks if r[3]])
    out["rollback_dispatch"] = med([r[2] - r[1] for r in rollbacks])
    out["rollback_healthy"] = med([r[3] - r[2] for r in rollbacks if r[3]])

    weeks = []
    start = since - timedelta(days=since.weekday(), hours=since.hour, minutes=since.minute, seconds=since.second)
    while start < until:
        lo, hi = max(start, since), min(start + timedelta(days=7), until)
        ids = {d["id"] for d in inside if lo <= d["created_at"] < hi}
        ok = sum(1 for i in ids if results[i][0] == "succeeded")
        bad = sum(1 for i in ids if results[i][0] in ("failed", "rolled_back"))
        weeks.append({
            "start": iso(lo), "end": iso(hi), "succeeded": ok, "failed": bad,
            "cfr": 100 * bad / (ok + bad) if ok + bad else None,
            "lead": med([s for i, s in lead if i in ids]),
            "ttr": med([secs(b) - secs(a) for a, b in episodes if b and lo <= a < hi]),
            "rollback": med([r[3] - r[1] for r in rollbacks if r[3] and secs(lo) <= r[1] < secs(hi)]),
        })
        start += timedelta(days=7)
    out["weeks"] = weeks
    return out


def force_pushed_over(h, env, since, until):
    """The successful deployments of the window whose previous successful one deployed a commit
    that is not their ancestor: the lead times that span a rewritten history."""
    deps = sorted((d for d in h.deployments if d["environment"] == env), key=lambda d: (d["created_at"], d["id"]))
    succeeded = [d for d in deps if outcome(d)[0] == "succeeded"]
    return [b["id"] for a, b in zip(succeeded, succeeded[1:])
            if since <= b["created_at"] < until and a["sha"] not in reachable(h.commits, b["sha"])]


def approx(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def check_figures(got, want):
    assert got["deployments"] == want["deployments"]
    assert approx(got["deployment_frequency_per_week"], want["per_week"])
    assert approx(got["change_failure_rate"], want["cfr"])
    assert [(x["deployment_id"], x["seconds"]) for x in got["lead_times"]] == want["lead"]
    assert approx(got["lead_time_median_s"], med([s for _, s in want["lead"]]))
    assert got["no_new_commits"] == want["no_new"]
    assert [x["deployment_id"] for x in got["lead_time_not_measured"]] == want["not_measured"]
    got_restores = [(x["failed_at"], x["restored_at"]) for x in got["restores"]]
    assert got_restores == [(iso(datetime.fromtimestamp(a, timezone.utc)),
                             iso(datetime.fromtimestamp(b, timezone.utc)) if b else None) for a, b in want["restores"]]
    assert approx(got["time_to_restore_median_s"], want["ttr"])
    as_secs = lambda s: secs(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)) if s else None
    assert [(r["deployment_id"], as_secs(r["detected_at"]), as_secs(r["dispatched_at"]), as_secs(r["healthy_at"]))
            for r in got["rollbacks"]] == want["rollbacks"]
    assert approx(got["rollback_median_s"], want["rollback_total"])
    assert approx(got["rollback_detect_to_dispatch_median_s"], want["rollback_dispatch"])
    assert approx(got["rollback_dispatch_to_healthy_median_s"], want["rollback_healthy"])
    assert len(got["weeks"]) == len(want["weeks"])
    for g, w in zip(got["weeks"], want["weeks"]):
        assert (g["start"], g["end"], g["succeeded"], g["failed"]) == (w["start"], w["end"], w["succeeded"], w["failed"])
        assert approx(g["change_failure_rate"], w["cfr"]), g
        assert approx(g["lead_time_median_s"], w["lead"]), g
        assert approx(g["time_to_restore_median_s"], w["ttr"]), g
        assert approx(g["rollback_median_s"], w["rollback"]), g


def metrics(workspace, emulator, *args, token=TOKEN):
    out = workspace.runner_dir / "metrics.json"
    proc = run_tollgate(["metrics", *args, "--json", str(out)], workspace, emulator, token=token, sha=SHA)
    return proc, (json.loads(out.read_text()) if out.exists() and proc.returncode == 0 else None)


SINCE = MONDAY + timedelta(days=3, hours=5)
UNTIL = MONDAY + timedelta(weeks=7, days=2, hours=7)


def test_every_figure_equals_an_independent_computation(workspace, emulator):
    h = build_history(seed=17)
    h.seed(emulator)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--environment", "staging",
                           "--since", iso(SINCE), "--until", iso(UNTIL))
    assert proc.returncode == 0, proc.stderr
    assert [e["environment"] for e in result["environments"]] == ["production", "staging"]
    for got in result["environments"]:
        want = expected(h, got["environment"], SINCE, UNTIL)
        check_figures(got, want)
        assert got["narrowed"] is None
    prod, staging = result["environments"]
    # The history holds every kind of record the figures distinguish.
    assert prod["deployments"]["rolled_back"] >= 2 and prod["deployments"]["failed"] >= 2
    assert prod["deployments"]["not_deployed"] >= 2 and prod["no_new_commits"] >= 1
    assert len(prod["rollbacks"]) >= 2 and len(prod["restores"]) >= 3
    assert staging["lead_times"][0]["first_commit_sha"] == staging["lead_times"][0]["sha"]  # its first deployment
    # A force-push inside the window: a lead time whose range crosses the rewritten history is
    # measured, and equals the independent one (checked above with every other).
    for got in (prod, staging):
        crossing = force_pushed_over(h, got["environment"], SINCE, UNTIL)
        assert crossing, got["environment"]
        assert set(crossing) <= {x["deployment_id"] for x in got["lead_times"]}
    # Read-only: nothing was written, and the compare was paged from its oldest commits.
    reqs = emulator.requests()
    assert {r["method"] for r in reqs} == {"GET"}
    assert any(r["operation_id"].startswith("repos/compare-commits") and r["query"].get("per_page") == "100"
               for r in reqs)
    assert any(r["operation_id"] == "repos/get-commit" for r in reqs)
    assert result["requests"] == len(reqs)
    assert emulator.state(REPO)["deployments"] and all(
        len(d["statuses"]) == len(next(x for x in h.deployments if x["id"] == d["id"])["statuses"])
        for d in emulator.state(REPO)["deployments"])


def test_summary_leads_with_figures_and_writes_every_definition(workspace, emulator):
    h = build_history(seed=3)
    h.seed(emulator)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(UNTIL))
    assert proc.returncode == 0, proc.stderr
    summary = workspace.summary.read_text()
    figures = summary.index("| Deployment frequency |")
    assert figures < summary.index("| Week of (Monday, UTC) |") < summary.index("```text") < summary.index("#### Definitions")
    for name, text in result["definitions"].items():
        assert f"- **{name}**: {text}" in summary
    for key in ("lead_time", "change_failure_rate", "time_to_restore", "rollback_time", "deployment_frequency"):
        assert key in result["definitions"]
    prod = result["environments"][0]
    chart = summary[summary.index("```text"):]
    for week in prod["weeks"]:
        assert f"{week['succeeded']} ✓ {week['failed']} ✗" in chart
    assert f"**{prod['change_failure_rate']:.1f} %**" in summary
    outputs = workspace.outputs()
    assert outputs["change-failure-rate"] == f"{prod['change_failure_rate']:.2f}"
    assert outputs["lead-time-median-s"] == f"{prod['lead_time_median_s']:.0f}"


def test_long_history_is_paged_and_exact(workspace, emulator):
    # Many deployments a day: more than a hundred in the window (several pages of deployments), and
    # one deployment with more than a hundred statuses (two pages of them).
    h = build_history(seed=5, weeks=3, environments=("production",), deploy_every=(1, 1))
    chatty = next(d for d in h.deployments if outcome(d)[0] == "succeeded" and d["created_at"] > SINCE)
    chatty["statuses"] = [("in_progress", chatty["created_at"] + timedelta(seconds=i), "") for i in range(1, 130)] + \
        chatty["statuses"][1:]
    h.seed(emulator)
    until = MONDAY + timedelta(weeks=3)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(until),
                           "--max-requests", "2000")
    assert proc.returncode == 0, proc.stderr
    got = result["environments"][0]
    assert sum(got["deployments"].values()) > 150
    check_figures(got, expected(h, "production", SINCE, until))
    reqs = emulator.requests()
    listed = [r for r in reqs if r["operation_id"] == "repos/list-deployments"]
    assert len(listed) >= 2 and any(r["query"].get("page") == "2" for r in listed)
    assert all(r["query"].get("per_page") == "100" for r in listed)
    status_pages = [r for r in reqs if r["path"].endswith(f"/deployments/{chatty['id']}/statuses")]
    assert len(status_pages) == 2


def test_a_small_budget_narrows_the_window_and_says_so(workspace, emulator):
    h = build_history(seed=11, weeks=4, environments=("production",), deploy_every=(1, 2))
    h.seed(emulator)
    until = MONDAY + timedelta(weeks=4)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(until),
                           "--max-requests", "60")
    assert proc.returncode == 0, proc.stderr
    got = result["environments"][0]
    assert "request budget" in got["narrowed"]
    assert len(emulator.requests()) <= 60
    narrowed_since = datetime.strptime(got["since"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert narrowed_since > SINCE
    check_figures(got, expected(h, "production", narrowed_since, until))
    assert "Window narrowed" in workspace.summary.read_text()


def test_rate_limit_remaining_caps_the_budget(workspace, emulator):
    h = build_history(seed=11, weeks=4, environments=("production",), deploy_every=(1, 2))
    h.seed(emulator)
    emulator.settings(rate_limit=80)
    until = MONDAY + timedelta(weeks=4)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(until))
    assert proc.returncode == 0, proc.stderr
    got = result["environments"][0]
    assert got["narrowed"] and len(emulator.requests()) <= 80
    narrowed_since = datetime.strptime(got["since"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    check_figures(got, expected(h, "production", narrowed_since, until))


def test_a_deployment_of_a_commit_github_no_longer_has_is_not_measured(workspace, emulator):
    h = History(1)
    a = h.commit(MONDAY)
    b = h.commit(MONDAY + timedelta(hours=1))
    gone = "9" * 40  # force-pushed away: GitHub does not know it
    ok = lambda at: [("success", at + timedelta(minutes=5), "")]
    h.deploy("production", a, MONDAY + timedelta(hours=2), ok(MONDAY + timedelta(hours=2)))
    h.deploy("production", gone, MONDAY + timedelta(hours=3), ok(MONDAY + timedelta(hours=3)))
    h.deploy("production", b, MONDAY + timedelta(hours=4), ok(MONDAY + timedelta(hours=4)))
    h.deploy("production", b, MONDAY + timedelta(hours=5), ok(MONDAY + timedelta(hours=5)))
    h.seed(emulator)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(MONDAY),
                           "--until", iso(MONDAY + timedelta(days=1)))
    assert proc.returncode == 0, proc.stderr
    got = result["environments"][0]
    want = expected(h, "production", MONDAY, MONDAY + timedelta(days=1))
    check_figures(got, want)
    assert [x["deployment_id"] for x in got["lead_times"]] == [h.deployments[0]["id"]]
    assert got["lead_times"][0]["seconds"] == 2 * 3600 + 300  # the first deployment: its own commit
    assert want["not_measured"] == [h.deployments[1]["id"], h.deployments[2]["id"]]
    assert "GitHub does not know" in got["lead_time_not_measured"][0]["reason"]
    assert got["no_new_commits"] == 1


@pytest.mark.parametrize("permissions,missing", [
    ({"contents": "read"}, "deployments: read"),
    ({"deployments": "read"}, "contents: read"),
])
def test_a_missing_permission_is_named(workspace, emulator, permissions, missing):
    build_history(seed=2, weeks=2, environments=("production",)).seed(emulator)
    emulator.call("POST", "/_emulator/tokens", {"token": TOKEN, "mode": "read-write", "permissions": permissions})
    proc, _ = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE),
                      "--until", iso(MONDAY + timedelta(weeks=2)))
    assert proc.returncode == 2, proc.stderr
    assert f"`{missing}`" in proc.stderr and "403" in proc.stderr
    assert not workspace.summary.exists()


def test_least_permissions_are_enough(workspace, emulator):
    h = build_history(seed=2, weeks=2, environments=("production",))
    h.seed(emulator)
    emulator.call("POST", "/_emulator/tokens",
                  {"token": TOKEN, "mode": "read-write", "permissions": {"deployments": "read", "contents": "read"}})
    until = MONDAY + timedelta(weeks=2)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(until))
    assert proc.returncode == 0, proc.stderr
    check_figures(result["environments"][0], expected(h, "production", SINCE, until))


@pytest.mark.parametrize("args,message", [
    (["--since", "30x"], "--since '30x'"),
    (["--since", "2026-02-31"], "--since '2026-02-31'"),
    (["--since", "2026-11-02", "--until", "2026-11-01"], "is not before --until"),
    ([], "give --environment"),
])
def test_bad_options_are_refused(workspace, emulator, args, message):
    env = ["--environment", "production"] if args else []
    proc, _ = metrics(workspace, emulator, *env, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert emulator.requests() == []


# ---- the scheduled template, through the actions harness ---------------------------------------

def test_the_scheduled_template_posts_the_weekly_figures_with_its_own_least_permissions(workspace, emulator, tmp_path):
    template = ROOT / "workflows-templates/delivery-metrics.yml"
    # The history ends a day ago and began seven weeks ago: inside the template's 8-week window
    # whatever second the run starts.
    now = datetime.now(timezone.utc).replace(microsecond=0)
    h = build_history(seed=23, weeks=7, environments=("production",), start=now - timedelta(weeks=7, days=1))
    h.deployments = [d for d in h.deployments if d["created_at"] < now - timedelta(days=1)]
    h.seed(emulator)
    # The run's token can do what the job's `permissions:` grant, and nothing else.
    granted = load_file(template)["jobs"]["metrics"]["permissions"]
    assert granted == {"deployments": "read", "contents": "read"}
    emulator.call("POST", "/_emulator/tokens", {"token": TOKEN, "mode": "read-write", "permissions": granted})
    workspace.write("app.txt", "v1\n")
    head = workspace.commit("v1")  # a schedule runs on the default branch's tip
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "tollgate").symlink_to(os.environ.get("TOLLGATE_BIN", str(ROOT / "build/tollgate")))
    path = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin", os.environ["PATH"]])
    harness = Harness(workspace.path, github={
        "repository": REPO, "sha": head, "ref": "refs/heads/main", "api_url": emulator.url, "token": TOKEN,
        "server_url": "https://github.example", "run_id": "5001",
    }, aliases={"tollgate/tollgate": ROOT}, stubs=default_stubs(),
        env={"PATH": path, "TOLLGATE_RETRY_BASE_MS": "20", "TOLLGATE_RETRY_BUDGET_S": "60"})
    assert harness.would_trigger(template, "schedule", {"schedule": "17 6 * * 1"})[0]
    result = harness.run_workflow(template, "schedule", {"schedule": "17 6 * * 1"})
    job = result.job("metrics")
    assert job.result == "success", job.log()
    [artifact] = list(harness.store["artifacts"]["delivery-metrics"].glob("*.json"))
    got = json.loads(artifact.read_text())["environments"][0]
    assert got["environment"] == "production"
    since = datetime.strptime(got["since"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    until = datetime.strptime(got["until"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert timedelta(weeks=8) == until - since and abs(until - now) < timedelta(minutes=5)
    want = expected(h, "production", since, until)
    assert got["deployments"] == want["deployments"] and got["deployments"]["succeeded"] > 20
    assert approx(got["change_failure_rate"], want["cfr"])
    assert [(x["deployment_id"], x["seconds"]) for x in got["lead_times"]] == want["lead"]
    assert approx(got["time_to_restore_median_s"], want["ttr"])
    assert approx(got["rollback_median_s"], want["rollback_total"])
    # The job summary: the figures first, one row per week, the chart, the definitions.
    summary = job.summary
    assert summary.index("| Deployment frequency |") < summary.index("```text") < summary.index("#### Definitions")
    assert summary.count("\n| 20") == len(got["weeks"])  # one row per week, all of them in this century
    assert f"**{got['change_failure_rate']:.1f} %**" in summary
    assert {r["method"] for r in emulator.requests()} == {"GET"}


def test_an_environment_without_any_deployment_is_flagged_not_a_silent_zero(workspace, emulator):
    build_history(seed=2, weeks=2, environments=("production",)).seed(emulator)
    proc, result = metrics(workspace, emulator, "--environment", "prodution", "--environment", "production",
                           "--since", iso(SINCE), "--until", iso(MONDAY + timedelta(weeks=2)))
    assert proc.returncode == 0, proc.stderr
    typo, real = result["environments"]
    assert typo["no_deployments_at_all"] is True and real["no_deployments_at_all"] is False
    assert typo["change_failure_rate"] is None and typo["lead_time_median_s"] is None
    assert "no deployment of the environment prodution at all" in proc.stderr
    summary = workspace.summary.read_text()
    assert summary.count("GitHub has no deployment of this environment at all") == 1


# ---- over the records Tollgate itself writes ---------------------------------------------------

def history_from_emulator(emulator, repo_path):
    """The emulator's deployments and the repository's commits as a History, for `expected`."""
    h = History(0)
    log = subprocess.run(["git", "log", "--all", "--reverse", "--format=%H %cI %P"], cwd=repo_path, stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    for line in log.splitlines():
        sha, date, *parents = line.split()
        h.commits[sha] = {"parents": parents, "date": datetime.fromisoformat(date).astimezone(timezone.utc)}
    parse = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    for d in sorted(emulator.state(REPO)["deployments"], key=lambda d: d["id"]):
        statuses = sorted(d["statuses"], key=lambda s: s["id"])  # the dump lists them newest first
        h.deployments.append({"id": d["id"], "environment": d["environment"], "sha": d["sha"],
                              "created_at": parse(d["created_at"]),
                              "statuses": [(s["state"], parse(s["created_at"]), s["description"]) for s in statuses]})
    return h


def test_the_figures_of_what_deploy_and_rollback_recorded(workspace, emulator, tmp_path):
    """deploy.yml ships v1, v2 fails its production probes and is rolled back by rollback.yml, v3
    ships: delivery-metrics.yml reads exactly those records."""
    from test_actions_harness import Site, ci_posted_checks
    from test_first_run import ci_completed, deploy_harness
    from harness import repo as events

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "tollgate").symlink_to(os.environ.get("TOLLGATE_BIN", str(ROOT / "build/tollgate")))
    staging, production = Site(True), Site(True)
    deploy, rollback = ROOT / "workflows-templates/deploy.yml", ROOT / "workflows-templates/rollback.yml"
    emulator.call("POST", "/_emulator/workflows", {"repo": REPO, "workflow_id": "rollback.yml", "name": "Rollback",
                                                   "inputs": ["environment", "to_ref", "reason", "source_run", "dedupe_key"]})
    try:
        def deploy_commit(text, healthy, run_id):
            workspace.write("app.txt", text)
            sha = workspace.commit(text)
            ci_posted_checks(emulator, sha)  # what deploy.yml's release job requires
            production.healthy = healthy
            result = deploy_harness(workspace, emulator, bin_dir, sha, staging, production, run_id).run_workflow(
                deploy, event_name="workflow_run", event=ci_completed(workspace, sha, "success", run_id=int(run_id) - 500)[1])
            return sha, result

        good, first = deploy_commit("v1\n", True, "6001")
        assert first.job("production").result == "success", first.job("production").log()
        bad, second = deploy_commit("v2\n", False, "6002")
        assert second.job("production").result == "failure"
        [dispatch] = emulator.state()["dispatches"]
        production.healthy = True
        rolled = deploy_harness(workspace, emulator, bin_dir, bad, staging, production, "6003").run_workflow(
            rollback, event_name="workflow_dispatch", inputs=dispatch["inputs"],
            event=events.workflow_dispatch_event(dispatch["inputs"])[1])
        assert rolled.job("redeploy").result == "success", rolled.job("redeploy").log()
        newer, third = deploy_commit("v3\n", True, "6004")
        assert third.job("production").result == "success"
        # GitHub knows the commits that were pushed: the compare endpoint reads them.
        h = history_from_emulator(emulator, workspace.path)
        emulator.call("POST", "/_emulator/history", {"repo": REPO, "commits": [
            {"sha": s, "parents": c["parents"], "date": iso(c["date"])} for s, c in h.commits.items()]})

        metrics_harness = deploy_harness(workspace, emulator, bin_dir, newer, staging, production, "6005")
        metrics_run = metrics_harness.run_workflow(
            ROOT / "workflows-templates/delivery-metrics.yml", event_name="workflow_dispatch",
            inputs={"environment": "production", "since": "1d"},
            event=events.workflow_dispatch_event({"environment": "production", "since": "1d"})[1])
    finally:
        staging.close()
        production.close()
    job = metrics_run.job("metrics")
    assert job.result == "success", job.log()
    [artifact] = list(metrics_harness.store["artifacts"]["delivery-metrics"].glob("*.json"))
    got = json.loads(artifact.read_text())["environments"][0]
    since, until = (datetime.strptime(got[k], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) for k in ("since", "until"))
    want = expected(h, "production", since, until)
    check_figures(got, want)
    # What the records say, in words: three shipped (v1, the rollback to v1, v3), v2 rolled back,
    # GitHub's own deployment for the rollback job "not deployed"; the rollback's redeploy ships no
    # new commit; one restore, by the rollback.
    assert got["deployments"]["succeeded"] == 3 and got["deployments"]["rolled_back"] == 1
    assert got["deployments"]["failed"] == 0 and got["deployments"]["not_deployed"] >= 1
    assert [x["sha"] for x in got["lead_times"]] == [good, newer] and got["no_new_commits"] == 1
    assert got["change_failure_rate"] == 25.0
    [restore] = got["restores"]
    [rb] = got["rollbacks"]
    assert rb["dispatched_at"] and rb["healthy_at"] == restore["restored_at"]
    assert "| Deployment frequency |" in job.summary


@pytest.mark.parametrize("kind", ["secondary_rate_limit", "primary_rate_limit", "502"])
def test_rate_limits_and_server_errors_are_waited_out_and_counted(workspace, emulator, kind):
    h = build_history(seed=2, weeks=2, environments=("production",))
    h.seed(emulator)
    emulator.settings(retry_after_s=1)
    emulator.fault_once(kind=kind, method="GET", path_regex="/statuses$", times=2)
    emulator.fault_once(kind=kind, method="GET", path_regex="/compare/")
    until = MONDAY + timedelta(weeks=2)
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", iso(SINCE), "--until", iso(until))
    assert proc.returncode == 0, proc.stderr
    check_figures(result["environments"][0], expected(h, "production", SINCE, until))
    reqs = emulator.requests()
    assert sum(1 for r in reqs if r["fault"] == kind) == 3
    assert result["requests"] == len(reqs)  # the retries count against the budget


def test_a_token_github_does_not_accept_is_said_as_such(workspace, emulator):
    emulator.token(TOKEN, "bad")
    proc, _ = metrics(workspace, emulator, "--environment", "production")
    assert proc.returncode == 2
    assert "did not accept the token" in proc.stderr and "401" in proc.stderr


def test_a_window_that_ends_in_the_future_ends_now(workspace, emulator):
    proc, result = metrics(workspace, emulator, "--environment", "production", "--since", "2w", "--until", "2099-01-01")
    assert proc.returncode == 0, proc.stderr
    got = result["environments"][0]
    until = datetime.strptime(got["until"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs(until - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert got["days"] == 14  # --since is counted back from that end
