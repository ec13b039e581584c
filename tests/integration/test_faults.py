"""Faults (issue #8 item 3), counted from the emulator's state.

1. A whole run of each command (lighthouse, probe, deployment, rollback, merge) under 30% random
   faults of every kind the emulator offers, with fixed seeds, ends with the same check runs,
   annotations, statuses, comments, deployment statuses and dispatches as the same run without
   faults, and the same exit statuses and --json verdicts.
2. A write that GitHub applied before answering 502 (the `applied_502` fault) is neither lost nor
   sent twice, for every kind of write the agent makes."""
import difflib
import json
import re
import threading
import urllib.error
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest

from conftest import ROOT, run_tollgate

REPO = "octo/app"
GOOD_SHA = "a" * 40
OLDER_SHA = "b" * 40
PR_HEAD = "c" * 40
ROLLBACK_INPUTS = ["environment", "to_ref", "reason", "source_run", "dedupe_key"]
# Short waits for tests: the retry backoff, the claim's settle time and the run lookup.
FAST_ENV = {"TOLLGATE_RETRY_BASE_MS": "10", "TOLLGATE_RETRY_BUDGET_S": "60", "TOLLGATE_CLAIM_SETTLE_MS": "100",
            "TOLLGATE_RUN_LOOKUP_WAIT_MS": "3000", "TOLLGATE_RUN_LOOKUP_STEP_MS": "50"}
RATE = 0.3
LIGHTHOUSE_DATA = ROOT / "tests/data/lighthouse"


# ---- helpers -------------------------------------------------------------------------------

def emulator_fault_kinds(emulator):
    """Every fault kind the running emulator offers (its error for an unknown kind lists them)."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        emulator.faults(rate=RATE, kinds=["no-such-kind"])
    message = json.loads(refused.value.read().decode())["message"]
    kinds = message.split("known: ", 1)[1].split(", ")
    assert "applied_502" in kinds and len(kinds) >= 8, kinds
    return kinds


def quick_faults(emulator):
    """Rate-limit answers say retry at once, `slow` is 30 ms: the whole file stays under a minute."""
    emulator.settings(retry_after_s=0, latency_ms=30)


def tollgate(args, workspace, emulator, **kw):
    env = dict(FAST_ENV)
    env.update(kw.pop("extra_env", None) or {})
    return run_tollgate(args, workspace, emulator, extra_env=env, **kw)


def pr_event(number=7, head=PR_HEAD):
    return {"number": number, "pull_request": {"number": number, "head": {"sha": head, "repo": {"full_name": REPO}},
                                               "base": {"sha": "", "ref": "main", "repo": {"full_name": REPO}}}}


PR = {"event": pr_event(), "event_name": "pull_request"}


def junit(failing, total):
    """`total` test cases in src/mod.py, test_i on line i; those in `failing` fail."""
    cases = "".join(
        f'<testcase classname="tests.mod" name="test_{i}" file="src/mod.py" line="{i}">'
        + (f'<failure message="assert {i} == {i + 1}">trace {i}</failure>' if i in failing else "") + "</testcase>"
        for i in range(1, total + 1))
    return f'<testsuite name="s" tests="{total}">{cases}</testsuite>'


def source_repo(workspace, lines=200):
    workspace.write("src/mod.py", "".join(f"x{i} = {i}\n" for i in range(1, lines + 1)))
    return workspace.commit("source")


def seed_deployment(emulator, sha, state, environment="production"):
    return emulator.call("POST", "/_emulator/deployments",
                         {"repo": REPO, "environment": environment, "sha": sha, "ref": "main",
                          "statuses": [{"state": state}] if state else []})


def seed_rollback_world(emulator, head, head_state):
    """Two earlier good deployments of production, the one of `head`, and rollback.yml declaring
    its inputs (the emulator then refuses unexpected ones)."""
    seed_deployment(emulator, OLDER_SHA, "success")
    seed_deployment(emulator, GOOD_SHA, "success")
    seed_deployment(emulator, head, head_state)
    emulator.call("POST", "/_emulator/workflows",
                  {"repo": REPO, "workflow_id": "rollback.yml", "name": "Rollback", "inputs": ROLLBACK_INPUTS})


def faults_fired(emulator):
    return [r for r in emulator.requests() if r.get("fault")]


def writes(emulator, method, path_regex):
    return [r for r in emulator.requests() if r["method"] == method and re.search(path_regex, r["path"])]


VOLATILE_KEYS = {"created_at", "updated_at", "started_at", "completed_at", "run_started_at", "timestamp",
                 "duration_s"}
TIMES = re.compile(r"\+?\d+(?:\.\d+)? (?:ms|s)\b")
CLAIM = re.compile(r"(rollback claim [\w.-]*?\.)[0-9a-f]{8}\b")


def normalized(value):
    """Drops what differs between two correct runs: timestamps, probe latencies (keys *_ms and
    times in text), and the random part of a rollback claim token."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k not in VOLATILE_KEYS and not k.endswith("_ms")}
    if isinstance(value, (list, tuple)):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return CLAIM.sub(r"\1<token>", TIMES.sub("<time>", value))
    return value


