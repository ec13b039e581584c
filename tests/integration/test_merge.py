"""`tollgate merge` against the emulator: the legs' --json results (written by the real commands)
become one check run with the legs, the shared failures once, the summed counts, the coverage
merged per line with the gates applied to the merged numbers, and one verdict."""
import json
import re
import subprocess

import pytest

from conftest import TOLLGATE, run_tollgate


def has(command):
    out = subprocess.run([TOLLGATE, "--help"], stdout=subprocess.PIPE, text=True).stdout
    return re.search(rf"^  {command} ", out, re.M) is not None


pytestmark = pytest.mark.skipif(not has("merge"), reason="tollgate has no merge command yet")


def junit(failing):
    cases = "".join(
        f'<testcase classname="tests.cart" name="test_{n}" file="src/cart.py" line="{line}">'
        + (f'<failure message="assert {n}">trace</failure>' if n in failing else "") + "</testcase>"
        for n, line in (("total", 3), ("discount", 7), ("shipping", 11)))
    return f'<testsuite name="s" tests="3" failures="{len(failing)}">{cases}</testsuite>'


def lcov(covered):
    lines = "".join(f"DA:{l},{1 if l in covered else 0}\n" for l in range(1, 13))
    return f"SF:src/cart.py\n{lines}end_of_record\n"


@pytest.fixture
def legs(workspace):
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.commit("base")
    legs = {"3.10": ({"discount"}, range(1, 7)), "3.11": ({"discount", "shipping"}, range(5, 11)),
            "3.12": (set(), range(1, 4))}
    for python, (failing, covered) in legs.items():
        workspace.write(f"in/{python}/junit.xml", junit(failing))
        workspace.write(f"in/{python}/lcov.info", lcov(set(covered)))
    sha = workspace.commit("reports")
    for python, (failing, _) in legs.items():
        matrix = json.dumps({"python": python})
        (workspace.path / "results" / python).mkdir(parents=True)
        proc = run_tollgate(["tests", "--report", f"in/{python}/junit.xml", "--matrix", matrix, "--check-run", "none",
                             "--no-status", "--json", f"results/{python}/tests.json"], workspace)
        assert proc.returncode == (1 if failing else 0), proc.stderr
        proc = run_tollgate(["coverage", "--report", f"in/{python}/lcov.info", "--matrix", matrix, "--min-line", "75",
                             "--check-run", "none", "--no-status", "--json", f"results/{python}/coverage.json"],
                            workspace)
        assert proc.returncode == 1, proc.stderr  # no leg alone reaches 75%
    return sha


