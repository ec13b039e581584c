"""Foundation acceptance: the real tollgate binary posts through the emulator over real HTTP."""
import json
import math
import re
import subprocess
import urllib.request
from collections import Counter
from datetime import datetime

import pytest

from conftest import TOKEN, run_tollgate


def junit_with_failures(n, path="src/mod.py", name_prefix="test_case"):
    cases = "\n".join(
        f'<testcase classname="tests.mod" name="{name_prefix}_{i}" file="{path}" line="{i}" time="0.001">'
        f'<failure message="assert {i} == {i + 1}">trace {i}</failure></testcase>'
        for i in range(1, n + 1))
    return f'<?xml version="1.0"?>\n<testsuites><testsuite name="suite" tests="{n}" failures="{n}">\n{cases}\n</testsuite></testsuites>\n'


def make_repo(workspace, n_lines=1300):
    workspace.write("src/mod.py", "".join(f"x{i} = {i}\n" for i in range(1, n_lines + 1)))
    return workspace.commit("initial")


def without_mask_command(stdout):
    """The token may stand only in the runner's own ::add-mask:: command, which the runner
    consumes (and would show as ***)."""
    return "\n".join(l for l in stdout.splitlines() if not l.startswith("::add-mask::"))


def annotation_keys(check_run):
    return [(a["path"], a["start_line"], a["message"]) for a in check_run["annotations"]]


def writes(emulator, method=None):
    return [r for r in emulator.requests()
            if r["method"] in ("POST", "PATCH") and not r["path"].startswith("/_emulator") and
            (method is None or r["method"] == method)]


def test_1234_findings_become_exactly_1234_annotations(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(1234))
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--max-annotations", "2000"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    runs = emulator.state()["check_runs"]
    assert len(runs) == 1
    keys = annotation_keys(runs[0])
    assert len(keys) == 1234
    assert len(set(keys)) == 1234
    assert runs[0]["status"] == "completed" and runs[0]["conclusion"] == "failure"
    # Exactly ⌈N/50⌉ check-run writes: a create with the first 50, then one PATCH per batch.
    check_writes = [r for r in writes(emulator) if "/check-runs" in r["path"]]
    assert len(check_writes) == math.ceil(1234 / 50)


def test_30_percent_faults_lose_and_duplicate_nothing(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(1234))
    emulator.settings(retry_after_s=0)
    emulator.faults(rate=0.3, seed=7, kinds=["500", "502", "503", "applied_502", "secondary_rate_limit",
                                              "rate_limit_429", "reset"])
    event = {"number": 5, "pull_request": {"number": 5, "head": {"sha": "f" * 40, "repo": {"full_name": "octo/app"}},
                                           "base": {"sha": "", "ref": "main", "repo": {"full_name": "octo/app"}}}}
    proc = run_tollgate(["tests", "--commit-status", "always", "--report", "results/junit.xml", "--max-annotations", "2000", "--comment"],
                        workspace, emulator, event=event, event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    faults = [r for r in emulator.requests() if r.get("fault")]
    assert len(faults) >= 10, "the fault injection did not happen"
    assert any(r["fault"] == "applied_502" for r in faults)
    state = emulator.state()
    assert len(state["check_runs"]) == 1
    keys = annotation_keys(state["check_runs"][0])
    assert len(keys) == 1234 and len(set(keys)) == 1234
    assert state["check_runs"][0]["head_sha"] == "f" * 40
    assert [s["context"] for s in state["statuses"]] == ["tollgate/tests"]
    assert len(state["comments"]) == 1


def test_read_only_token_falls_back_to_workflow_commands(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(3))
    emulator.token(TOKEN, "read-only")
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr  # the gate's verdict, not 3
    assert proc.stderr.count("cannot write") == 1
    annotations = [l for l in proc.stdout.splitlines() if l.startswith("::error ")]
    assert annotations == [f"::error file=src/mod.py,line={i},title=tests.mod › test_case_{i}::assert {i} == {i + 1}"
                           for i in range(1, 4)]
    assert "3 tests, 3 failed" in workspace.summary.read_text()
    assert workspace.outputs()["passed"] == "false"
    assert emulator.state().get("check_runs", []) == []


def test_no_token_falls_back_and_passes_when_tests_pass(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml",
                    '<testsuite name="s" tests="1"><testcase classname="c" name="ok" time="0.1"/></testsuite>')
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator, token="")
    assert proc.returncode == 0, proc.stderr
    assert "no token" in proc.stderr
    assert "1 test, all passed" in workspace.summary.read_text()