def published(state):
    """What a run leaves on GitHub, in creation order, normalized."""
    return normalized({
        "check_runs": state.get("check_runs", []),
        "statuses": state.get("statuses", []),
        "comments": state.get("comments", []),
        "deployments": state.get("deployments", []),
        "dispatches": state.get("dispatches", []),
        "workflow_runs": state.get("workflow_runs", []),
    })


def same(got, expected):
    """Equality with a readable difference on failure."""
    if got != expected:
        a = json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
        b = json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
        pytest.fail("differs from the fault-free run:\n" + "\n".join(difflib.unified_diff(a, b, "fault-free", "faults",
                                                                                          lineterm="", n=4)))


def only(items, what):
    """The one item of a list, or a failure that says how many there were."""
    assert len(items) == 1, f"{len(items)} {what}, expected exactly one: {json.dumps(items)[:3000]}"
    return items[0]


def annotation_keys(check_run):
    return [(a["path"], a["start_line"], a["end_line"], a["annotation_level"], a["message"])
            for a in check_run["annotations"]]


# ---- the probe's target --------------------------------------------------------------------

@pytest.fixture
def down_url():
    """A site that answers 503 to everything: the probes fail and the rollback is dispatched."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(503)
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"down")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/health"
    httpd.shutdown()
    httpd.server_close()


# ---- 1. whole runs under 30% random faults --------------------------------------------------
#
# A scenario prepares the checkout once, then `run` seeds the emulator (it is reset between the
# fault-free and the faulty run) and runs the command's invocations in order, returning each one's
# exit status and --json result. `expect` checks the fault-free end state in absolute numbers, so
# that the comparison with the faulty run cannot pass on two empty states.

@dataclass
class Scenario:
    prepare: Callable  # (workspace, down_url) -> context passed to run and expect
    run: Callable      # (emulator, workspace, ctx) -> [(exit status, --json result)]
    expect: Callable   # (state, verdicts, ctx) -> None


def run_all(emulator, workspace, invocations):
    """Runs (args, run_tollgate keywords) in order; returns [(exit status, --json result)]."""
    verdicts = []
    for i, (args, kw) in enumerate(invocations):
        out = workspace.path / f"result-{i}.json"
        out.unlink(missing_ok=True)
        proc = tollgate(args + ["--json", str(out)], workspace, emulator, **kw)
        assert proc.returncode in (0, 1), f"{args}: exit {proc.returncode}\n{proc.stderr}"
        verdicts.append((proc.returncode, json.loads(out.read_text()) if out.exists() else None))
    return verdicts


# lighthouse: three matrix legs on a pull request (check run, commit status, sticky comment each),
# then one leg run again in the same attempt with a passing config: its check run, status and
# comment are updated in place.

def lighthouse_prepare(workspace, down_url):
    for i, lhr in enumerate(sorted((LIGHTHOUSE_DATA / "lh12").glob("*.json")), 1):
        workspace.write(f".lighthouseci/lhr-{i}.json", lhr.read_text())
    workspace.write("lighthouserc.json", (LIGHTHOUSE_DATA / "configs/keys.json").read_text())
    workspace.write("passing.json", (LIGHTHOUSE_DATA / "configs/passing.json").read_text())
    workspace.commit("site")
    return None


LEGS = ("desktop", "mobile", "tablet")


def lighthouse_run(emulator, workspace, ctx):
    legs = [(["lighthouse", "--commit-status", "always", "--comment", "--matrix", json.dumps({"device": leg})], PR) for leg in LEGS]
    again = (["lighthouse", "--commit-status", "always", "--comment", "--matrix", json.dumps({"device": "mobile"}), "--config", "passing.json"], PR)
    return run_all(emulator, workspace, legs + [again])


def lighthouse_expect(state, verdicts, ctx):
    assert [v[0] for v in verdicts] == [1, 1, 1, 0]
    runs = state["check_runs"]
    assert [r["name"] for r in runs] == [f"Lighthouse ({leg})" for leg in LEGS]
    findings = verdicts[0][1]["findings"]
    assert len(findings) >= 20
    for r in runs:
        keys = annotation_keys(r)
        assert len(keys) == len(set(keys)) == len(findings)
    assert [r["conclusion"] for r in runs] == ["failure", "success", "failure"]
    assert [(s["context"], s["state"]) for s in state["statuses"]] == [
        ("tollgate/lighthouse (desktop)", "failure"), ("tollgate/lighthouse (mobile)", "failure"),
        ("tollgate/lighthouse (tablet)", "failure"), ("tollgate/lighthouse (mobile)", "success")]
    assert len(state["comments"]) == 3
    assert "### ✅ Lighthouse \\(mobile\\)" in state["comments"][1]["body"]  # edited by the second run


# probe: the probes fail, the deployment is marked failed and the rollback dispatched once; a
# re-run of the job (attempt 2) finds the rollback and does not dispatch again.

def probe_prepare(workspace, down_url):
    workspace.write("app.txt", "v2")
    return {"head": workspace.commit("v2"), "url": down_url}


def probe_run(emulator, workspace, ctx):
    seed_rollback_world(emulator, ctx["head"], "in_progress")
    args = ["probe", "--url", ctx["url"], "--count", "2", "--interval", "20ms", "--environment", "production",
            "--rollback-workflow", "rollback.yml"]
    return run_all(emulator, workspace, [(args, {}), (args, {"extra_env": {"GITHUB_RUN_ATTEMPT": "2"}})])


def probe_expect(state, verdicts, ctx):
    assert [v[0] for v in verdicts] == [1, 1]
    first, again = verdicts[0][1]["rollback"], verdicts[1][1]["rollback"]
    assert first["dispatched"] is True and again["dispatched"] is False and again["already_dispatched"] is True
    dispatch = only(state["dispatches"], "dispatches")
    assert dispatch["inputs"]["to_ref"] == GOOD_SHA
    assert first["run_url"] == again["run_url"] and first["run_url"].endswith(f"/runs/{dispatch['run_id']}")
    d = only([d for d in state["deployments"] if d["sha"] == ctx["head"]], "deployments of the commit")
    assert [s["state"] for s in reversed(d["statuses"])] == ["in_progress", "failure", "failure", "failure"]
    assert [r["name"] for r in state["check_runs"]] == ["Probes", "Probes"]


# deployment: start and finish on a deployment Actions made (staging) and on two that tollgate
# creates (preview, qa).

def deployment_prepare(workspace, down_url):
    workspace.write("app.txt", "v3")
    return {"head": workspace.commit("v3")}


def deployment_run(emulator, workspace, ctx):
    seed_deployment(emulator, ctx["head"], None, environment="staging")
    steps = []
    for env, final in (("staging", "success"), ("preview", "failure"), ("qa", "error")):
        url = f"https://{env}.example"
        steps.append((["deployment", "start", "--environment", env, "--url", url], {}))
        steps.append((["deployment", "finish", "--environment", env, "--state", final, "--url", url], {}))
    return run_all(emulator, workspace, steps)


def deployment_expect(state, verdicts, ctx):
    assert [v[0] for v in verdicts] == [0] * 6
    mine = [d for d in state["deployments"] if d["sha"] == ctx["head"]]
    assert [(d["environment"], [s["state"] for s in reversed(d["statuses"])]) for d in mine] == [
        ("staging", ["in_progress", "success"]), ("preview", ["in_progress", "failure"]),
        ("qa", ["in_progress", "error"])]
    assert [v[1]["deployment"]["created"] for v in verdicts[::2]] == [False, True, True]
    for d in mine:
        assert {s["environment_url"] for s in d["statuses"]} == {f"https://{d['environment']}.example"}


# rollback: plan, dispatch (exactly once, through the deployment's claim), dispatch again on a
# re-run, and a plain dispatch with a dedupe key, twice.

def rollback_prepare(workspace, down_url):
    workspace.write("app.txt", "v4")
    return {"head": workspace.commit("v4")}


def rollback_run(emulator, workspace, ctx):
    seed_rollback_world(emulator, ctx["head"], "success")
    dispatch = ["rollback", "dispatch", "--workflow", "rollback.yml", "--environment", "production",
                "--reason", "manual"]
    plain = ["rollback", "dispatch", "--workflow", "rollback.yml", "--ref", "main", "--input", "environment=staging",
             "--input", f"to_ref={OLDER_SHA}", "--dedupe-key", "manual-42"]
    return run_all(emulator, workspace, [
        (["rollback", "plan", "--environment", "production"], {}),
        (dispatch, {}),
        (dispatch, {"extra_env": {"GITHUB_RUN_ATTEMPT": "2"}}),
        (plain, {}),
        (plain, {"extra_env": {"GITHUB_RUN_ATTEMPT": "2"}}),
    ])


def rollback_expect(state, verdicts, ctx):
    assert [v[0] for v in verdicts] == [0] * 5
    assert verdicts[0][1]["plan"]["sha"] == GOOD_SHA
    assert [(v[1]["rollback"]["dispatched"], v[1]["rollback"]["already_dispatched"]) for v in verdicts[1:]] == [
        (True, False), (False, True), (True, False), (False, True)]
    assert [(d["inputs"]["environment"], d["inputs"]["dedupe_key"]) for d in state["dispatches"]] == [
        ("production", verdicts[1][1]["rollback"]["dedupe_key"]), ("staging", "manual-42")]
    assert verdicts[1][1]["rollback"]["run_url"] == verdicts[2][1]["rollback"]["run_url"]
    assert verdicts[3][1]["rollback"]["run_url"] == verdicts[4][1]["rollback"]["run_url"]
    d = only([d for d in state["deployments"] if d["sha"] == ctx["head"]], "deployments of the commit")
    assert [s["state"] for s in reversed(d["statuses"])] == ["success", "failure", "failure", "failure"]


# merge: three legs' --json results (300 tests in one file, failing differently) become one check
# run with every failure once (six annotation requests), one status and one sticky comment.

MERGE_TESTS = 300


def merge_prepare(workspace, down_url):
    source_repo(workspace, MERGE_TESTS)
    legs = {"3.10": range(1, 201), "3.11": range(101, MERGE_TESTS + 1), "3.12": ()}
    for python, failing in legs.items():
        workspace.write(f"in/{python}/junit.xml", junit(set(failing), MERGE_TESTS))
    workspace.commit("reports")
    for python, failing in legs.items():
        (workspace.path / "results" / python).mkdir(parents=True)
        proc = run_tollgate(["tests", "--report", f"in/{python}/junit.xml", "--matrix", json.dumps({"python": python}),
                             "--check-run", "none", "--no-status", "--max-annotations", "1000",
                             "--json", f"results/{python}/tests.json"], workspace, token="")
        assert proc.returncode == (1 if failing else 0), proc.stderr
    return None


def merge_run(emulator, workspace, ctx):
    return run_all(emulator, workspace, [(["merge", "--commit-status", "always", "--report", "results/**/tests.json", "--comment",
                                           "--max-annotations", "1000"],
                                          {"event": pr_event(9), "event_name": "pull_request"})])


def merge_expect(state, verdicts, ctx):
    assert [v[0] for v in verdicts] == [1]
    run = only(state["check_runs"], "check runs")
    assert run["name"] == "Tests (all legs)"
    keys = annotation_keys(run)
    assert len(keys) == len(set(keys)) == MERGE_TESTS
    assert run["conclusion"] == "failure" and run["status"] == "completed"
    assert [s["context"] for s in state["statuses"]] == ["tollgate/merge"]
    assert len(state["comments"]) == 1
    assert verdicts[0][1]["totals"]["failed"] == 400


# Seeds chosen so that each run gets at least MIN_FAULTS faults, one of them an applied_502 on a
# write: lighthouse on the check-run creates and a comment, probe on a deployment status, deployment
# on two deployment statuses, rollback on the dispatch, merge on the commit status. The faults follow
# the agent's sequence of requests: when that changes, a seed may need changing too.
SCENARIOS = {
    "lighthouse": (Scenario(lighthouse_prepare, lighthouse_run, lighthouse_expect), 10),
    "probe": (Scenario(probe_prepare, probe_run, probe_expect), 10),
    "deployment": (Scenario(deployment_prepare, deployment_run, deployment_expect), 10),
    "rollback": (Scenario(rollback_prepare, rollback_run, rollback_expect), 10),
    "merge": (Scenario(merge_prepare, merge_run, merge_expect), 7),
}
MIN_FAULTS = 5


@pytest.mark.parametrize("command", list(SCENARIOS))
def test_30_percent_faults_of_every_kind_lose_and_duplicate_nothing(command, emulator, workspace, down_url):
    scenario, seed = SCENARIOS[command]
    kinds = emulator_fault_kinds(emulator)
    ctx = scenario.prepare(workspace, down_url)

    emulator.reset()
    clean_verdicts = scenario.run(emulator, workspace, ctx)
    assert faults_fired(emulator) == []
    clean_state = emulator.state()
    scenario.expect(clean_state, clean_verdicts, ctx)

    emulator.reset()
    quick_faults(emulator)
    emulator.faults(rate=RATE, seed=seed, kinds=kinds)
    verdicts = scenario.run(emulator, workspace, ctx)
    fired = faults_fired(emulator)
    emulator.faults()  # off: the state is read without faults
    state = emulator.state()
    scenario.expect(state, verdicts, ctx)
    same(normalized(verdicts), normalized(clean_verdicts))
    same(published(state), published(clean_state))

    # ... and that was under fire: enough faults, one of them a write applied and then answered 502.
    fired_kinds = sorted(r["fault"] for r in fired)
    applied = [(r["method"], r["path"]) for r in fired if r["fault"] == "applied_502" and r["method"] != "GET"]
    print(f"{command}: {len(fired)} faults in {len(emulator.requests())} requests: {fired_kinds}; "
          f"applied_502 on {applied}")
    assert len(fired) >= MIN_FAULTS, fired_kinds
    assert len(set(fired_kinds)) >= 4, fired_kinds
    assert applied, f"seed {seed} puts no applied_502 on a write any more (pick another): {fired_kinds}"


# ---- 2. applied, then 502: every kind of write -----------------------------------------------
#
# Each case sets up what the write needs, queues one applied_502 for exactly that write (method +
# path), runs the command, and checks that the emulator holds exactly one resulting object with
# the right content, that the fault was hit, and how often the write went out: once for a create
# (the agent finds it applied and does not send it again), twice for an idempotent update.

@dataclass
class WriteCase:
    method: str
    path_regex: str
    setup: Callable  # (emulator, workspace) -> ctx (a dict), run before the fault is queued
    act: Callable    # (emulator, workspace, ctx) -> CompletedProcess
    check: Callable  # (state, ctx) -> None; ctx["workspace"] is the workspace
    exit_status: int = 1
    sends: int = 1   # requests matching method + path while the command runs
    skip: int = 0    # matching writes let through before the faulted one (a 1 ms `slow` fault each)


def checkout_with_failures(n_failed):
    def setup(emulator, workspace):
        head = source_repo(workspace)
        workspace.write("junit.xml", junit(set(range(1, n_failed + 1)), n_failed + 2))
        return {"head": head, "n": n_failed}
    return setup


def run_tests(extra=(), **kw):
    def act(emulator, workspace, ctx):
        return tollgate(["tests", "--report", "junit.xml", "--max-annotations", "500", *extra], workspace, emulator,
                        **kw)
    return act


def one_complete_check_run(state, ctx):
    run = only(state["check_runs"], "check runs")
    assert run["name"] == "Tests" and run["head_sha"] == ctx["head"]
    assert run["status"] == "completed" and run["conclusion"] == "failure"
    keys = annotation_keys(run)
    assert sorted(k[1] for k in keys) == list(range(1, ctx["n"] + 1))
    assert len(set(keys)) == len(keys)
    assert run["output"]["title"] == f"{ctx['n'] + 2} tests, {ctx['n']} failed"


def check_run_rerun_setup(emulator, workspace):
    ctx = checkout_with_failures(3)(emulator, workspace)
    assert run_tests(["--no-status"])(emulator, workspace, ctx).returncode == 1
    workspace.write("junit.xml", junit({1, 2, 3}, 8))  # the same failures, more tests: a new title
    return ctx


def rerun_updated_in_place(state, ctx):
    run = only(state["check_runs"], "check runs")
    assert len(annotation_keys(run)) == len(set(annotation_keys(run))) == 3
    assert run["output"]["title"] == "8 tests, 3 failed" and run["status"] == "completed"


def job_check_run_setup(emulator, workspace):
    ctx = checkout_with_failures(60)(emulator, workspace)
    emulator.call("POST", "/_emulator/jobs", {"repo": REPO, "run_id": 1001, "run_attempt": 1, "head_sha": ctx["head"],
                                              "jobs": [{"name": "test", "runner_name": "runner-1"}]})
    return ctx


def job_check_run_annotated(state, ctx):
    run = only(state["check_runs"], "check runs")
    assert run["name"] == "test" and run["status"] == "in_progress"  # the runner completes it
    keys = annotation_keys(run)
    assert len(keys) == len(set(keys)) == 60
    assert run["output"]["title"] == "62 tests, 60 failed"


def one_commit_status(state, ctx):
    status = only(state["statuses"], "commit statuses")
    assert (status["context"], status["state"], status["sha"]) == ("tollgate/tests", "failure", ctx["head"])
    assert status["description"] == "5 tests, 3 failed"


def comment_setup(update):
    def setup(emulator, workspace):
        ctx = checkout_with_failures(2)(emulator, workspace)
        if update:
            proc = run_tests(["--comment", "--no-status"], **PR)(emulator, workspace, ctx)
            assert proc.returncode == 1, proc.stderr
            ctx["comment_id"] = emulator.state()["comments"][0]["id"]
            workspace.write("junit.xml", junit({1, 2, 3, 4}, 6))
            ctx["n"] = 4
        return ctx
    return setup


def one_sticky_comment(state, ctx):
    comment = only(state["comments"], "comments")
    assert comment["issue_number"] == 7 and "<!-- tollgate:sticky:" in comment["body"]
    assert f"{ctx['n'] + 2} tests, {ctx['n']} failed" in comment["body"]
    if "comment_id" in ctx:
        assert comment["id"] == ctx["comment_id"]


def deployment_setup(existing):
    def setup(emulator, workspace):
        workspace.write("app.txt", "v1")
        head = workspace.commit("v1")
        if existing:
            seed_deployment(emulator, head, "in_progress", environment="staging")
        return {"head": head}
    return setup


def deploy(action, *extra):
    def act(emulator, workspace, ctx):
        return tollgate(["deployment", action, "--environment", "staging", "--url", "https://staging.example", *extra],
                        workspace, emulator)
    return act


def deployment_states(expected):
    def check(state, ctx):
        d = only(state["deployments"], "deployments")
        assert d["sha"] == ctx["head"] and d["environment"] == "staging"
        assert [s["state"] for s in reversed(d["statuses"])] == expected
        assert d["statuses"][0]["environment_url"] == "https://staging.example"
    return check


def rollback_setup(emulator, workspace):
    workspace.write("app.txt", "v5")
    head = workspace.commit("v5")
    seed_rollback_world(emulator, head, "success")
    return {"head": head}


def legacy_rollback_setup(emulator, workspace):
    emulator.settings(dispatch_mode="legacy")  # refuses return_run_details (422)
    return rollback_setup(emulator, workspace)


def rollback_dispatch(*extra):
    def act(emulator, workspace, ctx):
        return tollgate(["rollback", "dispatch", "--workflow", "rollback.yml", "--reason", "manual", *extra],
                        workspace, emulator)
    return act


def one_dispatch(environment, dedupe_key=None):
    """One dispatch and one run. dedupe_key None: the rollback of the deployment (its key, the last
    good commit, the claim and the record on the deployment); "": a plain dispatch without a key."""
    def check(state, ctx):
        dispatch = only(state["dispatches"], "dispatches")
        assert dispatch["inputs"]["environment"] == environment and dispatch["ref"] == "main"
        if dedupe_key is not None:
            assert dispatch["inputs"].get("dedupe_key", "") == dedupe_key
        else:
            d = only([d for d in state["deployments"] if d["sha"] == ctx["head"]], "deployments of the commit")
            assert dispatch["inputs"]["dedupe_key"] == f"tollgate-rb-{d['id']}"
            assert dispatch["inputs"]["to_ref"] == GOOD_SHA
            seeded, claim, record = reversed(d["statuses"])
            assert (seeded["state"], claim["state"], record["state"]) == ("success", "failure", "failure")
            assert "; rollback claim 1001.1." in claim["description"]
            assert record["description"] == f"rollback dispatched tollgate-rb-{d['id']}: run {dispatch['run_id']}"
        runs = [r for r in state["workflow_runs"] if r["event"] == "workflow_dispatch"]
        assert [r["id"] for r in runs] == [dispatch["run_id"]]
        assert ctx["workspace"].outputs()["run-url"] == runs[0]["html_url"]
    return check


CHECK_RUN = r"/repos/octo/app/check-runs/\d+$"
DEPLOYMENT_STATUSES = r"/repos/octo/app/deployments/\d+/statuses$"
WRITE_CASES = {
    # POST check-runs: the create, with the only batch of annotations.
    "check-run-create": WriteCase("POST", r"/repos/octo/app/check-runs$", checkout_with_failures(3),
                                  run_tests(["--no-status"]), one_complete_check_run),
    # PATCH check-runs with annotations (not idempotent: appends): the second of three batches.
    "check-run-append": WriteCase("PATCH", CHECK_RUN, checkout_with_failures(120), run_tests(["--no-status"]),
                                  one_complete_check_run, sends=2),
    # ... and the last batch, which also completes the run.
    "check-run-append-last": WriteCase("PATCH", CHECK_RUN, checkout_with_failures(120), run_tests(["--no-status"]),
                                       one_complete_check_run, sends=2, skip=1),
    # PATCH check-runs without annotations: the same step run again updates its run in place.
    "check-run-update": WriteCase("PATCH", CHECK_RUN, check_run_rerun_setup, run_tests(["--no-status"]),
                                  rerun_updated_in_place, sends=2),
    # PATCH onto the job's own check run (--check-run job): two batches of annotations.
    "job-check-run-append": WriteCase("PATCH", CHECK_RUN, job_check_run_setup,
                                      run_tests(["--no-status", "--check-run", "job"]), job_check_run_annotated,
                                      sends=2),
    "commit-status": WriteCase("POST", r"/repos/octo/app/statuses/[0-9a-f]{40}$", checkout_with_failures(3),
                               run_tests(["--check-run", "none", "--commit-status", "always"]), one_commit_status),
    "comment-create": WriteCase("POST", r"/repos/octo/app/issues/7/comments$", comment_setup(False),
                                run_tests(["--comment", "--no-status", "--check-run", "none"], **PR),
                                one_sticky_comment),
    # PATCH of the sticky comment is idempotent: sent again after the 502.
    "comment-update": WriteCase("PATCH", r"/repos/octo/app/issues/comments/\d+$", comment_setup(True),
                                run_tests(["--comment", "--no-status", "--check-run", "none"], **PR),
                                one_sticky_comment, sends=2),
    "deployment-create": WriteCase("POST", r"/repos/octo/app/deployments$", deployment_setup(False),
                                   deploy("start"), deployment_states(["in_progress"]), exit_status=0),
    "deployment-status": WriteCase("POST", DEPLOYMENT_STATUSES, deployment_setup(True),
                                   deploy("finish", "--state", "success"),
                                   deployment_states(["in_progress", "success"]), exit_status=0),
    # The rollback through the deployment: its claim (a deployment status), the dispatch, and the
    # record of the dispatch (another deployment status).
    "rollback-claim": WriteCase("POST", DEPLOYMENT_STATUSES, rollback_setup,
                                rollback_dispatch("--environment", "production"), one_dispatch("production"),
                                exit_status=0, sends=2),
    "workflow-dispatch": WriteCase("POST", r"/dispatches$", rollback_setup,
                                   rollback_dispatch("--environment", "production"), one_dispatch("production"),
                                   exit_status=0),
    "rollback-record": WriteCase("POST", DEPLOYMENT_STATUSES, rollback_setup,
                                 rollback_dispatch("--environment", "production"), one_dispatch("production"),
                                 exit_status=0, sends=2, skip=1),
    # A server without return_run_details refuses the first dispatch (422); the one sent again
    # without it is applied, then answered 502: the run is found by its key, not dispatched twice.
    "workflow-dispatch-legacy": WriteCase("POST", r"/dispatches$", legacy_rollback_setup,
                                          rollback_dispatch("--environment", "production"), one_dispatch("production"),
                                          exit_status=0, sends=2, skip=1),
    # A plain dispatch with --dedupe-key: found by its key in the run's title.
    "workflow-dispatch-plain": WriteCase("POST", r"/dispatches$", rollback_setup,
                                         rollback_dispatch("--ref", "main", "--input", "environment=staging",
                                                           "--dedupe-key", "manual-7"),
                                         one_dispatch("staging", "manual-7"), exit_status=0),
    # A plain dispatch without a key: the run that was not there before the dispatch is its run.
    "workflow-dispatch-no-key": WriteCase("POST", r"/dispatches$", rollback_setup,
                                          rollback_dispatch("--ref", "main", "--input", "environment=staging"),
                                          one_dispatch("staging", ""), exit_status=0),
}


@pytest.mark.parametrize("kind", list(WRITE_CASES))
def test_a_write_applied_before_a_502_is_there_exactly_once(kind, emulator, workspace):
    case = WRITE_CASES[kind]
    ctx = case.setup(emulator, workspace)
    ctx["workspace"] = workspace
    before = len(writes(emulator, case.method, case.path_regex))
    for _ in range(case.skip):
        emulator.fault_once(kind="slow", latency_ms=1, method=case.method, path_regex=case.path_regex)
    emulator.fault_once(kind="applied_502", method=case.method, path_regex=case.path_regex)
    proc = case.act(emulator, workspace, ctx)
    assert proc.returncode == case.exit_status, proc.stderr
    hit = [r for r in emulator.requests() if r.get("fault") == "applied_502"]
    assert len(hit) == 1 and hit[0]["method"] == case.method and re.search(case.path_regex, hit[0]["path"])
    assert hit[0]["status"] == 502
    assert [r["seq"] for r in writes(emulator, case.method, case.path_regex)][before + case.skip] == hit[0]["seq"]
    case.check(emulator.state(), ctx)
    assert len(writes(emulator, case.method, case.path_regex)) - before == case.sends
