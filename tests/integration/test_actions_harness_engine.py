"""The harness itself (tests/harness): its YAML reader, its expression evaluator and its runner
behave as GitHub's do where Tollgate's actions and templates depend on it, and refuse what they
do not understand. No emulator needed."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TOKEN, git

sys.path.insert(0, str(ROOT / "tests"))
from harness import ExpressionError, Harness, HarnessError, InvalidWorkflow, NotTriggered, StubFailure, load_file  # noqa: E402
from harness import expressions as ex  # noqa: E402
from harness import default_stubs, gh  # noqa: E402
from harness import deployments  # noqa: E402
from harness import repo as repo_events  # noqa: E402
from harness import triggers  # noqa: E402

YAML_FILES = sorted([ROOT / "action.yml", *ROOT.glob("actions/*/action.yml"), *ROOT.glob("workflows-templates/**/*.yml"),
                     *ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("tests/actions/*.yml")])


# ---- files: GitHub's own parser ----------------------------------------------------------------

def pyyaml_view(value):
    """PyYAML reads YAML 1.1: `on` becomes True. The same document as GitHub (and we) read it."""
    if isinstance(value, dict):
        return {("on" if k is True else str(k)): pyyaml_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [pyyaml_view(v) for v in value]
    return value


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_of_the_repository_reads_as_pyyaml_reads_it_and_passes_githubs_parser(path):
    yaml = pytest.importorskip("yaml")
    assert load_file(path) == pyyaml_view(yaml.safe_load(path.read_text()))
    if path.name in ("action.yml", "action.yaml"):
        gh.parse_action(path)
    elif "workflow" in str(path.relative_to(ROOT)):
        gh.parse_workflow(path)


@pytest.mark.parametrize("text, message", [
    ("on: push\njobs:\n  a:\n    runs-on: x\n    step:\n      - run: echo\n", "Unexpected value 'step'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secret.X }}\n",
     "Unrecognized named-value: 'secret'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    if: ${{ steps.x.outputs.y }}\n    steps:\n      - run: echo\n",
     "Unrecognized named-value: 'steps'"),  # no steps context at job level
    ("on: push\njobs:\n  a:\n    runs-on: x\n    needs: b\n    steps:\n      - run: echo\n", "b"),
    ("on: psuh\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n", "psuh"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n  a:\n    runs-on: x\n    steps:\n"
     "      - run: echo\n", "'a' is already defined"),
])
def test_a_workflow_githubs_parser_refuses_fails_before_any_job_runs(tmp_path, text, message):
    wf = tmp_path / "wf.yml"
    wf.write_text(text)
    harness = Harness(tmp_path, runner_root=tmp_path / "runner")
    with pytest.raises(InvalidWorkflow, match=re.escape(message)) as refused:
        harness.run_workflow(wf, event_name="push")
    assert "wf.yml (Line: " in str(refused.value)
    assert not list((tmp_path / "runner").glob("temp-*")), "a job started"


def test_block_scalars_with_expressions_are_read_from_their_value_as_the_runner_reads_them(tmp_path):
    """The library reads a multi-line block scalar from its source text (for editors); the runner
    from its value: no indentation, chomping applied. A heredoc in run: proves which."""
    wf = tmp_path / "wf.yml"
    wf.write_text("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - id: s\n        run: |-\n"
                  "          cat <<EOF\n          ${{ github.event_name }}\n          EOF\n")
    result = Harness(tmp_path, runner_root=tmp_path / "runner").run_workflow(wf, event_name="push")
    assert result.job("a").step("s").stdout == "push\n"


# ---- expressions ---------------------------------------------------------------------------------

CONTEXTS = {
    "inputs": ex.Strict("inputs", {"name": "Tollgate", "count": "3", "empty": ""}),
    "github": ex.Strict("github", {"event_name": "pull_request", "event": {"pull_request": {"number": 7}}}),
    "steps": ex.Strict("steps", {"a": ex.Strict("steps.a", {"outputs": {"x": "1"}, "outcome": "success"})}),
    "matrix": ex.Strict("matrix", {"node": 20, "os": "ubuntu-latest"}),
    "env": {"SET": "yes"},
}


@pytest.mark.parametrize("expression, value", [
    ("inputs.name == 'TOLLGATE'", True),            # strings compare ignoring case
    ("inputs.count > 2", True),                      # '3' compared as a number
    ("inputs.empty == 0", True),                     # '' is 0
    ("null == 0 && !''", True),
    ("inputs.empty || 'default'", "default"),        # || returns an operand
    ("inputs.name && 'x'", "x"),
    ("github.event.pull_request.number", 7),
    ("github.event.issue.number", None),             # payloads vary: missing is null
    ("steps.a.outputs.x", "1"),
    ("steps.a.outputs.missing", None),
    ("env.UNSET", None),
    ("matrix['node']", 20),
    ("format('{0}-{{1}}-{1}', matrix.os, matrix.node)", "ubuntu-latest-{1}-20"),
    ("contains(fromJSON('[\"a\",\"b\"]'), 'B')", True),
    ("startsWith(github.event_name, 'pull')", True),
    ("join(fromJSON('[1,2]'), '+')", "1+2"),
    ("fromJSON('{\"a\":{\"b\":1}}').a.b", 1.0),
    ("1.5 < 2 && 0x10 == 16", True),
])
def test_expressions_evaluate_as_github_evaluates_them(expression, value):
    assert ex.evaluate(expression, CONTEXTS) == value


def test_tojson_prints_as_github_prints():
    assert ex.evaluate("toJSON(matrix)", CONTEXTS) == '{\n  "node": 20,\n  "os": "ubuntu-latest"\n}'


@pytest.mark.parametrize("expression", ["inputs.nmae", "steps.b.outputs.x", "matrix.nodes", "secrets.X", "nope()",
                                        "inputs.name ==", "success()", "toJSON()", "'unterminated"])
def test_unknown_names_and_bad_syntax_are_errors(expression):
    with pytest.raises(ExpressionError):
        ex.evaluate(expression, CONTEXTS)


def test_interpolation_keeps_the_type_of_a_lone_expression():
    assert ex.interpolate("${{ matrix.node }}", CONTEXTS) == 20
    assert ex.interpolate("node-${{ matrix.node }}!", CONTEXTS) == "node-20!"
    assert ex.interpolate("${{ '}}' }}", CONTEXTS) == "}}"
    assert ex.interpolate("${{ github.event }}x", CONTEXTS) == "Objectx"  # format() makes an object 'Object'
    with pytest.raises(ExpressionError):
        ex.interpolate("${{ inputs.name", CONTEXTS)


def test_conditions_without_a_status_function_mean_success_and():
    ok = {"success": lambda: True, "failure": lambda: False, "always": lambda: True, "cancelled": lambda: False}
    failed = {"success": lambda: False, "failure": lambda: True, "always": lambda: True, "cancelled": lambda: False}
    assert ex.condition("inputs.name == 'tollgate'", CONTEXTS, ok)
    assert not ex.condition("inputs.name == 'tollgate'", CONTEXTS, failed)
    assert ex.condition("${{ always() }}", CONTEXTS, failed)
    assert ex.condition("failure() && steps.a.outcome == 'success'", CONTEXTS, failed)
    assert ex.condition("${{ !cancelled() }}", CONTEXTS, failed)
    assert not ex.condition(None, CONTEXTS, failed)


# ---- the runner ----------------------------------------------------------------------------------

@pytest.fixture
def harness(tmp_path):
    (tmp_path / "ws").mkdir()
    return Harness(tmp_path / "ws", runner_root=tmp_path / "runner")


def write_action(root, rel, text):
    path = Path(root) / rel / "action.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_file_commands_are_processed_between_steps(harness):
    job = harness.run_steps([
        {"id": "a", "shell": "bash", "run": 'echo "x=1" >>"$GITHUB_OUTPUT"\n'
                                           'printf "multi<<EOF\\nline 1\\nline 2\\nEOF\\n" >>"$GITHUB_OUTPUT"\n'
                                           'echo "FROM_A=hello" >>"$GITHUB_ENV"\n'
                                           'mkdir -p "$RUNNER_TEMP/b" && printf "#!/bin/sh\\necho tool\\n" >"$RUNNER_TEMP/b/tool"\n'
                                           'chmod +x "$RUNNER_TEMP/b/tool" && echo "$RUNNER_TEMP/b" >>"$GITHUB_PATH"\n'
                                           'echo "## summary of a" >>"$GITHUB_STEP_SUMMARY"'},
        {"id": "b", "shell": "bash", "env": {"X": "${{ steps.a.outputs.x }}", "M": "${{ steps.a.outputs.multi }}",
                                             "E": "${{ env.FROM_A }}"},
         "run": 'echo "$X|$M|$E|$FROM_A|$(tool)"'},
    ])
    assert job.result == "success"
    assert job.step("a").outputs == {"x": "1", "multi": "line 1\nline 2"}
    assert job.step("b").stdout == "1|line 1\nline 2|hello|hello|tool\n"
    assert job.summary == "## summary of a\n"


def test_a_failing_step_skips_the_rest_unless_its_condition_says_otherwise(harness):
    job = harness.run_steps([
        {"id": "fails", "shell": "bash", "run": "false"},
        {"id": "skipped", "shell": "bash", "run": "echo no"},
        {"id": "on-failure", "if": "failure()", "shell": "bash", "run": "echo yes"},
        {"id": "always", "if": "${{ always() && steps.fails.outcome == 'failure' }}", "shell": "bash", "run": "true"},
    ])
    assert job.result == "failure"
    assert [job.step(s).outcome for s in ("fails", "skipped", "on-failure", "always")] == \
        ["failure", "skipped", "success", "success"]


def test_continue_on_error_keeps_the_job_green_and_bash_means_pipefail(harness):
    job = harness.run_steps([
        {"id": "pipe", "shell": "bash", "run": "false | true", "continue-on-error": True},
        {"id": "default-shell", "run": "false | true"},
    ])
    assert job.step("pipe").outcome == "failure" and job.step("pipe").conclusion == "success"
    assert job.step("default-shell").outcome == "success"  # bash -e without pipefail
    assert job.result == "success"


def test_composite_actions_nest_and_resolve_local_paths_against_the_workspace(harness):
    ws = harness.workspace
    write_action(ws, "actions/inner", "name: i\ndescription: d\ninputs:\n  word:\n    description: w\n    required: true\n"
                 "outputs:\n  said:\n    description: s\n    value: ${{ steps.say.outputs.said }}\n"
                 "runs:\n  using: composite\n  steps:\n    - id: say\n      shell: bash\n      env:\n        WORD: ${{ inputs.word }}\n"
                 "      run: echo \"said=$WORD from $(basename \"$GITHUB_ACTION_PATH\")\" >>\"$GITHUB_OUTPUT\"\n")
    write_action(ws, "actions/outer", "name: o\ndescription: d\ninputs:\n  word:\n    description: w\n    default: hi\n"
                 "outputs:\n  said:\n    description: s\n    value: ${{ steps.inner.outputs.said }}\n"
                 "runs:\n  using: composite\n  steps:\n    - id: inner\n      uses: ./actions/inner\n      with:\n        word: ${{ inputs.word }}\n")
    job = harness.run_action("./actions/outer", step_id="outer")
    assert job.step("outer").outputs == {"said": "hi from inner"}
    with pytest.raises(HarnessError, match="unexpected input 'wrod'"):
        harness.run_action("./actions/outer", {"wrod": "x"})
    with pytest.raises(HarnessError, match="required input 'word'"):
        harness.run_action("./actions/inner")


def test_composite_run_steps_need_a_shell_and_get_no_INPUT_variables(harness):
    write_action(harness.workspace, "a", "name: a\ndescription: d\ninputs:\n  x:\n    description: x\n"
                 "runs:\n  using: composite\n  steps:\n    - id: s\n      shell: bash\n      run: echo \"[${INPUT_X:-}]\"\n")
    assert harness.run_action("./a", {"x": "1"}).step("s").stdout == "[]\n"
    write_action(harness.workspace, "b", "name: b\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: echo\n")
    with pytest.raises(InvalidWorkflow, match="Required property is missing: shell"):
        harness.run_action("./b")


def test_remote_actions_need_a_stub(harness):
    with pytest.raises(HarnessError, match="without a stub"):
        harness.run_action("actions/cache@v4", {"path": "x", "key": "k"})

    def failing(call):
        raise StubFailure("no")

    harness.stubs["someone/thing"] = failing
    assert harness.run_action("someone/thing@v1").result == "failure"


def test_matrices_needs_outputs_and_job_conditions(tmp_path, harness):
    wf = tmp_path / "wf.yml"
    wf.write_text("""