def test_the_token_never_reaches_any_output(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(2))
    event = {"number": 9, "pull_request": {"number": 9, "head": {"sha": "a" * 40}, "base": {"sha": "", "ref": "main"}}}
    for mode in ("read-write", "read-only", "bad"):
        emulator.token(TOKEN, mode)
        proc = run_tollgate(["tests", "--report", "results/junit.xml", "--comment", "--json", "out.json"], workspace,
                            emulator, event=event, event_name="pull_request")
        stdout = without_mask_command(proc.stdout)
        assert proc.stdout.count("::add-mask::" + TOKEN) == 1
        for text in (stdout, proc.stderr, workspace.summary.read_text(), workspace.output.read_text(),
                     (workspace.path / "out.json").read_text()):
            assert TOKEN not in text
    assert not any(TOKEN in json.dumps(r) for r in emulator.requests())


def test_the_sticky_comment_is_edited_never_duplicated(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(2))
    event = {"number": 3, "pull_request": {"number": 3, "head": {"sha": "b" * 40}, "base": {"sha": "", "ref": "main"}}}
    for run_id in ("1", "2", "3"):
        proc = run_tollgate(["tests", "--report", "results/junit.xml", "--comment"], workspace, emulator, event=event,
                            event_name="pull_request", extra_env={"GITHUB_RUN_ID": run_id})
        assert proc.returncode == 1, proc.stderr
    comments = emulator.state()["comments"]
    assert len(comments) == 1
    assert "2 tests, 2 failed" in comments[0]["body"]
    assert len(emulator.state()["check_runs"]) == 3  # one per run


def test_a_repeated_step_updates_its_check_run_in_place(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(60))
    for _ in range(2):
        run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator)
    runs = emulator.state()["check_runs"]
    assert len(runs) == 1
    assert len(runs[0]["annotations"]) == 60
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator,
                        extra_env={"GITHUB_RUN_ATTEMPT": "2"})
    assert proc.returncode == 1
    assert len(emulator.state()["check_runs"]) == 2


def test_the_matrix_leg_names_the_check_and_the_status(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(1))
    run_tollgate(["tests", "--commit-status", "always", "--report", "results/junit.xml", "--matrix", '{"os":"ubuntu-latest","python":"3.12"}'],
                 workspace, emulator)
    state = emulator.state()
    assert [r["name"] for r in state["check_runs"]] == ["Tests (ubuntu-latest, 3.12)"]
    assert [s["context"] for s in state["statuses"]] == ["tollgate/tests (ubuntu-latest, 3.12)"]


def test_an_api_that_is_down_exits_3_within_the_budget(workspace, tmp_path):
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(1))

    class Down:
        url = "http://127.0.0.1:9"  # discard port: connection refused

    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, Down(),
                        extra_env={"TOLLGATE_RETRY_BUDGET_S": "2"}, timeout=60)
    assert proc.returncode == 3
    assert "GitHub" in proc.stderr
    assert TOKEN not in proc.stderr + without_mask_command(proc.stdout)


def test_report_text_cannot_issue_workflow_commands_or_mentions(emulator, workspace):
    make_repo(workspace)
    evil = '<testsuite name="s"><testcase classname="c" name="::set-output name=x::y @octocat &lt;script&gt;" file="src/mod.py" line="2">' \
           '<failure message="boom&#10;::error::pwned&#10;%0A::add-mask::x #12">body&#10;::warning::inner</failure></testcase></testsuite>'
    workspace.write("results/junit.xml", evil)
    emulator.token(TOKEN, "read-only")
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator)
    assert proc.returncode == 1
    for line in proc.stdout.splitlines():
        # Every line that is a command is one of ours, with its data escaped onto one line.
        if line.startswith("::"):
            assert re.match(r"^::(error|add-mask|stop-commands|[0-9a-f]{32})[: ]", line), line
    assert "::error::pwned" not in proc.stdout.replace("%0A::error::pwned", "")
    summary = workspace.summary.read_text()
    # The name is shown as code (issue 15): GitHub renders a code span's text literally, so the
    # rendered page has no <script> element; outside code it is escaped.
    from support import markdown
    assert "<script>" not in markdown.render(summary, "html") and "@octocat" not in summary
    assert "&lt;script&gt;" in markdown.render(summary, "html")  # shown, as text


def test_help_lists_only_working_commands():
    proc = subprocess.run([__import__("conftest").TOLLGATE, "--help"], stdout=subprocess.PIPE, text=True)
    assert proc.returncode == 0
    assert "tests" in proc.stdout
    assert subprocess.run([__import__("conftest").TOLLGATE, "--version"], stdout=subprocess.PIPE, text=True).stdout.startswith("tollgate ")


def test_bad_usage_and_missing_reports_exit_2(workspace):
    make_repo(workspace)
    assert run_tollgate(["tests", "--no-such-option"], workspace).returncode == 2
    proc = run_tollgate(["tests", "--report", "missing.xml"], workspace)
    assert proc.returncode == 2 and "missing.xml" in proc.stderr
    workspace.write("bad.xml", "<testsuite>\n  <testcase name='x'>\n</testsuite>\n")
    proc = run_tollgate(["tests", "--report", "bad.xml"], workspace)
    assert proc.returncode == 2 and re.search(r"bad\.xml:\d+", proc.stderr), proc.stderr


