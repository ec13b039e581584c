"""Docs that match behaviour (issue 15.5): every example in README.md and docs/*.md runs as written.

- Every `tollgate …` command line of a shell block (and of a workflow step's `run:`) runs with
  `--dry-run` in a sandbox made from samples/python-app and the real tools' outputs; a file it names
  is one of the sandbox's (FILES says which) — never exit 2 (bad usage, unknown option, missing file).
  A line that is a synopsis, not a command, is listed in NOT_RUN with the reason.
- Every workflow YAML block is read by GitHub's own workflow parser (tests/harness/gh.mjs), wrapped
  into a workflow where it is a fragment; each Tollgate step's `with:` names inputs its action has,
  with values the command accepts, and runs as the action would run it (actions/lib/run.sh's
  argument mapping) with `--dry-run`. Tollgate config blocks pass the config schema.
- `--summary FILE` and `--dry-run` write what the docs say: the summary file is the job summary's
  Markdown; a dry run posts nothing and still writes the local files.
- The all-in-one action's input descriptions name each command's choices (from `tollgate <cmd> --help`).
- The permissions each command needs are stated once: the table in docs/actions.md; the templates'
  jobs grant what that table says their steps need, and no more.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, TOKEN, TOLLGATE, git

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "actions/lib"))
from harness import load  # noqa: E402
from harness.gh import YamlError, parse_workflow  # noqa: E402
import generate  # noqa: E402  actions/lib/generate.py: the --help parser the actions are made with

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_LANGS = {"", "sh", "console", "bash", "shell"}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)

# Lines that are not commands to run, each with the reason (a stale entry fails the test).
NOT_RUN = {
    "docs/lighthouse.md: tollgate lighthouse [--report": "a synopsis: optional parts in brackets, '…' for more",
    "docs/metrics.md: tollgate metrics --environment production [": "a synopsis: optional parts in brackets",
    "docs/release.md: tollgate release --environment production": "waits up to 10 minutes for a real commit's "
    "required checks; tests/integration/test_release.py runs it in the deploy template",
}
# Workflow steps not run here, each with the reason (a stale entry fails the test).
STEPS_NOT_RUN = {
    "docs/release.md": "the release guard needs production's deployments, a compare and the required checks of "
    "the commit: tests/integration/test_release.py runs this very workflow through the actions harness",
}
# What a file an example names is in the sandbox (made by the `sandbox` fixture).
FILES = {
    "coverage.xml": "coverage.py's Cobertura XML of the sample's tests (python3 -m coverage xml)",
    "coverage/lcov.info": "coverage.py's LCOV of the same run",
    "results/junit.xml": "pytest's JUnit XML of the sample's tests",
    "results/**/*.json": "a tests --json result (results/leg-1/tests.json)",
    ".lighthouseci/lhr-*.json": "three LHRs of Lighthouse 12 (tests/data/lighthouse/lh12)",
    "lighthouserc.json": "tests/data/lighthouse/configs/categories.json",
    "baseline/coverage-result.json": "a coverage --json result of the base commit",
    ".github/tollgate.yml": "a config whose one probe is a healthy site on 127.0.0.1",
    "origin/main": "refs/remotes/origin/main: the base commit",
    "results/**/*.sarif": "a real clang analyzer SARIF log (tests/data/sarif/clang-analyze.sarif)",
    "base.sarif": "the same log, as the base's",
    "baseline/scan.json": "a scan --json result of that log",
}
# Values of `${{ }}` expressions in workflow examples, as a run would give them.
EXPRESSIONS = {
    "toJSON(matrix)": '{"os": "ubuntu-latest", "node": 20}',
    "steps.tests.outputs.json": "results/leg-1/tests.json",
    "github.token": "",
}


def blocks():
    for path in DOCS:
        text = path.read_text()
        for m in FENCE.finditer(text):
            yield path.relative_to(ROOT).as_posix(), text[:m.start()].count("\n") + 1, m.group(1), m.group(2)


def command_lines(body):
    """`tollgate …` lines of a shell text ($ prompts dropped, backslash continuations joined)."""
    lines, pending = [], ""
    for raw in body.splitlines():
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        line = line[2:] if line.startswith("$ ") else line
        if line.startswith("tollgate "):
            lines.append(line)
    return lines


def steps_of(doc):
    """The steps of a workflow example: a step list, a workflow, or jobs."""
    if isinstance(doc, list):
        return [s for s in doc if isinstance(s, dict)]
    if isinstance(doc, dict):
        jobs = doc.get("jobs", doc if all(isinstance(v, dict) and ("steps" in v or "runs-on" in v) for v in doc.values())
                       else {})
        return [s for job in jobs.values() if isinstance(job, dict) for s in job.get("steps", [])]
    return []


def yaml_docs():
    out = []
    for rel, line, lang, body in blocks():
        if lang != "yaml":
            continue
        out.append((f"{rel}:{line}", textwrap_dedent(body)))
    return out


def textwrap_dedent(body):
    """Fragments indented as in their workflow (a job's steps at six spaces) read at column 0."""
    return textwrap.dedent(body)


def shell_examples():
    cases = []
    for rel, line, lang, body in blocks():
        if lang in SHELL_LANGS:
            for cmd in command_lines(body):
                cases.append((f"{rel}:{line}", cmd))
    for where, text in yaml_docs():
        doc = load(text, where)
        for step in steps_of(doc):
            for cmd in command_lines(str(step.get("run", ""))):
                cases.append((f"{where}:run", cmd))
    return cases


def is_config(doc):
    return isinstance(doc, dict) and set(doc) & {"coverage", "analysis", "probes", "lighthouse"} and "jobs" not in doc \
        and "on" not in doc


def tollgate_steps():
    cases = []
    for where, text in yaml_docs():
        doc = load(text, where)
        for i, step in enumerate(steps_of(doc)):
            uses = str(step.get("uses", ""))
            if uses.startswith(("tollgate/tollgate", "./actions/")) and not uses.split("@")[0].endswith("/setup"):
                cases.append((f"{where}:step{i}", step))
    return cases


SHELL = shell_examples()
STEPS = tollgate_steps()


# ---- the sandbox: the sample project, its reports from the real tools, a base and a head ----------

@pytest.fixture(scope="module")
def site():
    from test_actions_harness import Site
    s = Site(True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory, site):
    root = tmp_path_factory.mktemp("docs-sandbox") / "app"
    shutil.copytree(ROOT / "samples/python-app", root, ignore=shutil.ignore_patterns("reports", "__pycache__"))
    (root / ".gitignore").write_text("results/\ncoverage/\n.coverage\ncoverage.xml\n__pycache__/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, stdout=subprocess.PIPE, text=True).stdout.strip()
    cart = root / "shop/cart.py"
    cart.write_text(cart.read_text() + "\n\ndef untested_shipping(total):\n    if total > 50:\n        return 0\n    return 5\n")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "head")
    git(root, "update-ref", "refs/remotes/origin/main", base)
    run = lambda *a: subprocess.run(a, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: E731
    run("/usr/bin/python3", "-m", "coverage", "run", "--branch", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "--junitxml=results/junit.xml", "tests")
    assert run("/usr/bin/python3", "-m", "coverage", "xml", "-o", "coverage.xml").returncode == 0
    assert run("/usr/bin/python3", "-m", "coverage", "lcov", "-o", "coverage/lcov.info").returncode == 0
    assert (root / "results/junit.xml").exists()
    for i, lhr in enumerate(sorted((ROOT / "tests/data/lighthouse/lh12").glob("fast-*.json"))[:3], 1):
        (root / ".lighthouseci").mkdir(exist_ok=True)
        shutil.copy(lhr, root / f".lighthouseci/lhr-{i}.json")
    shutil.copy(ROOT / "tests/data/lighthouse/configs/categories.json", root / "lighthouserc.json")
    (root / ".github").mkdir()
    (root / ".github/tollgate.yml").write_text(f"analysis:\n  count: 1\nprobes:\n  - name: app\n    url: {site.url}/healthz\n")
    shutil.copy(ROOT / "tests/data/sarif/clang-analyze.sarif", root / "results/head.sarif")
    shutil.copy(ROOT / "tests/data/sarif/clang-analyze.sarif", root / "base.sarif")
    for args in (["scan", "--report", "results/head.sarif", "--json", "baseline/scan.json"],
                 ["tests", "--report", "results/junit.xml", "--json", "results/leg-1/tests.json"],
                 ["coverage", "--report", "coverage.xml", "--json", "baseline/coverage-result.json"],
                 ["lighthouse", "--config", "lighthouserc.json", "--json", "base/lighthouse.json"]):
        (root / Path(args[-1]).parent).mkdir(parents=True, exist_ok=True)
        proc = tollgate(root, args)
        assert proc.returncode in (0, 1), proc.stderr
    return root


def tollgate(cwd, args, extra_env=None):
    """Outside Actions: a developer's terminal (no GITHUB_* variables, no token)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env.update(extra_env or {})
    return subprocess.run([TOLLGATE, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=120)


def assert_ran(proc, where, cmd):
    assert proc.returncode in (0, 1), f"{where}: `{cmd}` exited {proc.returncode}:\n{proc.stderr}"
    assert "tollgate: error:" not in proc.stderr, f"{where}: `{cmd}`:\n{proc.stderr}"


# ---- 1. command lines ----------------------------------------------------------------------------

@pytest.mark.parametrize("where,cmd", SHELL, ids=[f"{w}:{c[:40]}" for w, c in SHELL])
def test_each_command_line_of_the_docs_runs_as_written(where, cmd, sandbox):
    key = next((k for k in NOT_RUN if where.startswith(k.split(": ")[0]) and cmd.startswith(k.split(": ", 1)[1])), None)
    if key:
        pytest.skip(f"not a command: {NOT_RUN[key]}")
    args = shlex.split(cmd)[1:]
    assert not any(a.startswith("[") for a in args), f"{where}: a synopsis: list it in NOT_RUN with the reason"
    for arg in args:
        if "/" in arg or "." in arg:
            name = arg.split("=", 1)[-1]
            assert not name.startswith(("/", "..")), f"{where}: {cmd} names a file outside the project"
    proc = tollgate(sandbox, args + ([] if "--dry-run" in args else ["--dry-run"]))
    assert_ran(proc, where, cmd)
    assert "dry run: nothing is posted" in proc.stdout or args[0] in ("deployment", "rollback", "probe")


def test_every_synopsis_marked_not_run_is_still_in_the_docs():
    for key in NOT_RUN:
        where, start = key.split(": ", 1)
        assert any(w.startswith(where) and c.startswith(start) for w, c in SHELL), f"stale NOT_RUN entry {key}"
    for doc in STEPS_NOT_RUN:
        assert any(w.startswith(doc + ":") for w, _ in STEPS), f"stale STEPS_NOT_RUN entry {doc}"


# ---- 2. workflow YAML ----------------------------------------------------------------------------

def as_workflow(doc):
    """A fragment as the workflow it belongs in: steps into a job, jobs into a workflow, a job
    another job needs as a stub."""
    if isinstance(doc, list):
        doc = {"jobs": {"job": {"runs-on": "ubuntu-latest", "steps": doc}}}
    elif "jobs" not in doc and "on" not in doc:
        doc = {"jobs": doc}
    doc = dict(doc)
    doc.setdefault("on", "push")
    jobs = dict(doc.get("jobs") or {"job": {"runs-on": "ubuntu-latest", "steps": [{"run": "true"}]}})
    for job in list(jobs.values()):
        for need in ([job.get("needs")] if isinstance(job.get("needs"), str) else job.get("needs") or []):
            jobs.setdefault(need, {"runs-on": "ubuntu-latest", "steps": [{"run": "true"}]})
    doc["jobs"] = jobs
    return doc


@pytest.mark.parametrize("where,text", yaml_docs(), ids=[w for w, _ in yaml_docs()])
def test_each_yaml_block_is_a_workflow_github_accepts_or_a_valid_config(where, text, tmp_path, sandbox):
    doc = load(text, where)
    if is_config(doc):
        path = tmp_path / "tollgate.yml"
        path.write_text(text)
        proc = tollgate(sandbox, ["coverage", "--report", "coverage.xml", "--config", str(path), "--dry-run"])
        assert proc.returncode in (0, 1), f"{where}: the config is refused:\n{proc.stderr}"
        return
    if not steps_of(doc) and not (isinstance(doc, dict) and "on" in doc):
        pytest.skip(f"{where}: neither workflow nor config: {str(doc)[:60]}")
    path = tmp_path / "example.yml"
    path.write_text(json.dumps(as_workflow(doc), indent=1))  # JSON is YAML
    try:
        parse_workflow(path)
    except YamlError as e:
        pytest.fail(f"{where}: GitHub's workflow parser refuses it: {e}")


def action_of(uses):
    name = uses.split("@")[0].removeprefix("./").removeprefix("tollgate/tollgate").strip("/")
    return ROOT / (name or ".") / "action.yml" if name != "" else ROOT / "action.yml"


def substitute(value, where):
    text = str(value).lower() if isinstance(value, bool) else str(value)

    def one(m):
        expr = m.group(1).strip()
        assert expr in EXPRESSIONS, f"{where}: no sample value for ${{{{ {expr} }}}}: add it to EXPRESSIONS"
        return EXPRESSIONS[expr]
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def argv_for(action, with_, where):
    """The arguments actions/lib/run.sh builds from the inputs (TG_VALUE/LIST/FLAG_<NAME>)."""
    spec = load((action).read_text(), str(action))
    inputs = spec["inputs"]
    text = action.read_text()
    command = None
    args = []
    for name, value in with_.items():
        assert name in inputs, f"{where}: {action.relative_to(ROOT)} has no input {name!r}"
        value = substitute(value, where)
        if name == "command":
            command = value
            continue
        if name in ("token", "json", "args") or value == "":
            continue
        env = re.search(rf"\n\s+(TG_(VALUE|LIST|FLAG)_[A-Z0-9_]+|TOLLGATE_ACTION): \$\{{\{{ inputs\.{re.escape(name)} \}}\}}", text)
        assert env, f"{where}: input {name} is not passed to tollgate"
        var, kind = env.group(1), env.group(2)
        if var == "TOLLGATE_ACTION":
            args.insert(0, value)
        elif kind == "FLAG":
            assert value in ("true", "false"), f"{where}: {name} must be true or false, not {value!r}"
            args += [f"--{name}"] if value == "true" else []
        elif kind == "LIST":
            args += [f"--{name}={line.strip()}" for line in value.splitlines() if line.strip()]
        else:
            args.append(f"--{name}={value}")
    if command is None:
        command = action.parent.name
    return [command, *args]


@pytest.mark.parametrize("where,step", STEPS, ids=[w for w, _ in STEPS])
def test_each_tollgate_step_of_the_docs_runs_as_the_action_would_run_it(where, step, sandbox, site, emulator, tmp_path):
    reason = next((r for doc, r in STEPS_NOT_RUN.items() if where.startswith(doc + ":")), None)
    if reason:
        pytest.skip(reason)
    action = action_of(step["uses"])
    assert action.exists(), f"{where}: {step['uses']} is no action of this repository"
    argv = argv_for(action, dict(step.get("with") or {}), where)
    # The user's site is a local one; `rollback plan` finds an earlier good deployment.
    argv = [a.replace("https://example.com", site.url) for a in argv]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=sandbox, stdout=subprocess.PIPE, text=True).stdout.strip()
    emulator.call("POST", "/_emulator/deployments", {"repo": "octo/app", "environment": "production", "sha": "b" * 40,
                                                      "ref": "main", "statuses": [{"state": "success"}]})
    # In a job, as the action runs it: the runner's variables, a token, the API (the emulator).
    event = tmp_path / "event.json"
    event.write_text("{}")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/app", "GITHUB_API_URL": emulator.url,
           "GITHUB_TOKEN": TOKEN, "GITHUB_SHA": head, "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_WORKSPACE": str(sandbox), "GITHUB_RUN_ID": "1001", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "job",
           "GITHUB_SERVER_URL": "https://github.example", "RUNNER_NAME": "runner-1",
           "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary")}
    proc = tollgate(sandbox, argv + ["--dry-run"], env)
    assert_ran(proc, where, " ".join(argv))
    assert not [r for r in emulator.requests() if r["method"] in ("POST", "PATCH", "DELETE")
                and r["path"].startswith("/repos/")], f"{where}: a dry run posted"


# ---- 3. --summary FILE and --dry-run write what the docs say ---------------------------------------

def test_summary_file_is_the_job_summary_and_a_dry_run_writes_the_local_files_only(sandbox, tmp_path):
    summary, outputs, job_summary = tmp_path / "summary.md", tmp_path / "output", tmp_path / "step-summary"
    for f in (outputs, job_summary):
        f.write_text("")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/app", "GITHUB_API_URL": "http://127.0.0.1:9",
           "GITHUB_TOKEN": "ghs_unused", "GITHUB_SHA": "a" * 40, "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(job_summary), "GITHUB_WORKSPACE": str(sandbox), "GITHUB_EVENT_NAME": "push"}
    proc = tollgate(sandbox, ["tests", "--report", "results/junit.xml", "--summary", str(summary), "--dry-run",
                              "--json", str(tmp_path / "r.json")], env)
    assert proc.returncode in (0, 1), proc.stderr
    # Posted nothing: the API (nothing listens on port 9) was never asked, or the run would have failed (exit 3).
    assert "dry run: nothing is posted" in proc.stdout
    text = summary.read_text()
    assert text.startswith("### ") and "tests" in text.lower()
    assert job_summary.read_text().rstrip().endswith(text.rstrip()), "the job summary holds the same Markdown"
    assert "Dry run" in job_summary.read_text()
    assert re.search(r"^passed=(true|false)$", outputs.read_text(), re.M) or "passed<<" in outputs.read_text()
    assert json.loads((tmp_path / "r.json").read_text())["command"] == "tests"


# ---- 4. the all-in-one action names each command's choices -------------------------------------

def test_every_action_input_describes_the_choices_its_commands_take():
    options = {c: generate.read_options(TOLLGATE, c) for c in generate.COMMANDS}
    root = load((ROOT / "action.yml").read_text(), "action.yml")["inputs"]
    for command, opts in options.items():
        focused = load((ROOT / f"actions/{command}/action.yml").read_text(), command)["inputs"]
        for name, opt in opts.items():
            if name == "json":
                continue
            assert name in focused and name in root, f"{command} --{name} has no input"
            for inputs, where in ((focused, f"actions/{command}"), (root, "action.yml")):
                description = inputs[name]["description"]
                for choice in opt["choices"]:
                    assert re.search(rf"(^|[\s(|:;,]){re.escape(choice)}([\s):;,.|]|$)", description), \
                        f"{where}: input {name} does not name {command}'s choice {choice!r}: {description}"
            meaning = generate.describe(dict(opt, kind="value")).rstrip(".")  # the generator's wording
            assert meaning in focused[name]["description"]
            assert meaning in root[name]["description"], \
                f"action.yml: input {name} does not say what it means for {command}"


# ---- 5. permissions: stated once, and the templates grant what the table says --------------------

def permissions_table():
    text = (ROOT / "docs/actions.md").read_text()
    section = text[text.index("## Permissions each command needs"):]
    section = section[:section.index("\n## ", 4)]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for command in re.findall(r"`([a-z]+)`", cells[0]):
                rows[command] = (cells[1], cells[2])
    return rows


def test_the_permissions_are_stated_once():
    rows = permissions_table()
    assert set(rows) == set(generate.COMMANDS) | {"setup"}
    for path in DOCS:
        if path.name == "actions.md":
            continue
        assert "## Permissions" not in path.read_text(), f"{path.name} states the permissions again"
    for action in [ROOT / "action.yml", *ROOT.glob("actions/*/action.yml")]:
        token = load(action.read_text(), str(action)).get("inputs", {}).get("token")
        if token:
            assert "Permissions each command needs" in token["description"]
            assert "write" not in token["description"], f"{action}: the token input lists permissions again"


def needed(step_command, with_, rows):
    """The permissions the table asks for one Tollgate step of a template."""
    always, conditional = rows[step_command]
    text = always + " " + " ".join(part for part in conditional.split(";")
                                   if condition_holds(part, with_))
    if with_.get("check-run") == "none":
        text = text.replace("`checks: write`", "")
    return set(re.findall(r"`([a-z-]+: (?:read|write))`", text))


def condition_holds(part, with_):
    m = re.match(r"\s*`([a-z-]+)(?:: ([a-z]+))?`", part)
    if not m:
        return False
    name, value = m.group(1), m.group(2)
    if name == "comment":
        return str(with_.get("comment", "off")) not in ("off", "false", "")
    if name == "merge":
        return "expected-legs" not in with_
    given = with_.get(name)
    return given is not None and (value is None or str(given) == value)


@pytest.mark.parametrize("template", sorted((ROOT / "workflows-templates").glob("*.yml")), ids=lambda p: p.name)
def test_each_template_job_grants_what_the_table_says_its_steps_need(template):
    rows = permissions_table()
    wf = load(template.read_text(), template.name)
    for job_id, job in wf["jobs"].items():
        granted = {f"{k}: {v}" for k, v in (job.get("permissions") or {}).items()}
        for step in job.get("steps", []):
            uses = str(step.get("uses", ""))
            if not uses.startswith("tollgate/tollgate/actions/") or uses.split("@")[0].endswith("/setup"):
                continue
            command = uses.split("@")[0].rsplit("/", 1)[1]
            with_ = {k: v for k, v in (step.get("with") or {}).items()}
            if command in ("deployment", "rollback"):
                continue  # their rows depend on the action (start/finish, plan/dispatch)
            for permission in needed(command, with_, rows):
                satisfied = permission in granted or permission.replace(": read", ": write") in granted
                assert satisfied, f"{template.name}: job {job_id} runs {command} but lacks {permission}"
        if "statuses: write" in granted:
            assert any(str((s.get("with") or {}).get("commit-status")) == "always" for s in job.get("steps", [])), \
                f"{template.name}: job {job_id} grants statuses: write that no step uses"