on: [push]
jobs:
  legs:
    strategy:
      fail-fast: false
      matrix:
        os: [a, b]
        n: [1, 2]
        exclude:
          - os: b
            n: 2
        include:
          - os: a
            extra: x
          - os: c
            n: 9
    runs-on: ${{ matrix.os }}
    outputs:
      last: ${{ steps.s.outputs.v }}
    steps:
      - id: s
        run: echo "v=${{ matrix.os }}${{ matrix.n }}${{ matrix.extra }}" >> "$GITHUB_OUTPUT"
  after:
    needs: legs
    if: needs.legs.result == 'success'
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ needs.legs.outputs.last }}"
  never:
    needs: after
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - run: exit 1
""")
    result = harness.run_workflow(wf, event_name="push")
    assert [j.matrix for j in result.jobs["legs"]] == [
        {"os": "a", "n": 1, "extra": "x"}, {"os": "a", "n": 2, "extra": "x"}, {"os": "b", "n": 1}, {"os": "c", "n": 9}]
    assert result.jobs["legs"][0].name == "legs (a, 1, x)"
    assert result.job("after").result == "success"
    assert result.job("after").steps[0].stdout.strip() in {"a1x", "a2x", "b1", "c9"}
    assert result.job("never").result == "skipped"


def test_fail_fast_cancels_the_remaining_legs(tmp_path, harness):
    wf = tmp_path / "wf.yml"
    wf.write_text("on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        n: [1, 2, 3]\n    runs-on: x\n"
                  "    steps:\n      - run: test ${{ matrix.n }} -ne 2\n")
    assert [j.result for j in harness.run_workflow(wf).jobs["t"]] == ["success", "failure", "cancelled"]


def test_workflow_dispatch_inputs_are_typed_required_and_shown_in_the_run_name(tmp_path, harness):
    wf = tmp_path / "wf.yml"
    wf.write_text("""