def test_a_json_result_that_cannot_be_written_exits_2_and_posts_nothing(emulator, workspace):
    """--json is written before anything is posted; a full disk is an error naming the file (it was
    silently lost, and the gate reported as if the file were there)."""
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(3))
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--json", "/dev/full"], workspace, emulator)
    assert proc.returncode == 2, proc.stderr
    assert "--json /dev/full: cannot write" in proc.stderr, proc.stderr
    assert writes(emulator) == []


@pytest.mark.parametrize("kind,wait_s", [("secondary_rate_limit", 2), ("rate_limit_429", 1)])
def test_rate_limits_wait_as_retry_after_says(emulator, workspace, kind, wait_s):
    """The create is refused once with retry-after: it is sent again no sooner than that (the
    emulator's own timestamps), and only once more."""
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(3))
    emulator.settings(retry_after_s=wait_s)
    emulator.fault_once(kind=kind, method="POST", path_regex="/check-runs$")
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    posts = [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith("/check-runs")]
    assert [r.get("fault") for r in posts] == [kind, None]
    sent = [datetime.fromisoformat(r["time"].replace("Z", "+00:00")) for r in posts]
    gap = (sent[1] - sent[0]).total_seconds()
    assert wait_s <= gap < wait_s + 3, gap
    assert len(emulator.state()["check_runs"]) == 1


def test_two_legs_without_the_matrix_input_never_share_a_check_run(emulator, workspace):
    """Issue 13.2: GITHUB_JOB is the job's id, the same in every leg of a matrix
    (https://docs.github.com/en/actions/reference/workflows-and-actions/variables). Without
    `matrix`, two legs would write the same "Tests" check run and the last would win. The second
    leg, on another runner, refuses with exit 2 and posts nothing: the failed leg's check stays
    failed, with its annotation."""
    make_repo(workspace)
    workspace.write("results/fail.xml", junit_with_failures(1))
    workspace.write("results/pass.xml",
                    '<testsuite name="s" tests="1"><testcase classname="c" name="ok" time="0.1"/></testsuite>')
    first = run_tollgate(["tests", "--commit-status", "always", "--report", "results/fail.xml"], workspace, emulator,
                         extra_env={"RUNNER_NAME": "GitHub Actions 2"})
    assert first.returncode == 1, first.stderr
    before = len(writes(emulator))
    second = run_tollgate(["tests", "--commit-status", "always", "--report", "results/pass.xml"], workspace, emulator,
                          extra_env={"RUNNER_NAME": "GitHub Actions 3"})
    assert second.returncode == 2, second.stderr
    assert "matrix: ${{ toJSON(matrix) }}" in second.stderr and "posted nothing" in second.stderr
    assert len(writes(emulator)) == before  # nothing half-posted
    state = emulator.state()
    [run] = state["check_runs"]
    assert run["conclusion"] == "failure" and len(run["annotations"]) == 1
    assert [s["state"] for s in state["statuses"]] == ["failure"]
    # The same leg run again (same runner, same step) still updates its own check run in place.
    again = run_tollgate(["tests", "--commit-status", "always", "--report", "results/fail.xml"], workspace, emulator,
                         extra_env={"RUNNER_NAME": "GitHub Actions 2"})
    assert again.returncode == 1, again.stderr
    assert len(emulator.state()["check_runs"]) == 1


def test_two_steps_of_one_job_with_the_default_name_are_refused_with_check_name_named(emulator, workspace):
    """GITHUB_ACTION is the step's id: "__run", then "__run_2" for the second unnamed script step
    (https://docs.github.com/en/actions/reference/workflows-and-actions/variables)."""
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(1))
    first = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator,
                         extra_env={"GITHUB_ACTION": "__run"})
    assert first.returncode == 1
    second = run_tollgate(["tests", "--report", "results/junit.xml"], workspace, emulator,
                          extra_env={"GITHUB_ACTION": "__run_2"})
    assert second.returncode == 2
    assert "another step of this job" in second.stderr and "`check-name`" in second.stderr
    assert len(emulator.state()["check_runs"]) == 1


