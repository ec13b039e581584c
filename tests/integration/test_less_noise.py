"""One row per purpose in a pull request's checks list, and a sticky comment that changes only when
it has something new to say (issue 15.3).

- The CI template on a three-leg pull request, run by the actions harness with the check run GitHub
  Actions creates for every job (tests/harness/jobs.py): the rows the pull request's checks list
  shows — every check run of the head commit and every commit status context — are one per job,
  none added by Tollgate; one sticky comment; a second run with the same results edits nothing.
- Commit statuses: off while a check run carries the verdict (`--commit-status fallback`, the
  default), posted when the check run cannot be written (a personal access token), always with
  `--commit-status always`, never with `--no-status`.
- Comment modes against the emulator: `changes`, `failures`, `off`; the digest a comment carries
  is read only from Tollgate's own comment, at its fixed place.
"""
from collections import Counter

import pytest

from conftest import ROOT, TOKEN, git, run_tollgate
from test_actions_harness import (DATA, LIGHTHOUSE_DATA, bin_dir, cart_repo, check_runs, make_harness,  # noqa: F401
                                  needs_commands, pull_request_event)

TEMPLATE = ROOT / "workflows-templates/ci.yml"


# ---- the rows of a pull request's checks list ----------------------------------------------------

def checks_list(emulator, sha):
    """The rows GitHub lists for a commit: each check run (the latest of a name in its check suite)
    and each commit status context (the latest status of a context is its row)
    (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/collaborating-on-repositories-with-code-quality-features/about-status-checks).
    Returns (check run names, status contexts), each with its repetitions."""
    state = emulator.state()
    runs = [r for r in state.get("check_runs", []) if r["head_sha"] == sha]
    statuses = [s for s in state.get("statuses", []) if s["sha"] == sha]
    return Counter(r["name"] for r in runs), Counter(s["context"] for s in statuses)


def ci_overrides():
    return {
        ("lint", "install"): "true", ("lint", "lint"): "true", ("test", "install"): "true",
        ("test", "run-tests"): 'mkdir -p results coverage\n'
                               'cp "$FIXTURES/junit-node${{ matrix.node }}.xml" "$JEST_JUNIT_OUTPUT_DIR/junit.xml"\n'
                               'cp "$FIXTURES/lcov-node${{ matrix.node }}.info" coverage/lcov.info\n',
        ("security", "install"): "true",
        ("security", "scanner"): 'mkdir -p results\ncp "$SARIF/clang-analyze.sarif" results/head.sarif\n',
        ("lighthouse", "build"): "true",
        ("lighthouse", "lhci-collect"): 'mkdir -p .lighthouseci\n'
                                        'for i in 1 2 3; do cp "$LHR/lh12/fast-$i.json" ".lighthouseci/lhr-$i.json"; done\n'
                                        'cp "$LHR/configs/categories.json" lighthouserc.json\n',
    }


def run_ci(workspace, emulator, bin_dir, base, head, run_id):
    harness = make_harness(workspace, emulator, head, bin_dir, event_name="pull_request",
                           event=pull_request_event(base, head), run_id=run_id,
                           env={"FIXTURES": str(DATA), "LHR": str(LIGHTHOUSE_DATA), "SARIF": str(ROOT / "tests/data/sarif")},
                           step_overrides=ci_overrides(),
                           )
    return harness.run_workflow(TEMPLATE)


