"""Shared fixtures: the GitHub API emulator on a free loopback port, and the real tollgate binary
run the way the Actions runner runs it (environment variables, event file, output files)."""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOLLGATE = os.environ.get("TOLLGATE_BIN", str(ROOT / "build" / "tollgate"))
TOKEN = "ghs_tollgateTESTtoken0123456789abcdefXYZ"

sys.path.insert(0, str(ROOT / "tests"))
from support import runner_log  # noqa: E402


# Every run of the tollgate binary in these tests — through run_tollgate or a direct
# subprocess.run — has its stdout and stderr read the way the Actions runner reads them
# (tests/support/runner_log.py); a workflow command Tollgate did not issue itself fails the test.
# A test that expects more (none does today) overrides `runner_commands_allow` with a predicate.
@pytest.fixture
def runner_commands_allow():
    return None


def _is_tollgate(args):
    argv = [args] if isinstance(args, (str, os.PathLike)) else list(args or [])
    return bool(argv) and os.path.realpath(str(argv[0])) == os.path.realpath(TOLLGATE)


def check_runner_commands(proc, env=None, allow=None):
    """Fails when the runner would execute a command in this run's output that Tollgate did not
    issue (runner_log.foreign_commands). Returns proc."""
    env = os.environ if env is None else env
    masks = [v for k, v in env.items() if k in ("GITHUB_TOKEN", "INPUT_TOKEN") and v]
    foreign = runner_log.foreign_commands(proc.stdout or "", proc.stderr or "", mask_values=masks, allow=allow)
    assert not foreign, "workflow commands the runner would execute, not issued by Tollgate:\n" + \
        runner_log.describe(foreign)
    return proc


@pytest.fixture(autouse=True)
def _runner_reads_every_tollgate_run(monkeypatch, runner_commands_allow):
    real_run = subprocess.run

    def run(*args, **kwargs):
        proc = real_run(*args, **kwargs)
        argv = args[0] if args else kwargs.get("args")
        if _is_tollgate(argv) and isinstance(proc, subprocess.CompletedProcess):
            check_runner_commands(proc, kwargs.get("env"), runner_commands_allow)
        return proc

    monkeypatch.setattr(subprocess, "run", run)


class Emulator:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return json.loads(text) if text else None

    def reset(self):
        self.call("POST", "/_emulator/reset", {})

    def state(self, repo="octo/app"):
        return self.call("GET", "/_emulator/state")["repos"].get(repo, {})

    def requests(self):
        return self.call("GET", "/_emulator/requests")["requests"]

    def validation_errors(self):
        return self.call("GET", "/_emulator/validation-errors")["validation_errors"]

    def faults(self, **cfg):
        self.call("POST", "/_emulator/faults", cfg)

    def fault_once(self, **cfg):
        self.call("POST", "/_emulator/faults/once", cfg)

    def token(self, token, mode):
        self.call("POST", "/_emulator/tokens", {"token": token, "mode": mode})

    def settings(self, **cfg):
        self.call("POST", "/_emulator/settings", cfg)


@pytest.fixture(scope="session")
def emulator_process():
    port_file = Path(tempfile.mkdtemp()) / "port"
    proc = subprocess.Popen(["node", str(ROOT / "tests/emulator/server.js"), "--port", "0", "--port-file", str(port_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline and not (port_file.exists() and port_file.read_text().strip()):
        if proc.poll() is not None:
            raise RuntimeError("emulator exited: " + proc.stdout.read().decode())
        time.sleep(0.05)
    port = int(port_file.read_text().strip())
    yield Emulator(f"http://127.0.0.1:{port}")
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def emulator(emulator_process):
    emulator_process.reset()
    yield emulator_process
    errors = emulator_process.validation_errors()
    assert errors == [], f"requests the official API description rejects: {errors}"


def git(cwd, *args):
    """Runs git; returns HEAD afterwards (empty before the first commit)."""
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout.strip()


class Workspace:
    """A git checkout standing in for $GITHUB_WORKSPACE, plus the runner's files."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.runner_dir = Path(tempfile.mkdtemp(prefix="runner-"))
        self.summary = self.runner_dir / "summary.md"
        self.output = self.runner_dir / "output.txt"
        self.event = self.runner_dir / "event.json"
        self.event.write_text("{}")
        git(self.path, "init", "-q", "-b", "main")

    def write(self, rel, text):
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return p

    def commit(self, message="commit"):
        git(self.path, "add", "-A")
        return git(self.path, "commit", "-q", "-m", message)

    def outputs(self):
        """Parses $GITHUB_OUTPUT as the runner does (name<<DELIM ... DELIM)."""
        out, lines, i = {}, self.output.read_text().split("\n") if self.output.exists() else [], 0
        while i < len(lines):
            line = lines[i]
            if "<<" in line:
                name, delim = line.split("<<", 1)
                j = lines.index(delim, i + 1)
                out[name] = "\n".join(lines[i + 1:j])
                i = j + 1
            elif "=" in line:
                k, v = line.split("=", 1)
                out[k] = v
                i += 1
            else:
                i += 1
        return out


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path / "repo")


def run_tollgate(args, workspace=None, emulator=None, token=TOKEN, sha=None, event=None, event_name="push",
                 extra_env=None, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update({"TOLLGATE_RETRY_BASE_MS": "20", "TOLLGATE_RETRY_BUDGET_S": "60"})
    if workspace is not None:
        if event is not None:
            workspace.event.write_text(json.dumps(event))
        env.update({
            "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": "octo/app",
            "GITHUB_SHA": sha or subprocess.run(["git", "rev-parse", "HEAD"], cwd=workspace.path, stdout=subprocess.PIPE,
                                                text=True).stdout.strip(),
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(workspace.event),
            "GITHUB_RUN_ID": "1001",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_JOB": "test",
            "GITHUB_WORKSPACE": str(workspace.path),
            "GITHUB_STEP_SUMMARY": str(workspace.summary),
            "GITHUB_OUTPUT": str(workspace.output),
            "GITHUB_SERVER_URL": "https://github.example",
            "RUNNER_NAME": "runner-1",
        })
        if emulator is not None:
            env["GITHUB_API_URL"] = emulator.url
        if token:
            env["GITHUB_TOKEN"] = token
    env.update(extra_env or {})
    proc = subprocess.run([TOLLGATE, *args], cwd=str(workspace.path) if workspace else None, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    return proc
