"""The composite actions and the workflow templates, run step by step by the harness
(tests/harness: env mappings, expressions, file commands, if: conditions, nested and stubbed
actions, matrices, needs) with the real tollgate against the GitHub API emulator.

Scenarios: the CI template's three-leg matrix with one failing leg; the coverage patch gate on a
pull request; the deploy template (started by CI's completion) with a failing production probe
dispatching the rollback once and the rollback template redeploying; actions/setup installing a verified release from a local HTTPS
server or building from source with its cache; and copies of the actions broken on purpose, which
the same checks must reject."""
import hashlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tarfile
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, TOKEN, TOLLGATE, git

sys.path.insert(0, str(ROOT / "tests"))
from harness import ExpressionError, Harness, HarnessError, default_stubs  # noqa: E402
from harness import deployments  # noqa: E402
from harness import repo as repo_events  # noqa: E402

DATA = ROOT / "tests/data/actions"
LIGHTHOUSE_DATA = ROOT / "tests/data/lighthouse"
VERSION = re.search(r"project\(tollgate VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)


def commands():
    out = subprocess.run([TOLLGATE, "--help"], stdout=subprocess.PIPE, text=True).stdout
    return set(re.findall(r"^  ([a-z]+) ", out, re.M))


def needs_commands(*names):
    missing = [n for n in names if n not in commands()]
    return pytest.mark.skipif(bool(missing), reason=f"tollgate has no {', '.join(missing)} command yet")


# ---- fixtures ----------------------------------------------------------------------------------

@pytest.fixture
def bin_dir(tmp_path):
    """A directory with this build's tollgate, as an earlier setup step leaves it on PATH."""
    d = tmp_path / "bin"
    d.mkdir()
    (d / "tollgate").symlink_to(TOLLGATE)
    return d


def cart_repo(workspace):
    """The sample project: a base commit, then a pull request that adds lines 13-15 and 18-24."""
    head_text = (DATA / "project/src/cart.js").read_text()
    lines = head_text.splitlines(keepends=True)
    workspace.write("src/cart.js", "".join(lines[:12] + lines[15:17] + lines[24:]))
    workspace.write("test/cart.test.js", (DATA / "project/test/cart.test.js").read_text())
    base = workspace.commit("base")
    workspace.write("src/cart.js", head_text)
    head = workspace.commit("pull request")
    return base, head


def pull_request_event(base, head, number=7):
    return {"number": number, "pull_request": {
        "number": number, "head": {"sha": head, "ref": "feature", "repo": {"full_name": "octo/app"}},
        "base": {"sha": base, "ref": "main", "repo": {"full_name": "octo/app"}}}}


def make_harness(workspace, emulator, sha, bin_dir=None, *, event_name="push", event=None, run_id="2001", env=None,
                 **kwargs):
    path = os.environ["PATH"] if bin_dir is None else f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    base_env = {"PATH": path, "TOLLGATE_RETRY_BASE_MS": "20", "TOLLGATE_RETRY_BUDGET_S": "60"}
    base_env.update(env or {})
    return Harness(workspace.path, github={
        "repository": "octo/app", "sha": sha, "ref": "refs/heads/main", "event_name": event_name, "event": event or {},
        "api_url": emulator.url if emulator else "https://api.github.example", "token": TOKEN,
        "server_url": "https://github.example", "run_id": run_id,
    }, aliases={"tollgate/tollgate": ROOT}, stubs=default_stubs(), env=base_env, **kwargs)


def assert_token_never_printed(result):
    for job in (result if isinstance(result, list) else [result]):
        for top in job.steps:
            for step in top.all_steps():
                text = "\n".join(l for l in (step.stdout + step.stderr).splitlines() if not l.startswith("::add-mask::"))
                assert TOKEN not in text, f"step {step.name} printed the token"


def check_runs(emulator, name=None):
    runs = emulator.state().get("check_runs", [])
    return [r for r in runs if name is None or r["name"] == name]


def ci_posted_checks(emulator, sha, merged="success", lighthouse="success"):
    """The check runs ci.yml's Tollgate steps leave on a commit (the ones deploy.yml's release job
    requires): `CI (all legs)` from merge and `Lighthouse`."""
    for name, conclusion in (("CI (all legs)", merged), ("Lighthouse", lighthouse)):
        emulator.call("POST", "/_emulator/check-runs", {"repo": "octo/app", "name": name, "head_sha": sha,
                                                        "conclusion": conclusion, "external_id": f"tollgate:{name}",
                                                        "output": {"title": f"{name}: {conclusion}", "summary": "-"}})


# ---- the CI template: matrix → merge → Lighthouse ----------------------------------------------

def run_ci_template(workspace, emulator, bin_dir, template=ROOT / "workflows-templates/ci.yml", actions_root=ROOT):
    base, head = cart_repo(workspace)
    overrides = {
        ("lint", "install"): "true", ("lint", "lint"): "true", ("test", "install"): "true",
        ("test", "run-tests"): 'mkdir -p results coverage\n'
                               'cp "$FIXTURES/junit-node${{ matrix.node }}.xml" "$JEST_JUNIT_OUTPUT_DIR/junit.xml"\n'
                               'cp "$FIXTURES/lcov-node${{ matrix.node }}.info" coverage/lcov.info\n',
        ("security", "install"): "true",
        # The scan job's scanner: a real clang analyzer log (warnings only: the job passes).
        ("security", "scanner"): 'mkdir -p results\ncp "$SARIF/clang-analyze.sarif" results/head.sarif\n',
        ("lighthouse", "build"): "true",
        ("lighthouse", "lhci-collect"): 'mkdir -p .lighthouseci\n'
                                        'for i in 1 2 3; do cp "$LHR/lh12/fast-$i.json" ".lighthouseci/lhr-$i.json"; done\n'
                                        'cp "$LHR/configs/categories.json" lighthouserc.json\n',
    }
    harness = make_harness(workspace, emulator, head, bin_dir, event_name="pull_request",
                           event=pull_request_event(base, head), env={"FIXTURES": str(DATA), "LHR": str(LIGHTHOUSE_DATA),
                                                                         "SARIF": str(ROOT / "tests/data/sarif")},
                           step_overrides=overrides)
    harness.aliases["tollgate/tollgate"] = Path(actions_root)
    return harness.run_workflow(template)


@needs_commands("tests", "coverage", "merge", "scan")
def test_a_three_leg_matrix_with_one_failing_leg_gives_three_leg_checks_and_one_failing_merged_check(
        emulator, workspace, bin_dir):
    result = run_ci_template(workspace, emulator, bin_dir)

    legs = result.jobs["test"]
    assert [(leg.matrix["node"], leg.result) for leg in legs] == [(20, "success"), (22, "failure"), (24, "success")]
    failing = result.job("test", node=22)
    assert failing.step("tests").outputs["passed"] == "false"
    assert failing.step("tests").outputs["failed"] == "1"
    assert failing.step("coverage").outcome == "success"  # if: !cancelled() runs it after the failure

    leg_checks = sorted((r["name"], r["conclusion"]) for r in check_runs(emulator) if r["name"].startswith("Tests ("))
    assert leg_checks == [("Tests (ubuntu-latest, 20)", "success"), ("Tests (ubuntu-latest, 22)", "failure"),
                          ("Tests (ubuntu-latest, 24)", "success")]
    assert not check_runs(emulator, "Coverage (ubuntu-latest, 20)")  # legs post no partial coverage check

    merged = check_runs(emulator, "CI (all legs)")
    assert len(merged) == 1 and merged[0]["conclusion"] == "failure"
    output = merged[0]["output"]
    assert output["title"].startswith("3 legs, 1 failed (Tests (ubuntu-latest, 22)) · 9 tests, 1 failed · Coverage 93.3%")
    assert "| Tests \\(ubuntu-latest, 22\\) | ❌ failure |" in output["summary"]
    assert "| failed legs | 0 | 1 | ❌ failed |" in output["summary"]
    assert "| line coverage | 80 | 93.33 | ✅ passed |" in output["summary"]
    assert "| patch coverage | 90 | 100 | ✅ passed |" in output["summary"]
    [annotation] = merged[0]["annotations"]
    assert (annotation["path"], annotation["start_line"]) == ("test/cart.test.js", 8)
    assert annotation["message"].startswith("In 1 of 3 legs: Tests (ubuntu-latest, 22)")

    merge_job = result.job("merge")
    assert merge_job.result == "failure"
    outputs = merge_job.step("merge").outputs
    assert (outputs["legs"], outputs["failed-legs"], outputs["line-coverage"], outputs["patch-coverage"]) == \
        ("3", "1", "93.33", "100.00")
    assert [c for c in emulator.state()["comments"] if "CI \\(all legs\\)" in c["body"]], "the sticky comment"

    [security] = check_runs(emulator, "Security")
    assert (security["conclusion"], security["output"]["title"]) == ("success", "5 warning")
    assert result.job("security").step("scan").outputs["medium"] == "5"

    lighthouse = check_runs(emulator, "Lighthouse")
    assert len(lighthouse) == 1
    assert result.job("lighthouse").step("lighthouse").outputs["performance"].isdigit()
    assert_token_never_printed([j for legs in result.jobs.values() for j in legs])


# ---- coverage patch gate on a pull request -----------------------------------------------------

@needs_commands("coverage")
def test_the_coverage_patch_gate_fails_a_pull_request_whose_new_lines_are_not_covered(emulator, workspace, bin_dir):
    base, head = cart_repo(workspace)
    shutil.copy(DATA / "lcov-node20.info", workspace.path / "lcov.info")  # covers neither TENOFF nor shipping
    harness = make_harness(workspace, emulator, head, bin_dir, event_name="pull_request",
                           event=pull_request_event(base, head))
    job = harness.run_action("tollgate/tollgate/actions/coverage@v1",
                             {"report": "lcov.info", "min-patch": "80", "comment": "true"}, step_id="coverage")

    assert job.result == "failure"
    outputs = job.step("coverage").outputs
    assert outputs["passed"] == "false"
    assert outputs["patch-coverage"] == "0.00"
    assert outputs["check-run-url"].startswith("http://github.example/")
    [run] = check_runs(emulator, "Coverage")
    assert run["conclusion"] == "failure"
    assert run["head_sha"] == head
    ranges = sorted((a["start_line"], a["end_line"], a["annotation_level"]) for a in run["annotations"])
    assert ranges == [(13, 14, "failure"), (19, 23, "failure")]
    assert "patch coverage" in job.summary
    assert len(emulator.state()["comments"]) == 1


# ---- deploy → failing probe → rollback ----------------------------------------------------------

class Site:
    """A site with /healthz on 127.0.0.1: healthy or not, switchable."""

    def __init__(self, healthy):
        self.healthy = healthy
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                ok = site.healthy and self.path == "/healthz"
                body = b'{"status":"ok"}' if ok else b'{"status":"down"}'
                self.send_response(200 if ok else 503)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites():
    staging, production = Site(True), Site(False)
    yield staging, production
    staging.close()
    production.close()


@needs_commands("probe", "deployment", "rollback")
def test_failing_production_probes_dispatch_the_rollback_once_and_the_rollback_template_redeploys(
        emulator, workspace, bin_dir, sites):
    staging, production = sites
    workspace.write("app.txt", "v1\n")
    good = workspace.commit("v1")
    workspace.write("app.txt", "v2\n")
    bad = workspace.commit("v2")
    emulator.call("POST", "/_emulator/deployments", {"repo": "octo/app", "environment": "production", "sha": good,
                                                      "ref": good, "statuses": [{"state": "success"}]})
    start, end = deployments.hooks(emulator.url, TOKEN)
    env_vars = {"staging": {"APP_URL": staging.url}, "production": {"APP_URL": production.url}}
    harness = make_harness(workspace, emulator, bad, bin_dir, environment_vars=env_vars, on_job_start=start,
                           on_job_end=end)

    # CI passed for the bad commit (its tests cannot see what the probes see): CI's completion starts the deploy.
    ci_posted_checks(emulator, bad)
    _, ci_done = repo_events.workflow_run_event(workspace.path, bad, workflow="CI", conclusion="success",
                                                event="push", head_branch="main", run_id=1901)
    deploy = harness.run_workflow(ROOT / "workflows-templates/deploy.yml", event_name="workflow_run", event=ci_done)

    assert [deploy.job(j).result for j in ("gate", "build", "staging", "release", "production")] == \
        ["success", "success", "success", "success", "failure"]
    probe = deploy.job("production").step("probe").outputs
    assert probe["passed"] == "false" and probe["rollback-dispatched"] == "true"
    state = emulator.state()
    [dispatch] = state["dispatches"]
    assert dispatch["workflow_id"] == "rollback.yml"
    inputs = dispatch["inputs"]
    assert inputs["environment"] == "production" and inputs["to_ref"] == good
    assert inputs["source_run"].endswith("/actions/runs/2001") and inputs["dedupe_key"] and inputs["reason"]
    assert probe["rollback-run-url"]
    production_bad = [d for d in state["deployments"] if d["environment"] == "production" and d["sha"] == bad]
    assert [s["state"] for s in production_bad[0]["statuses"]][0] == "failure"  # newest first
    staging_deployment = [d for d in state["deployments"] if d["environment"] == "staging"][0]
    assert {s["state"] for s in staging_deployment["statuses"]} >= {"in_progress", "success"}
    assert "Probes" in deploy.job("staging").summary  # the evidence production's reviewers read

    # A second failing probe of the same deployment (a re-run) dispatches nothing more.
    again = harness.run_action("tollgate/tollgate/actions/probe@v1", {
        "url": production.url + "/healthz", "count": "2", "interval": "100ms", "environment": "production",
        "deployment-id": str(production_bad[0]["id"]), "rollback-workflow": "rollback.yml"}, step_id="probe")
    assert again.result == "failure"
    assert again.step("probe").outputs["rollback-dispatched"] == "false"
    assert len(emulator.state()["dispatches"]) == 1

    # The rollback template, started with the dispatched inputs, redeploys the last good commit.
    production.healthy = True
    rollback = make_harness(workspace, emulator, bad, bin_dir, run_id="3001", environment_vars=env_vars,
                            on_job_start=start, on_job_end=end).run_workflow(
        ROOT / "workflows-templates/rollback.yml", event_name="workflow_dispatch", inputs=inputs)
    assert rollback.run_name == (f"Rollback production to {good} ({inputs['dedupe_key']}) — {inputs['reason']}")
    assert rollback.job("plan").outputs["to-sha"] == good
    assert rollback.job("redeploy").result == "success"
    good_deployments = [d for d in emulator.state()["deployments"] if d["environment"] == "production" and d["sha"] == good]
    assert len(good_deployments) == 2  # the seeded one, and the rollback's own, the newest of the environment
    good_deployment = [max(good_deployments, key=lambda d: d["id"])]
    states = [s["state"] for s in reversed(good_deployment[0]["statuses"])]
    assert states[-2:] == ["in_progress", "success"]
    assert good_deployment[0]["statuses"][0]["description"].startswith("Rolled back: ")
    [rollback_probes] = check_runs(emulator, "Probes (rollback of production)")
    assert rollback_probes["conclusion"] == "success"
    assert_token_never_printed([j for legs in deploy.jobs.values() for j in legs])


# ---- actions/setup: a verified release, or a cached build from source ---------------------------

@pytest.fixture(scope="module")
def release_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 (a CA and a certificate made with openssl) serving a fake
    release of this build: v<VERSION>/tollgate-<VERSION>-linux-x64.tar.gz and SHA256SUMS."""
    root = tmp_path_factory.mktemp("release")
    pki = root / "pki"
    pki.mkdir()

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=pki, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Tollgate test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (pki / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
            "server.pem", "-days", "2", "-extfile", "ext.cnf")

    site = root / "site"
    release = site / f"v{VERSION}"
    release.mkdir(parents=True)
    bundle = root / "bundle" / "tollgate"
    subprocess.run([ROOT / "actions/setup/bundle.sh", TOLLGATE, bundle], check=True)
    asset = release / f"tollgate-{VERSION}-linux-x64.tar.gz"
    with tarfile.open(asset, "w:gz") as tar:
        tar.add(bundle, arcname="tollgate")
    digest = hashlib.sha256(asset.read_bytes()).hexdigest()
    (release / "SHA256SUMS").write_text(f"{digest}  {asset.name}\n")
    bad = site / "tampered" / f"v{VERSION}"
    bad.mkdir(parents=True)
    shutil.copy(asset, bad / asset.name)
    (bad / "SHA256SUMS").write_text(f"{'0' * 64}  {asset.name}\n")

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server.pem", pki / "server.key")
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"url": f"https://127.0.0.1:{httpd.server_address[1]}", "ca": str(pki / "ca.pem"), "digest": digest}
    httpd.shutdown()
    httpd.server_close()


def install(release_server, dest, base=None, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNNER_", "CURL_CA_BUNDLE"))}
    full_env.update({"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "CURL_CA_BUNDLE": release_server["ca"],
                     "TOLLGATE_RELEASE_URL": base or release_server["url"]})
    full_env.update(env)
    return subprocess.run([ROOT / "actions/setup/install.sh", VERSION, dest], env=full_env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def test_install_sh_installs_a_release_whose_checksum_matches(release_server, tmp_path):
    proc = install(release_server, tmp_path / "tollgate")
    assert proc.returncode == 0, proc.stderr
    out = subprocess.run([tmp_path / "tollgate/bin/tollgate", "--version"], stdout=subprocess.PIPE, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == f"tollgate {VERSION}"
    assert release_server["digest"] in (tmp_path / "tollgate/.verified").read_text()


def test_install_sh_aborts_on_a_checksum_mismatch_and_installs_nothing(release_server, tmp_path):
    proc = install(release_server, tmp_path / "tollgate", base=release_server["url"] + "/tampered")
    assert proc.returncode == 1
    assert "checksum mismatch" in proc.stderr and "nothing was installed" in proc.stderr
    assert not (tmp_path / "tollgate").exists()
    # An expected digest given by the user is checked the same way.
    pinned = install(release_server, tmp_path / "pinned", TOLLGATE_SHA256="ab" * 32)
    assert pinned.returncode == 1 and "checksum mismatch" in pinned.stderr


def test_install_sh_says_when_there_is_no_release_and_refuses_what_is_not_https(release_server, tmp_path):
    no_asset = install(release_server, tmp_path / "t", RUNNER_ARCH="ARM64")
    assert no_asset.returncode == 10 and "no release asset" in no_asset.stderr
    plain = install(release_server, tmp_path / "t", base=release_server["url"].replace("https:", "http:"))
    assert plain.returncode == 1 and "HTTPS" in plain.stderr
    untrusted = install(release_server, tmp_path / "t", CURL_CA_BUNDLE="/dev/null")
    assert untrusted.returncode == 1  # a certificate that does not verify is never a reason to fall back
    assert not (tmp_path / "t").exists()


def setup_job(harness, with_):
    return harness.run_steps([
        {"id": "setup", "uses": "tollgate/tollgate/actions/setup@v1", "with": with_},
        {"id": "use", "shell": "bash", "run": "tollgate --version"},
    ])


def test_the_setup_action_puts_the_verified_release_on_PATH(release_server, workspace):
    harness = make_harness(workspace, None, "0" * 40, env={"CURL_CA_BUNDLE": release_server["ca"]})
    job = setup_job(harness, {"release-url": release_server["url"]})
    assert job.result == "success", job.log()
    assert job.step("setup").outputs["source"] == "release"
    assert job.step("use").stdout.strip() == f"tollgate {VERSION}"
    # A later job on the same runner finds it in the tool cache and downloads nothing.
    again = harness.run_steps([{"uses": "tollgate/tollgate/actions/setup@v1", "with": {"release-url": release_server["url"]}}])
    assert again.steps[0].outputs["source"] == "tool-cache"


def test_the_setup_action_aborts_the_job_on_a_checksum_mismatch(release_server, workspace):
    harness = make_harness(workspace, None, "0" * 40, env={"CURL_CA_BUNDLE": release_server["ca"]})
    job = setup_job(harness, {"release-url": release_server["url"] + "/tampered"})
    assert job.result == "failure"
    assert job.step("setup").outcome == "failure"
    assert job.step("use").outcome == "skipped"
    assert any("checksum mismatch" in a[2] for s in job.steps for inner in s.all_steps() for a in inner.annotations)


def action_snapshot(tmp_path):
    """A copy of what the setup action hashes for its cache key (the tree may change meanwhile)."""
    copy = tmp_path / "action-snapshot"
    for part in ("actions", "agent", "scripts"):
        shutil.copytree(ROOT / part, copy / part)
    shutil.copy(ROOT / "CMakeLists.txt", copy / "CMakeLists.txt")
    return copy


def test_the_setup_action_builds_from_source_once_and_then_restores_its_cache(release_server, workspace, tmp_path):
    harness = make_harness(workspace, None, "0" * 40, env={"CURL_CA_BUNDLE": release_server["ca"]})
    harness.aliases["tollgate/tollgate"] = action_snapshot(tmp_path)
    # No release for this architecture: auto falls back to the build (here: this build's directory).
    harness.extra_env["RUNNER_ARCH"] = "ARM64"
    first = setup_job(harness, {"release-url": release_server["url"], "build-dir": str(Path(TOLLGATE).parent)})
    assert first.result == "success", first.log()
    assert first.step("setup").outputs["source"] == "build"
    assert first.step("use").stdout.strip() == f"tollgate {VERSION}"
    assert [e[0] for e in harness.store["cache_log"]] == ["restore", "save"]
    key = harness.store["cache_log"][0][1]
    assert key.startswith("tollgate-Linux-X64-") and len(key) == len("tollgate-Linux-X64-") + 32

    # The next job restores the bundle: nothing is built (a build-dir that does not exist proves it).
    second = setup_job(harness, {"source": "build", "build-dir": "/nonexistent"})
    assert second.result == "success", second.log()
    assert second.step("setup").outputs["source"] == "cache"
    assert harness.store["cache_log"][-1] == ("restore", key, True)


# ---- broken copies of the actions fail the same checks -----------------------------------------

def check_tests_scenario(harness, emulator):
    """What the tests action promises: a failing report → a failing check run, outputs set."""
    job = harness.run_action("tollgate/tollgate/actions/tests@v1",
                             {"report": "results/*.xml", "matrix": '{"node": 22}'}, step_id="tests")
    outputs = job.step("tests").outputs
    assert outputs["passed"] == "false", outputs
    assert outputs["failed"] == "1"
    assert Path(outputs["json"]).is_file()
    [run] = check_runs(emulator, "Tests (22)")
    assert run["conclusion"] == "failure"
    return job


def broken_copy(tmp_path, mutate):
    copy = tmp_path / "action-copy"
    shutil.copytree(ROOT / "actions", copy / "actions")
    shutil.copy(ROOT / "CMakeLists.txt", copy / "CMakeLists.txt")
    path = copy / "actions/tests/action.yml"
    text = path.read_text()
    changed = mutate(text)
    assert changed != text, "the mutation changed nothing"
    path.write_text(changed)
    return copy


MUTATIONS = {
    "an input not passed through env": lambda t: re.sub(r"\n\s+TG_LIST_REPORT: .*", "", t),
    "a misspelt input": lambda t: t.replace("${{ inputs.report }}", "${{ inputs.reports }}"),
    "a misspelt output": lambda t: t.replace("steps.run.outputs.passed }}", "steps.run.outputs.pased }}"),
    "a run step without shell": lambda t: t.replace("      id: run\n      shell: bash\n", "      id: run\n"),
    "a wrong script path": lambda t: t.replace("../lib/run.sh", "../lib/runs.sh"),
}


@needs_commands("tests")
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_broken_copy_of_the_tests_action_fails_the_scenario(emulator, workspace, bin_dir, tmp_path, mutation):
    workspace.write("results/junit.xml", (DATA / "junit-node22.xml").read_text())
    sha = workspace.commit("results")
    check_tests_scenario(make_harness(workspace, emulator, sha, bin_dir), emulator)  # the real action passes
    emulator.reset()

    harness = make_harness(workspace, emulator, sha, bin_dir)
    harness.aliases["tollgate/tollgate"] = broken_copy(tmp_path, MUTATIONS[mutation])
    with pytest.raises((AssertionError, HarnessError, ExpressionError, KeyError)):
        check_tests_scenario(harness, emulator)


@needs_commands("tests", "coverage", "merge")
def test_a_broken_merge_action_fails_the_matrix_scenario(emulator, workspace, bin_dir, tmp_path):
    copy = tmp_path / "action-copy"
    shutil.copytree(ROOT / "actions", copy / "actions")
    shutil.copy(ROOT / "CMakeLists.txt", copy / "CMakeLists.txt")
    merge = copy / "actions/merge/action.yml"
    merge.write_text(merge.read_text().replace("TG_VALUE_CHECK_NAME:", "TG_VALUE_IGNORED_NAME:"))
    result = run_ci_template(workspace, emulator, bin_dir, actions_root=copy)
    assert result.job("merge").result == "failure"
    assert not check_runs(emulator, "CI (all legs)")  # so the scenario's first assertion on it fails


@needs_commands("tests")
def test_the_all_in_one_action_runs_the_command_it_is_given(emulator, workspace, bin_dir):
    workspace.write("results/junit.xml", (DATA / "junit-node20.xml").read_text())
    sha = workspace.commit("results")
    harness = make_harness(workspace, emulator, sha, bin_dir)
    job = harness.run_action("tollgate/tollgate@v1", {"command": "tests", "report": "results/*.xml", "min-tests": "3",
                                                      "args": "--check-name\nAll in one"}, step_id="all")
    assert job.result == "success", job.log()
    assert job.step("all").outputs["passed"] == "true" and job.step("all").outputs["tests"] == "3"
    [run] = check_runs(emulator, "All in one")
    assert run["conclusion"] == "success"
    # An option the command does not take is refused (exit status 2), not ignored.
    wrong = harness.run_action("tollgate/tollgate@v1", {"command": "tests", "report": "results/*.xml", "min-line": "80"},
                               step_id="all")
    assert wrong.result == "failure"
    assert "min-line" in wrong.log()