@needs_commands("tests", "coverage", "merge", "lighthouse", "scan")
def test_the_ci_template_on_a_three_leg_pull_request_adds_no_row_and_posts_one_comment(emulator, workspace, bin_dir):
    base, head = cart_repo(workspace)
    result = run_ci(workspace, emulator, bin_dir, base, head, "2001")
    assert [(leg.matrix["node"], leg.result) for leg in result.jobs["test"]] == [(20, "success"), (22, "failure"),
                                                                                (24, "success")]
    runs, contexts = checks_list(emulator, head)
    legs = ["test (ubuntu-latest, 20)", "test (ubuntu-latest, 22)", "test (ubuntu-latest, 24)"]
    # One row per job, each the job's own check run: the three legs and one for the matrix (merge),
    # plus the two jobs outside the matrix. Tollgate adds no row, and no row is repeated.
    assert runs == Counter(["lint", *legs, "CI (all legs)", "Security", "Lighthouse"]), runs
    matrix_rows = sum(n for name, n in runs.items() if name in legs or name == "CI (all legs)")
    assert matrix_rows <= len(legs) + 1
    assert contexts == Counter(), "a commit status repeats a check run's verdict"
    assert all(n == 1 for n in (runs + contexts).values())

    # The rows carry Tollgate's results: the failing leg's failure on its own row, the matrix's
    # verdict and its annotation once on the merge job's row.
    state = emulator.state()
    by_name = {r["name"]: r for r in state["check_runs"] if r["head_sha"] == head}
    failing = by_name["test (ubuntu-latest, 22)"]
    assert failing["conclusion"] == "failure" and "1 failed" in failing["output"]["title"]
    assert [(a["path"], a["start_line"]) for a in failing["annotations"]] == [("test/cart.test.js", 8)]
    merged = by_name["CI (all legs)"]
    assert merged["conclusion"] == "failure"
    assert merged["output"]["title"].startswith("3 legs, 1 failed")
    assert [a["message"].split(":")[0] for a in merged["annotations"]] == ["In 1 of 3 legs"]
    assert by_name["Lighthouse"]["output"]["title"], "Lighthouse's results on its job's row"
    # Only GitHub Actions completes a job's check run (the emulator refuses a status or conclusion
    # from a token there); Tollgate created no check run of its own.
    assert not [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith("/check-runs")], \
        "Tollgate created a check run of its own: a row more"
    assert not [r for r in emulator.requests() if r["path"].startswith("/repos/") and r["status"] and r["status"] >= 400]
    assert len(state["comments"]) == 1

    # The same results pushed again (a re-run): the comment says nothing new, so it is not edited.
    run_ci(workspace, emulator, bin_dir, base, head, "2002")
    assert len(emulator.state()["comments"]) == 1
    assert not [r for r in emulator.requests() if r["method"] == "PATCH" and "/issues/comments/" in r["path"]]


# ---- commit statuses -----------------------------------------------------------------------------

def junit(failed):
    case = '<testcase classname="tests.cart" name="test_total" file="src/cart.py" line="1" time="0.1">'
    case += '<failure message="assert 3 == 4">trace</failure></testcase>' if failed else "</testcase>"
    return f'<testsuite name="s" tests="1" failures="{int(failed)}">{case}</testsuite>'


@pytest.fixture
def project(workspace):
    workspace.write("src/cart.py", "def total(xs):\n    return sum(xs)\n")
    workspace.write("results/junit.xml", junit(True))
    workspace.commit("project")
    return workspace


def statuses(emulator):
    return [(s["context"], s["state"]) for s in emulator.state().get("statuses", [])]


def test_no_commit_status_beside_a_check_run_by_default(emulator, project):
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], project, emulator)
    assert proc.returncode == 1, proc.stderr
    assert len(check_runs(emulator)) == 1
    assert statuses(emulator) == []
    assert not [r for r in emulator.requests() if "/statuses/" in r["path"]]


def test_commit_status_always_posts_both(emulator, project):
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--commit-status", "always"], project, emulator)
    assert proc.returncode == 1, proc.stderr
    assert len(check_runs(emulator)) == 1
    assert statuses(emulator) == [("tollgate/tests", "failure")]


def test_the_status_is_the_fallback_when_the_token_cannot_write_check_runs(emulator, project):
    emulator.call("POST", "/_emulator/tokens", {"token": "a-users-pat", "mode": "read-write", "login": "someone"})
    proc = run_tollgate(["tests", "--report", "results/junit.xml"], project, emulator, token="a-users-pat")
    assert proc.returncode == 1, proc.stderr
    assert check_runs(emulator) == []
    assert statuses(emulator) == [("tollgate/tests", "failure")]
    assert "cannot write check runs" in proc.stderr and "tollgate/tests" in proc.stderr
    # No check run: the failure is annotated through a workflow command instead.
    assert "::error file=src/cart.py,line=1" in proc.stdout

    emulator.reset()
    emulator.call("POST", "/_emulator/tokens", {"token": "a-users-pat", "mode": "read-write", "login": "someone"})
    for off in (["--no-status"], ["--commit-status", "off"]):
        proc = run_tollgate(["tests", "--report", "results/junit.xml", *off], project, emulator, token="a-users-pat")
        assert proc.returncode == 1, proc.stderr
        assert statuses(emulator) == [] and check_runs(emulator) == []
        assert "::error file=src/cart.py,line=1" in proc.stdout


def test_check_run_none_posts_no_status_unless_asked(emulator, project):
    run_tollgate(["tests", "--report", "results/junit.xml", "--check-run", "none"], project, emulator)
    assert statuses(emulator) == [] and check_runs(emulator) == []
    run_tollgate(["tests", "--report", "results/junit.xml", "--check-run", "none", "--commit-status", "always"],
                 project, emulator)
    assert statuses(emulator) == [("tollgate/tests", "failure")]


def test_a_bad_commit_status_mode_is_exit_2_before_anything_is_posted(emulator, project):
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--commit-status", "sometimes"], project, emulator)
    assert proc.returncode == 2
    assert "--commit-status" in proc.stderr
    assert not [r for r in emulator.requests() if r["method"] in ("POST", "PATCH")]