def test_one_check_for_the_matrix_with_shared_failures_once_and_coverage_merged(emulator, workspace, legs):
    proc = run_tollgate(["merge", "--commit-status", "always", "--report", "results/**/*.json", "--json", "merged.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert run["name"] == "Tests + Coverage (all legs)"
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "3 legs, 2 failed (Tests (3.10), Tests (3.11)) · 9 tests, 3 failed · Coverage 83.3%"
    summary = run["output"]["summary"]
    # One row per leg, as the title counts them (issue 15): tests and coverage of a leg share it; a
    # coverage leg's own number is partial and carries no verdict.
    rows = [line for line in summary.splitlines() if line.startswith("| 3\\.1")]
    assert len(rows) == 3, summary
    assert "| Leg | Tests | Coverage |" in summary
    for row, leg, icon in zip(rows, ("3.10", "3.11", "3.12"), ("❌", "❌", "✅")):
        name, tests, coverage = [c.strip() for c in row.strip("|").split("|")]
        assert name == leg.replace(".", "\\.") and tests.startswith(icon + " ") and coverage.endswith("(this leg)")
        assert not coverage.startswith(("✅", "❌")), row
    assert "| failed legs | 0 | 2 | ❌ failed |" in summary
    # Each leg alone is below 75%; merged, 10 of 12 lines ran.
    assert "| line coverage | 75 | 83.33 | ✅ passed |" in summary
    annotations = sorted((a["start_line"], a["message"].split("\n")[0]) for a in run["annotations"])
    assert annotations == [(7, "In 2 of 3 legs: Tests (3.10), Tests (3.11)"), (11, "In 1 of 3 legs: Tests (3.11)")]
    assert [s["context"] for s in emulator.state()["statuses"]] == ["tollgate/merge"]

    merged = json.loads((workspace.path / "merged.json").read_text())
    assert merged["command"] == "merge" and merged["passed"] is False
    assert merged["totals"]["tests"] == 9 and merged["totals"]["failed"] == 3
    assert merged["totals"]["lines"] == 12 and merged["totals"]["lines_covered"] == 10
    assert merged["finding_legs"][0] == ["Tests (3.10)", "Tests (3.11)"]
    outputs = workspace.outputs()
    assert (outputs["legs"], outputs["failed-legs"], outputs["line-coverage"]) == ("3", "2", "83.33")


def test_the_merged_result_serves_as_a_coverage_baseline_and_can_be_merged_again(emulator, workspace, legs):
    run_tollgate(["merge", "--report", "results/**/*.json", "--json", "merged.json", "--check-run", "none",
                  "--no-status"], workspace)
    proc = run_tollgate(["merge", "--report", "merged.json", "--max-drop", "1", "--baseline", "merged.json",
                         "--check-run", "none", "--no-status", "--json", "again.json"], workspace)
    again = json.loads((workspace.path / "again.json").read_text())
    assert again["totals"]["lines_covered"] == 10 and again["totals"]["tests"] == 9
    drop = [g for g in again["gates"] if g["name"] == "coverage drop"][0]
    assert drop["passed"] and drop["actual"] == 0
    assert proc.returncode == 1  # the merged result itself failed: its verdict carries over


def test_a_file_that_is_not_a_result_is_named_with_exit_status_2(workspace):
    workspace.write("results/a.json", '{"tool": "other"}')
    workspace.commit("x")
    proc = run_tollgate(["merge", "--report", "results/*.json"], workspace)
    assert proc.returncode == 2
    assert "results/a.json" in proc.stderr and "not a tollgate --json result" in proc.stderr
    proc = run_tollgate(["merge", "--report", "nothing/*.json"], workspace)
    assert proc.returncode == 2


def passing_legs(workspace, pythons, run_id="1001"):
    """Legs of the matrix job `test` that wrote their --json result (each passed)."""
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.write("in/junit.xml", junit(set()))
    sha = workspace.commit("base")
    for python in pythons:
        (workspace.path / "results" / python).mkdir(parents=True)
        proc = run_tollgate(["tests", "--report", "in/junit.xml", "--matrix", json.dumps({"python": python}),
                             "--check-run", "none", "--no-status", "--json", f"results/{python}/tests.json"],
                            workspace, extra_env={"GITHUB_RUN_ID": run_id})
        assert proc.returncode == 0, proc.stderr
    return sha


def test_a_leg_that_wrote_no_result_is_a_failed_leg_named_with_its_job(emulator, workspace):
    """Issue 13.5: the leg `test (3.12)` failed before writing its result. The run's jobs (GitHub
    names a matrix job "<job> (<matrix values>)") say it existed: it is a failed leg, with the
    job's conclusion and page, never "2 legs, all passed"."""
    sha = passing_legs(workspace, ["3.10", "3.11"])
    emulator.call("POST", "/_emulator/jobs", {
        "repo": "octo/app", "run_id": 1001, "run_attempt": 1, "head_sha": sha,
        "jobs": [{"name": "test (3.10)", "status": "completed", "conclusion": "success"},
                 {"name": "test (3.11)", "status": "completed", "conclusion": "success"},
                 {"name": "test (3.12)", "status": "completed", "conclusion": "failure"},
                 {"name": "lint", "status": "completed", "conclusion": "success"},
                 {"name": "merge", "status": "in_progress", "runner_name": "runner-1"}]})
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--json", "merged.json"], workspace, emulator,
                        sha=sha)
    assert proc.returncode == 1, proc.stderr
    [run] = [r for r in emulator.state()["check_runs"] if r["name"] == "Tests (all legs)"]
    assert run["conclusion"] == "failure"
    assert run["output"]["title"].startswith("3 legs, 1 failed")
    job = [j for j in emulator.state()["jobs"] if j["name"] == "test (3.12)"][0]
    assert f"| 3\\.12 | ❌ no result (job failure) · [job]({job['html_url']}) |" in run["output"]["summary"]
    merged = json.loads((workspace.path / "merged.json").read_text())
    assert [g["detail"] for g in merged["gates"]] == ["1 of 3 legs failed: test (3.12) (no result, job failure)"]
    missing = [leg for leg in merged["legs"] if leg.get("missing")]
    assert [(m["leg"], m["job_conclusion"], m["job_url"]) for m in missing] == [("3.12", "failure", job["html_url"])]
    assert workspace.outputs()["failed-legs"] == "1"
    jobs_requests = [r for r in emulator.requests() if r["path"].endswith("/actions/runs/1001/jobs")]
    assert jobs_requests and jobs_requests[0]["query"].get("filter") == "latest"


def test_expected_legs_without_a_token_count_the_missing_leg(workspace):
    passing_legs(workspace, ["3.10", "3.11"])
    matrix = json.dumps([{"python": p} for p in ("3.10", "3.11", "3.12")])
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--expected-legs", matrix, "--json", "m.json"],
                        workspace, token="")
    assert proc.returncode == 1, proc.stderr
    merged = json.loads((workspace.path / "m.json").read_text())
    assert merged["title"].startswith("3 legs, 1 failed")
    assert [g["detail"] for g in merged["gates"] if g["name"] == "failed legs"] == ["1 of 3 legs failed: 3.12 (no result)"]
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--expected-legs", "2", "--json", "m.json"],
                        workspace, token="")
    assert proc.returncode == 0, proc.stderr
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--expected-legs", "4", "--json", "m.json"],
                        workspace, token="")
    assert proc.returncode == 1
    assert json.loads((workspace.path / "m.json").read_text())["title"].startswith("4 legs, 2 failed")