run-name: Deploy ${{ inputs.env }} (${{ inputs.dry && 'dry' || 'real' }})
on:
  workflow_dispatch:
    inputs:
      env:
        type: choice
        options: [staging, production]
        required: true
      dry:
        type: boolean
        default: false
jobs:
  j:
    runs-on: x
    steps:
      - run: echo "${{ inputs.env }} ${{ github.event.inputs.dry }}"
""")
    result = harness.run_workflow(wf, event_name="workflow_dispatch", inputs={"env": "staging", "dry": "true"})
    assert result.run_name == "Deploy staging (dry)"
    assert result.job("j").steps[0].stdout == "staging true\n"
    with pytest.raises(HarnessError, match="required"):
        harness.run_workflow(wf, event_name="workflow_dispatch", inputs={})
    with pytest.raises(HarnessError, match="not an option"):
        harness.run_workflow(wf, event_name="workflow_dispatch", inputs={"env": "qa"})
    with pytest.raises(HarnessError, match="no input"):
        harness.run_workflow(wf, event_name="workflow_dispatch", inputs={"env": "staging", "other": "1"})
    with pytest.raises(HarnessError, match="does not run on push"):
        harness.run_workflow(wf, event_name="push")


# ---- actions/checkout as GitHub runs it ----------------------------------------------------------

def git_repo(path):
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(repo, rel, text, message):
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).write_text(text)
    git(repo, "add", "-A")
    return git(repo, "commit", "-q", "-m", message)


def git_out(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


CHECKOUT_PROBE = """on: [push, pull_request]
jobs:
  j:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: ${{ github.event.inputs.depth || 1 }}
      - id: probe
        run: |
          echo "count=$(git rev-list --count HEAD)" >> "$GITHUB_OUTPUT"
          echo "head=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"
          echo "parents=$(git cat-file -p HEAD | sed -n 's/^parent //p' | paste -sd' ')" >> "$GITHUB_OUTPUT"
          echo "branch=$(git symbolic-ref -q --short HEAD || echo detached)" >> "$GITHUB_OUTPUT"
          echo "shallow=$(git rev-parse --is-shallow-repository)" >> "$GITHUB_OUTPUT"
          echo "header=$(git config --get-regexp 'http\\..*\\.extraheader' | cut -d' ' -f1)" >> "$GITHUB_OUTPUT"
          if git cat-file -e "$BASE^{commit}" 2>/dev/null; then echo "base=present" >> "$GITHUB_OUTPUT"; else echo "base=missing" >> "$GITHUB_OUTPUT"; fi
          git fetch -q --no-tags --depth=1 origin "$BASE"
          git cat-file -e "$BASE^{commit}" && echo "fetched=yes" >> "$GITHUB_OUTPUT"
        env:
          BASE: ${{ github.event.pull_request.base.sha || github.event.before }}