# ---- comment modes -------------------------------------------------------------------------------

PR_EVENT = {"number": 3, "pull_request": {"number": 3, "head": {"sha": "b" * 40}, "base": {"sha": "", "ref": "main"}}}


def comment_run(emulator, project, mode, failed, run_id):
    project.write("results/junit.xml", junit(failed))
    args = ["tests", "--report", "results/junit.xml"] + ([f"--comment={mode}"] if mode is not None else ["--comment"])
    proc = run_tollgate(args, project, emulator, event=PR_EVENT, event_name="pull_request",
                        extra_env={"GITHUB_RUN_ID": run_id})
    assert proc.returncode == (1 if failed else 0), proc.stderr
    return proc


def comment_writes(emulator):
    """The methods of the writes to pull-request comments, in order."""
    return [r["method"] for r in emulator.requests()
            if "/comments" in r["path"] and r["method"] in ("POST", "PATCH", "DELETE")]


def bodies(emulator):
    return [c["body"] for c in emulator.state().get("comments", [])]


def test_comment_changes_edits_only_when_the_verdict_or_the_numbers_change(emulator, project):
    comment_run(emulator, project, "changes", True, "1")
    comment_run(emulator, project, "changes", True, "2")  # the same failure again: nothing to say
    assert comment_writes(emulator) == ["POST"]
    [body] = bodies(emulator)
    assert "1 test, 1 failed" in body
    comment_run(emulator, project, "changes", False, "3")  # now green: edited
    assert comment_writes(emulator) == ["POST", "PATCH"]
    [body] = bodies(emulator)
    assert "1 test, all passed" in body or "1 passed" in body
    comment_run(emulator, project, "changes", False, "4")
    assert len(comment_writes(emulator)) == 2


def test_comment_always_edits_on_every_run(emulator, project):
    for run_id in ("1", "2"):
        comment_run(emulator, project, None, True, run_id)  # bare --comment is `always`
    assert comment_writes(emulator) == ["POST", "PATCH"]


def test_comment_failures_comments_on_a_failure_and_turns_an_existing_comment_green(emulator, project):
    comment_run(emulator, project, "failures", False, "1")
    assert bodies(emulator) == []  # all passed and no comment yet: none is created
    comment_run(emulator, project, "failures", True, "2")
    [red] = bodies(emulator)
    assert "1 failed" in red
    comment_run(emulator, project, "failures", False, "3")
    [green] = bodies(emulator)
    assert "1 failed" not in green  # no stale red comment lingers
    comment_run(emulator, project, "failures", False, "4")
    assert len(comment_writes(emulator)) == 2  # the create and the one edit to green


def test_comment_off_posts_nothing_and_deletes_nothing(emulator, project):
    comment_run(emulator, project, "always", True, "1")
    before = bodies(emulator)
    comment_run(emulator, project, "off", False, "2")
    assert bodies(emulator) == before
    assert comment_writes(emulator) == ["POST"]


def test_the_digest_is_read_only_from_the_line_after_the_marker(emulator, project):
    """A report cannot plant a digest: a failure message that looks like the digest line is
    escaped inside the body, and only the line right after the marker counts."""
    comment_run(emulator, project, "changes", True, "1")
    [body] = bodies(emulator)
    marker, digest_line = body.split("\n")[:2]
    assert marker.startswith("<!-- tollgate:sticky:") and digest_line.startswith("<!-- tollgate:digest:")
    hostile = ('<testsuite name="s" tests="1" failures="1"><testcase classname="c" name="t" time="0.1">'
               f'<failure message="{digest_line.replace("<", "&lt;").replace(">", "&gt;")}">x</failure>'
               '</testcase></testsuite>')
    project.write("results/junit.xml", hostile)
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--comment=changes"], project, emulator,
                        event=PR_EVENT, event_name="pull_request", extra_env={"GITHUB_RUN_ID": "2"})
    assert proc.returncode == 1
    [body] = bodies(emulator)
    assert body.count("<!-- tollgate:digest:") == 1  # the report's copy arrives escaped, not as a comment
    assert body.split("\n")[1] != digest_line  # another failure: another digest, and the comment was edited


def test_a_bad_comment_mode_is_exit_2(emulator, project):
    proc = run_tollgate(["tests", "--report", "results/junit.xml", "--comment=sometimes"], project, emulator,
                        event=PR_EVENT, event_name="pull_request")
    assert proc.returncode == 2
    assert "--comment" in proc.stderr
    assert not [r for r in emulator.requests() if r["method"] in ("POST", "PATCH")]