def test_without_a_way_to_check_the_legs_the_summary_says_so(workspace):
    passing_legs(workspace, ["3.10"])
    proc = run_tollgate(["merge", "--report", "results/**/*.json"], workspace, token="")
    assert proc.returncode == 0, proc.stderr
    assert "a leg that wrote no result is not counted. Set `expected-legs`" in workspace.summary.read_text()


def test_paths_in_leg_results_are_confined_to_the_repository_again(emulator, workspace, tmp_path):
    """Issue 14: a leg result is hostile. Its finding paths become annotations only when they name
    a tracked file inside the workspace; the others keep their finding, without a location."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1\n")
    workspace.write("src/cart.py", "x = 1\n" * 20)
    (workspace.path / "link").symlink_to(outside)
    sha = workspace.commit("base")  # `link` is tracked (as a symlink), link/secret.py is not a tracked file
    hostile = ["../../../etc/passwd", "/etc/passwd", "src\\cart.py", "link/secret.py", "src/../../x.py",
               "C:/Windows/win.ini", "src/cart.py\n::warning::x"]
    findings = [{"path": p, "start_line": 3, "end_line": 3, "level": "failure", "title": f"t{i}", "message": "m"}
                for i, p in enumerate(hostile)]
    findings.append({"path": "src/./cart.py", "start_line": 5, "end_line": 5, "level": "failure", "title": "ok",
                     "message": "m"})
    leg = {"tool": "tollgate", "version": "0", "command": "tests", "check_name": "Tests (a)", "passed": False,
           "conclusion": "failure", "title": "x", "gates": [], "findings": findings,
           "totals": {"tests": 8, "passed": 0, "failed": 8, "errors": 0, "skipped": 0, "flaky": 0, "duration_s": 0}}
    cov = {"tool": "tollgate", "version": "0", "command": "coverage", "check_name": "Coverage (a)", "passed": True,
           "conclusion": "success", "title": "x", "gates": [], "findings": [],
           "coverage_data": {"version": 1, "files": [{"path": "../../etc/passwd", "lines": [[1, 0]]},
                                                     {"path": "link/secret.py", "lines": [[1, 0]]},
                                                     {"path": "src/cart.py", "lines": [[1, 1]]}]}}
    workspace.write("results/a.json", json.dumps(leg))
    workspace.write("results/c.json", json.dumps(cov))
    proc = run_tollgate(["merge", "--report", "results/*.json", "--json", "m.json"], workspace, emulator, sha=sha)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert [(a["path"], a["start_line"]) for a in run["annotations"]] == [("src/cart.py", 5)]
    merged = json.loads((workspace.path / "m.json").read_text())
    located = [f["path"] for f in merged["findings"] if f["path"]]
    assert located == ["src/cart.py"]
    assert len(merged["findings"]) == 8  # the others stay, without a location
    assert [f["path"] for f in merged["files"]] == ["src/cart.py"]
    assert merged["totals"]["lines"] == 1