"""


@pytest.fixture
def history(tmp_path):
    """A repository with three commits on main and a pull request branch of two more."""
    repo = git_repo(tmp_path / "repo")
    shas = [commit(repo, "a.txt", f"{i}\n", f"main {i}") for i in range(3)]
    git(repo, "checkout", "-q", "-b", "feature")
    head = [commit(repo, "b.txt", f"{i}\n", f"feature {i}") for i in range(2)][-1]
    git(repo, "checkout", "-q", "main")
    wf = tmp_path / "probe.yml"
    wf.write_text(CHECKOUT_PROBE)
    return repo, shas, head, wf


def test_checkout_fetches_one_commit_of_the_pushed_ref_by_default(tmp_path, history):
    repo, shas, _head, wf = history
    event_name, event = repo_events.push_event(repo, shas[1], shas[2])
    result = Harness(repo, runner_root=tmp_path / "runner", stubs=default_stubs(),
                     github={"token": "t0ken"}).run_workflow(wf, event_name=event_name, event=event)
    probe = result.job("j").step("probe").outputs
    assert (probe["count"], probe["shallow"], probe["head"], probe["branch"]) == ("1", "true", shas[2], "main")
    assert probe["base"] == "missing"       # the parent is not in a depth-1 clone ...
    assert probe["fetched"] == "yes"        # ... and `git fetch origin <sha>` gets it, as on GitHub
    assert probe["header"] == "http.https://github.example/.extraheader"
    assert result.job("j").steps[0].outputs == {"ref": "refs/heads/main", "commit": shas[2]}


def test_checkout_on_pull_request_checks_out_the_merge_commit_detached(tmp_path, history):
    repo, shas, head, wf = history
    event_name, event = repo_events.pull_request_event(repo, "main", "feature", number=12)
    result = Harness(repo, runner_root=tmp_path / "runner", stubs=default_stubs()).run_workflow(
        wf, event_name=event_name, event=event)
    job = result.job("j")
    probe = job.step("probe").outputs
    assert probe["branch"] == "detached" and probe["count"] == "1" and probe["shallow"] == "true"
    assert probe["parents"] == f"{shas[2]} {head}"      # first parent the base branch, second the head
    assert probe["head"] not in (shas[2], head)
    assert probe["base"] == "missing" and probe["fetched"] == "yes"
    env = job.step("probe").env
    assert (env["GITHUB_SHA"], env["GITHUB_REF"], env["GITHUB_HEAD_REF"], env["GITHUB_BASE_REF"]) == \
        (probe["head"], "refs/pull/12/merge", "feature", "main")


def test_fetch_depth_0_fetches_all_history_and_tags(tmp_path, history):
    repo, shas, _head, wf = history
    git(repo, "tag", "v1", shas[0])
    wf.write_text(CHECKOUT_PROBE.replace("${{ github.event.inputs.depth || 1 }}", "0"))
    event_name, event = repo_events.push_event(repo, shas[1], shas[2])
    result = Harness(repo, runner_root=tmp_path / "runner", stubs=default_stubs()).run_workflow(
        wf, event_name=event_name, event=event)
    probe = result.job("j").step("probe").outputs
    assert (probe["count"], probe["shallow"], probe["base"]) == ("3", "false", "present")
    ws = Path(result.job("j").step("probe").env["GITHUB_WORKSPACE"])
    assert git_out(ws, "rev-parse", "v1").stdout.strip() == shas[0]
    assert git_out(ws, "rev-parse", "origin/feature").returncode == 0


def test_persist_credentials_false_leaves_no_token_and_each_job_starts_empty(tmp_path, history):
    repo, shas, _head, wf = history
    wf.write_text(CHECKOUT_PROBE.replace("fetch-depth: ${{ github.event.inputs.depth || 1 }}",
                                         "persist-credentials: false"))
    (repo / "untracked.txt").write_text("not committed\n")
    event_name, event = repo_events.push_event(repo, shas[1], shas[2])
    result = Harness(repo, runner_root=tmp_path / "runner", stubs=default_stubs()).run_workflow(
        wf, event_name=event_name, event=event)
    assert result.job("j").step("probe").outputs["header"] == ""
    ws = Path(result.job("j").step("probe").env["GITHUB_WORKSPACE"])
    assert ws != repo and not (ws / "untracked.txt").exists()   # only what was pushed reaches the runner


# ---- the runner's log: commands on both streams, annotation caps ---------------------------------

def test_commands_are_read_from_stdout_and_stderr_in_both_forms_and_stop_commands_pauses_them(harness):
    job = harness.run_steps([{"id": "s", "shell": "bash", "run": "\n".join([
        "echo '  ::warning file=a.js,line=3::indented v2'",        # V2 after leading whitespace
        "echo 'prefix ##[error]legacy anywhere in the line'",      # legacy form
        "echo '::notice::on stderr' >&2",
        "echo '::stop-commands::pause-token'",
        "echo '::error::not a command while paused'",
        "echo '::pause-token::'",
        "echo 'x ::error::v2 must start the line'",
        "echo '::error::after the pause'",
    ])}])
    assert job.step("s").annotations == [
        ("warning", "file=a.js,line=3", "indented v2"), ("error", "", "legacy anywhere in the line"),
        ("error", "", "after the pause"), ("notice", "", "on stderr")]


def test_github_keeps_10_annotations_of_each_level_per_step_and_50_per_job_in_print_order(harness):
    noisy = "for i in $(seq 1 15); do echo \"::error::e$i\"; echo \"::warning::w$i\"; echo \"::notice::n$i\"; done"
    job = harness.run_steps([{"id": f"s{k}", "shell": "bash", "run": noisy} for k in range(3)])
    first = job.step("s0")
    assert len(first.annotations) == 45
    assert [a[2] for a in first.shown if a[0] == "error"] == [f"e{i}" for i in range(1, 11)]
    assert [a[2] for a in first.dropped if a[0] == "error"] == [f"e{i}" for i in range(11, 16)]
    assert len(first.shown) == 30 and len(job.step("s1").shown) == 20 and job.step("s2").shown == []
    assert len(job.annotations) == 50 and len(job.dropped_annotations) == 85
    assert job.step("s1").shown[-1] == ("warning", "", "w7")  # the 50th, in the order printed


# ---- triggers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("on, event_name, event, runs", [
    ("push:\n    branches: [$default-branch]", "push", {"ref": "refs/heads/main"}, False),   # a literal outside org templates
    ("push:\n    branches: [main]", "push", {"ref": "refs/heads/main"}, True),
    ("push:\n    branches: ['releases/**', '!releases/**-alpha']", "push", {"ref": "refs/heads/releases/1/x-alpha"}, False),
    ("push:\n    branches: ['releases/*']", "push", {"ref": "refs/heads/releases/1/x"}, False),  # * stops at /
    ("push:\n    branches: [main]", "push", {"ref": "refs/tags/v1"}, False),   # only branch filters: tags do not run
    ("push:\n    tags: ['v[0-9]+']", "push", {"ref": "refs/tags/v12"}, True),
    ("pull_request:\n    branches: [main]", "pull_request",
     {"action": "opened", "pull_request": {"base": {"ref": "main"}, "head": {"ref": "main"}}}, True),
    ("pull_request:\n    branches: [main]", "pull_request",
     {"action": "opened", "pull_request": {"base": {"ref": "dev"}, "head": {"ref": "main"}}}, False),  # base branch
    ("pull_request:", "pull_request", {"action": "closed", "pull_request": {"base": {"ref": "main"}}}, False),
    ("workflow_run:\n    workflows: [CI]\n    types: [completed]", "workflow_run",
     {"action": "completed", "workflow_run": {"name": "Deploy", "head_branch": "main"}}, False),
    ("merge_group:", "merge_group", {"action": "checks_requested", "merge_group": {}}, True),
])
def test_a_workflow_runs_only_when_its_filters_match_as_on_github(tmp_path, on, event_name, event, runs):
    wf = tmp_path / "wf.yml"
    wf.write_text(f"on:\n  {on}\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo\n")
    assert Harness(tmp_path, runner_root=tmp_path / "r").would_trigger(wf, event_name, event)[0] is runs
    if not runs:
        with pytest.raises(NotTriggered):
            Harness(tmp_path, runner_root=tmp_path / "r").run_workflow(wf, event_name=event_name, event=event)


def test_paths_filters_match_the_files_the_push_changed(tmp_path):
    repo = git_repo(tmp_path / "repo")
    first = commit(repo, "docs/a.md", "a\n", "docs")
    second = commit(repo, "docs/b.md", "b\n", "more docs")
    wf = tmp_path / "wf.yml"
    wf.write_text("on:\n  push:\n    paths-ignore: ['docs/**']\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo\n")
    harness = Harness(repo, runner_root=tmp_path / "r")
    assert harness.would_trigger(wf, *repo_events.push_event(repo, first, second))[0] is False
    third = commit(repo, "src/x.js", "x\n", "code")
    assert harness.would_trigger(wf, *repo_events.push_event(repo, second, third))[0] is True


# ---- what GitHub does around a job: deployments, fork pull requests ------------------------------

ENVIRONMENT_WF = """on: push
jobs:
  deploy:
    runs-on: x
    environment:
      name: staging
      url: ${{ steps.s.outputs.url }}
    steps:
      - id: s
        run: |
          echo "url=https://staging.example/$GITHUB_SHA" >> "$GITHUB_OUTPUT"
          test "$FAIL" != yes
        env:
          FAIL: ${{ vars.FAIL }}