def test_steps_with_different_check_names_get_their_own_status_context(emulator, workspace):
    """Issue 13.2: the status context follows the check name, so one step's success never
    replaces another step's failure under a shared "tollgate/tests"."""
    make_repo(workspace)
    workspace.write("results/fail.xml", junit_with_failures(1))
    workspace.write("results/pass.xml",
                    '<testsuite name="s" tests="1"><testcase classname="c" name="ok" time="0.1"/></testsuite>')
    assert run_tollgate(["tests", "--commit-status", "always", "--report", "results/fail.xml", "--check-name", "Unit tests"], workspace, emulator,
                        extra_env={"GITHUB_ACTION": "__run"}).returncode == 1
    assert run_tollgate(["tests", "--commit-status", "always", "--report", "results/pass.xml", "--check-name", "Integration tests"], workspace,
                        emulator, extra_env={"GITHUB_ACTION": "__run_2"}).returncode == 0
    statuses = {s["context"]: s["state"] for s in emulator.state()["statuses"]}
    assert statuses == {"tollgate/Unit tests": "failure", "tollgate/Integration tests": "success"}
    assert sorted(r["name"] for r in emulator.state()["check_runs"]) == ["Integration tests", "Unit tests"]


def test_30_failures_under_a_read_only_token_print_10_errors_changed_lines_first(emulator, workspace):
    """Issue 12.6: the runner shows at most 10 error, 10 warning and 10 notice annotations per step
    (50 per job) and drops the rest silently, in print order
    (https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations). Tollgate
    prints 10, those on changed lines first, and says how many more there are and where."""
    base = make_repo(workspace, n_lines=40)
    workspace.write("src/mod.py", "".join(f"x{i} = {i}{'  # changed' if i in (25, 27, 29) else ''}\n"
                                          for i in range(1, 41)))
    workspace.commit("change lines 25, 27, 29")
    workspace.write("results/junit.xml", junit_with_failures(30))
    emulator.token(TOKEN, "read-only")
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--base", base, "--json", "out.json"], workspace,
                        emulator)
    assert proc.returncode == 1, proc.stderr
    errors = [l for l in proc.stdout.splitlines() if l.startswith("::error ")]
    assert len(errors) == 10
    lines = [int(re.search(r",line=(\d+),", l).group(1)) for l in errors]
    assert lines[:3] == [25, 27, 29]
    assert lines[3:] == [1, 2, 3, 4, 5, 6, 7]
    assert "20 more failures not shown as annotations" in proc.stderr
    assert "the --json result" in proc.stderr
    summary = workspace.summary.read_text()
    assert "10 shown, 20 more failures not shown" in summary


def test_a_users_comment_with_the_marker_is_never_adopted(emulator, workspace):
    # Anyone may post Tollgate's marker first; only a comment by the token's bot user
    # (github-actions[bot], type Bot, for the GITHUB_TOKEN) is Tollgate's.
    make_repo(workspace)
    workspace.write("results/junit.xml", junit_with_failures(2))
    event = {"number": 4, "pull_request": {"number": 4, "head": {"sha": "c" * 40}, "base": {"sha": "", "ref": "main"}}}
    args = ["tests", "--report", "results/junit.xml", "--comment"]
    run_tollgate(args, workspace, emulator, event=event, event_name="pull_request")
    marker = emulator.state()["comments"][0]["body"].split("\n", 1)[0]
    assert marker.startswith("<!-- tollgate:sticky:")
    emulator.reset()
    # A person's token (the emulator gives a token with a login a User identity), through the API.
    emulator.call("POST", "/_emulator/tokens", {"token": "mallory-pat", "mode": "read-write", "login": "mallory"})
    req = urllib.request.Request(emulator.url + "/repos/octo/app/issues/4/comments", method="POST",
                                 data=json.dumps({"body": marker + "\n✅ all passed, trust me"}).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": "token mallory-pat",
                                          "Accept": "application/vnd.github+json", "User-Agent": "mallory",
                                          "X-GitHub-Api-Version": "2022-11-28"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 201
    for run_id in ("1", "2"):
        proc = run_tollgate(args, workspace, emulator, event=event, event_name="pull_request",
                            extra_env={"GITHUB_RUN_ID": run_id})
        assert proc.returncode == 1, proc.stderr
        assert "ignored 1 comment(s) carrying Tollgate's marker by a non-bot user (mallory)" in proc.stderr
    comments = emulator.state()["comments"]
    assert [(c["user"]["login"], c["user"]["type"]) for c in comments] == [
        ("mallory", "User"), ("github-actions[bot]", "Bot")]
    assert comments[0]["body"] == marker + "\n✅ all passed, trust me"
    assert "2 tests, 2 failed" in comments[1]["body"]


def test_durations_that_sum_past_the_double_range_show_no_inf(emulator, workspace):
    make_repo(workspace)
    workspace.write("results/junit.xml", '<testsuite name="s" tests="2">'
                    '<testcase classname="c" name="a" time="1e308"/><testcase classname="c" name="b" time="1e308"/>'
                    '</testsuite>')
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    summary = workspace.summary.read_text()
    assert not re.search(r"\binf\b|\bnan\b", summary, re.IGNORECASE), summary
    result = json.loads((workspace.path / "out.json").read_text())
    assert math.isfinite(result["totals"]["duration_s"]) and result["totals"]["duration_s"] == 1e9