"""


@pytest.mark.parametrize("fail", [False, True])
def test_a_job_with_environment_gets_the_deployment_github_creates_for_the_runs_commit(emulator, tmp_path, fail):
    repo = git_repo(tmp_path / "repo")
    before = commit(repo, "a.txt", "1\n", "one")
    after = commit(repo, "a.txt", "2\n", "two")
    wf = tmp_path / "deploy.yml"
    wf.write_text(ENVIRONMENT_WF)
    start, end = deployments.hooks(emulator.url, TOKEN)
    harness = Harness(repo, runner_root=tmp_path / "r", stubs=default_stubs(), on_job_start=start, on_job_end=end,
                      vars={"FAIL": "yes" if fail else ""},
                      github={"api_url": emulator.url, "token": TOKEN, "sha": before})
    result = harness.run_workflow(wf, *repo_events.push_event(repo, before, after))
    assert result.job("deploy").result == ("failure" if fail else "success")
    [deployment] = emulator.state()["deployments"]
    assert (deployment["sha"], deployment["ref"], deployment["environment"], deployment["task"]) == \
        (after, "main", "staging", "deploy")   # the pushed commit, not the sha the harness was made with
    assert deployment["creator"]["login"] == "github-actions[bot]"
    states = [s["state"] for s in reversed(deployment["statuses"])]
    assert states == ["in_progress", "failure" if fail else "success"]
    assert deployment["statuses"][0]["environment_url"] == f"https://staging.example/{after}"
    # `deployment: false`: the environment without a deployment record.
    wf.write_text(ENVIRONMENT_WF.replace("      name: staging\n", "      name: staging\n      deployment: false\n"))
    harness.run_workflow(wf, *repo_events.push_event(repo, before, after))
    assert len(emulator.state()["deployments"]) == 1


FORK_WF = """on: pull_request
jobs:
  j:
    runs-on: x
    steps:
      - id: s
        run: |
          echo "secret=[$DEPLOY_KEY]" >> "$GITHUB_OUTPUT"
          code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \\
                 -H 'Content-Type: application/json' -H 'Accept: application/vnd.github+json' \\
                 -H 'X-GitHub-Api-Version: 2022-11-28' -d '{"body":"hi"}' "$API/repos/octo/app/issues/7/comments")
          echo "write=$code" >> "$GITHUB_OUTPUT"
        env:
          DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
          TOKEN: ${{ secrets.GITHUB_TOKEN }}
          API: ${{ github.api_url }}
"""


@pytest.mark.parametrize("fork", [None, "someone/app"])
def test_a_fork_pull_request_gets_a_read_only_token_and_no_secrets(emulator, tmp_path, fork):
    repo = git_repo(tmp_path / "repo")
    base = commit(repo, "a.txt", "1\n", "one")
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "a.txt", "2\n", "two")
    git(repo, "checkout", "-q", "main")
    wf = tmp_path / "ci.yml"
    wf.write_text(FORK_WF)
    harness = Harness(repo, runner_root=tmp_path / "r", secrets={"DEPLOY_KEY": "k3y"},
                      github={"api_url": emulator.url, "token": TOKEN})
    result = harness.run_workflow(wf, *repo_events.pull_request_event(repo, "main", "feature", number=7, fork=fork))
    outputs = result.job("j").step("s").outputs
    if fork:
        assert outputs["secret"] == "[]" and outputs["write"] == "403"
    else:
        assert outputs["secret"] == "[k3y]" and outputs["write"] == "201"


def test_workflow_run_payloads_of_a_fork_list_no_pull_request(tmp_path):
    repo = git_repo(tmp_path / "repo")
    sha = commit(repo, "a.txt", "1\n", "one")
    entry = repo_events.pull_request_pr_entry(7, sha, sha, repo)
    _, own = repo_events.workflow_run_event(repo, sha, pull_requests=[entry])
    _, fork = repo_events.workflow_run_event(repo, sha, pull_requests=[entry], head_repository="someone/app")
    assert own["workflow_run"]["pull_requests"] == [entry]
    assert fork["workflow_run"]["pull_requests"] == []
    assert fork["workflow_run"]["head_repository"]["full_name"] == "someone/app"
    assert fork["workflow_run"]["head_sha"] == sha


def test_merge_group_runs_on_the_queues_merge_commit_and_dispatch_takes_the_events_inputs(tmp_path, history):
    repo, shas, head, _wf = history
    wf = tmp_path / "mg.yml"
    wf.write_text("on:\n  merge_group:\n  workflow_dispatch:\n    inputs:\n      who:\n        required: true\n"
                  "jobs:\n  j:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n"
                  "      - id: s\n        run: echo \"head=$(git rev-parse HEAD) who=${{ inputs.who }}\" >> \"$GITHUB_OUTPUT\"\n")
    harness = Harness(repo, runner_root=tmp_path / "r", stubs=default_stubs())
    event_name, event = repo_events.merge_group_event(repo, "main", "feature", number=12)
    queued = event["merge_group"]["head_sha"]
    assert git_out(repo, "log", "-1", "--format=%P", queued).stdout.split() == [shas[2], head]
    job = harness.run_workflow(wf, event_name, event).job("j")
    assert job.step("s").outputs["head"] == f"{queued} who="
    assert job.step("s").env["GITHUB_REF"] == f"refs/heads/gh-readonly-queue/main/pr-12-{shas[2]}"
    dispatched = harness.run_workflow(wf, *repo_events.workflow_dispatch_event({"who": "me"})).job("j")
    assert dispatched.step("s").outputs["head"] == f"{shas[2]} who=me"


def test_default_branch_is_replaced_only_when_the_file_comes_from_an_organisation_template(tmp_path):
    text = "on:\n  push:\n    branches: [$default-branch]\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo\n"
    copied, instantiated = tmp_path / "copied.yml", tmp_path / "from-template.yml"
    copied.write_text(text)
    instantiated.write_text(triggers.from_org_template(text, "main"))
    harness = Harness(tmp_path, runner_root=tmp_path / "r")
    push = {"ref": "refs/heads/main"}
    assert harness.would_trigger(copied, "push", push)[0] is False
    assert harness.would_trigger(instantiated, "push", push)[0] is True
